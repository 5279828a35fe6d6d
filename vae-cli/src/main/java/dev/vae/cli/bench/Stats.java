package dev.vae.cli.bench;

import java.util.Arrays;

/** Order statistics of a sample, for timing reports. */
public final class Stats {
    private Stats() {
    }

    /**
     * @param values a non-empty sample (not modified)
     * @param q      the quantile in [0, 1]
     * @return the {@code q}-quantile with linear interpolation between order statistics (the
     *         default of NumPy's {@code percentile})
     * @throws IllegalArgumentException for an empty sample or {@code q} outside [0, 1]
     */
    public static double quantile(double[] values, double q) {
        if (values.length == 0) {
            throw new IllegalArgumentException("quantile of an empty sample");
        }
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile level must be in [0, 1], got " + q);
        }
        double[] s = values.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    /** @return the arithmetic mean of a non-empty sample */
    public static double mean(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("mean of an empty sample");
        }
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.length;
    }
}
