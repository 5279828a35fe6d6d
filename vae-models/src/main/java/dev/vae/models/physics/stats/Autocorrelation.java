package dev.vae.models.physics.stats;

/**
 * Integrated autocorrelation times of Markov-chain output with automatic windowing
 * (A. Sokal, "Monte Carlo methods in statistical mechanics", 1996; Madras and Sokal 1988):
 * <pre>
 * rho(t) = C(t) / C(0),   tau_int(M) = 1/2 + sum_{t=1}^{M} rho(t),
 * M = the smallest window with M >= c tau_int(M)   (c = 5 by default),
 * ESS = N / (2 tau_int),   error of the mean = sqrt(Var / ESS).
 * </pre>
 * The autocovariance {@code C(t)} is computed with an FFT around the global mean and averaged over
 * independent chains of equal length (so several short chains give one pooled estimate).
 * {@code tau_int} is floored at 1/2 (anticorrelated chains are reported as independent, which
 * keeps error bars conservative). An estimate is flagged unreliable when a chain is shorter than
 * {@code 100 tau_int} (emcee's criterion, {@code N > 50 (2 tau_int)}).
 */
public final class Autocorrelation {
    /** Sokal's default window constant. */
    public static final double DEFAULT_C = 5.0;

    private Autocorrelation() {
    }

    /**
     * The result of an analysis.
     *
     * @param samples  total number of samples over all chains
     * @param chains   number of chains
     * @param mean     the sample mean
     * @param variance the sample variance (unbiased)
     * @param tau      the integrated autocorrelation time {@code tau_int} in steps, {@code >= 1/2}
     * @param window   the summation window {@code M}
     * @param ess      the effective sample size {@code samples / (2 tau)}
     * @param error    the standard error of the mean {@code sqrt(variance / ess)}
     * @param reliable true if every chain is at least {@code 100 tau} long
     */
    public record Analysis(int samples, int chains, double mean, double variance, double tau, int window,
                           double ess, double error, boolean reliable) {
        /** @return the mean with its standard error */
        public Estimate estimate() {
            return new Estimate(mean, error);
        }
    }

    /**
     * Analyses one chain with {@code c = 5}.
     *
     * @param series the chain's values, at least 2
     * @return the analysis
     */
    public static Analysis analyze(double[] series) {
        return analyze(new double[][] {series}, DEFAULT_C);
    }

    /**
     * Analyses independent chains of equal length with {@code c = 5}.
     *
     * @param chains one series per chain
     * @return the pooled analysis
     */
    public static Analysis analyze(double[][] chains) {
        return analyze(chains, DEFAULT_C);
    }

    /**
     * Analyses independent chains of equal length.
     *
     * @param chains one series per chain, all of the same length {@code >= 2}
     * @param c      the window constant ({@code > 0})
     * @return the pooled analysis
     * @throws IllegalArgumentException for empty, ragged or non-finite input
     */
    public static Analysis analyze(double[][] chains, double c) {
        if (chains.length == 0 || chains[0].length < 2) {
            throw new IllegalArgumentException("autocorrelation analysis needs at least one chain of length >= 2");
        }
        int n = chains[0].length;
        double sum = 0;
        for (double[] ch : chains) {
            if (ch.length != n) {
                throw new IllegalArgumentException("chains must have equal lengths, got " + n + " and " + ch.length);
            }
            for (double v : ch) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("autocorrelation analysis got a non-finite value " + v);
                }
                sum += v;
            }
        }
        int total = n * chains.length;
        double mean = sum / total;
        double[] acov = autocovariance(chains, mean);
        double c0 = acov[0];
        double variance = c0 * total / Math.max(1, total - 1);
        if (!(c0 > 0)) {
            return new Analysis(total, chains.length, mean, 0, 0.5, 0, total, 0, true);
        }
        double tau = 0.5;
        int window = n - 1;
        for (int m = 1; m < n; m++) {
            tau += acov[m] / c0;
            if (m >= c * tau) {
                window = m;
                break;
            }
        }
        tau = Math.max(0.5, tau);
        double ess = total / (2 * tau);
        double error = Math.sqrt(variance / ess);
        return new Analysis(total, chains.length, mean, variance, tau, window, ess, error, n >= 100 * tau);
    }

    /**
     * The normalised autocorrelation function {@code rho(t)}, {@code t = 0 .. n-1}, pooled over
     * chains around the global mean.
     *
     * @param chains chains of equal length
     * @return {@code rho} (all zeros past {@code t = 0} for a constant series)
     */
    public static double[] function(double[][] chains) {
        double sum = 0;
        int total = 0;
        for (double[] ch : chains) {
            for (double v : ch) {
                sum += v;
            }
            total += ch.length;
        }
        double[] acov = autocovariance(chains, sum / total);
        double[] rho = new double[acov.length];
        if (acov[0] > 0) {
            for (int t = 0; t < rho.length; t++) {
                rho[t] = acov[t] / acov[0];
            }
        } else {
            rho[0] = 1;
        }
        return rho;
    }

    /** C(t) = (1 / (K n)) sum_chains sum_i (x_i - mean)(x_{i+t} - mean), by FFT. */
    private static double[] autocovariance(double[][] chains, double mean) {
        int n = chains[0].length;
        int size = Fft.nextPowerOfTwo(2 * n);
        double[] acc = new double[n];
        double[] re = new double[size];
        double[] im = new double[size];
        for (double[] ch : chains) {
            java.util.Arrays.fill(re, 0);
            java.util.Arrays.fill(im, 0);
            for (int i = 0; i < n; i++) {
                re[i] = ch[i] - mean;
            }
            Fft.transform(re, im, false);
            for (int i = 0; i < size; i++) {
                re[i] = re[i] * re[i] + im[i] * im[i];
                im[i] = 0;
            }
            Fft.transform(re, im, true);
            for (int t = 0; t < n; t++) {
                acc[t] += re[t] / size;
            }
        }
        double norm = (double) n * chains.length;
        for (int t = 0; t < n; t++) {
            acc[t] /= norm;
        }
        return acc;
    }
}
