package dev.vae.conformance;

import dev.vae.api.DType;
import dev.vae.api.Shapes;

import java.util.Arrays;

/**
 * Element-wise comparison of a backend's result with the expected one, failing with a message that
 * names what was computed, the largest error, where it is, and the tolerance with its reason.
 */
public final class Compare {
    private Compare() {
    }

    /**
     * Rounds a float64 value to {@code dtype}: what a correctly rounded float32 kernel would return
     * (overflow to infinity and underflow to zero included).
     */
    public static double round(double v, DType dtype) {
        return dtype == DType.FLOAT32 ? (double) (float) v : v;
    }

    /**
     * Asserts that {@code got} matches {@code expected} (rounded to {@code dtype}) within {@code tol}.
     *
     * @param what the prefix of a failure message (empty for none)
     * @param expectedShape the reference's result shape
     * @param gotShape the backend's result shape
     * @throws AssertionError naming the largest error when they differ
     */
    public static void assertClose(String what, double[] expected, int[] expectedShape, double[] got, int[] gotShape,
                                   DType dtype, Tol tol) {
        String pre = what.isEmpty() ? "" : what + ": ";
        if (!Arrays.equals(expectedShape, gotShape)) {
            throw new AssertionError(pre + "result shape " + Shapes.format(gotShape) + ", expected "
                    + Shapes.format(expectedShape));
        }
        if (expected.length != got.length) {
            throw new AssertionError(pre + got.length + " elements read back for shape "
                    + Shapes.format(gotShape) + ", expected " + expected.length);
        }
        String err = describeMismatch(expected, got, dtype, tol);
        if (err != null) {
            throw new AssertionError(pre + err);
        }
    }

    /**
     * @return null if {@code got} matches {@code expected} within {@code tol}, else a description of
     *         the worst element ("max abs err 1.2e-03 at index 7 (expected ..., got ...; tol ...: reason)")
     */
    public static String describeMismatch(double[] expected, double[] got, DType dtype, Tol tol) {
        double norm = 0;
        for (double e : expected) {
            double r = round(e, dtype);
            if (Double.isFinite(r)) {
                norm = Math.max(norm, Math.abs(r));
            }
        }
        int worst = -1;
        double worstRatio = 0;
        double worstErr = 0;
        int bad = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = round(expected[i], dtype);
            double g = got[i];
            double err;
            double ratio;
            if (Double.isNaN(e) || Double.isInfinite(e)) {
                boolean ok = Double.isNaN(e) ? Double.isNaN(g) : g == e;
                err = ok ? 0 : Double.POSITIVE_INFINITY;
                ratio = ok ? 0 : Double.POSITIVE_INFINITY;
            } else if (!Double.isFinite(g)) {
                err = Double.POSITIVE_INFINITY;
                ratio = Double.POSITIVE_INFINITY;
            } else {
                err = Math.abs(g - e);
                double allowed = tol.allowed(e, norm);
                ratio = err == 0 ? 0 : (allowed == 0 ? Double.POSITIVE_INFINITY : err / allowed);
            }
            if (ratio > 1) {
                bad++;
            }
            if (ratio > worstRatio || (ratio == worstRatio && ratio > 1 && err > worstErr)) {
                worstRatio = ratio;
                worstErr = err;
                worst = i;
            }
        }
        if (worstRatio <= 1) {
            return null;
        }
        double e = round(expected[worst], dtype);
        double g = got[worst];
        String errText = Double.isFinite(worstErr) ? Tol.fmt(worstErr) : "inf";
        return "max abs err " + errText + " at index " + worst + " (expected " + Tol.fmt(e) + ", got " + Tol.fmt(g)
                + "; " + bad + " of " + expected.length + " elements outside tol " + tol + ": " + tol.reason() + ")";
    }
}
