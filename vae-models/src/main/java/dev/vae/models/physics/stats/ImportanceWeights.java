package dev.vae.models.physics.stats;

/**
 * Importance-sampling estimates from log-weights {@code ln w_i = -beta U(x_i) - ln q(x_i)} of
 * samples {@code x_i ~ q} (or any unnormalised target over proposal): the estimate of
 * {@code ln Z = ln E_q[w]} with a delta-method error bar, the free energy
 * {@code F = -(1/beta) ln Z}, the variational upper bound {@code F_q = -(1/beta) E_q[ln w] >= F},
 * Kish's effective sample size {@code (sum w)^2 / sum w^2}, and self-normalised reweighted
 * expectations {@code sum w O / sum w} with delta-method errors. Every sum is computed relative
 * to the largest log-weight (log-sum-exp), so no weight overflows.
 *
 * <p>The delta-method errors assume the weights have finite variance; when the effective sample
 * size is a small fraction of the samples they underestimate the true error, which is why the
 * effective sample size is reported beside them.
 */
public final class ImportanceWeights {
    private final double[] logw;
    private final double max;
    private final double[] w;
    private final double sumW;
    private final double sumW2;

    /**
     * @param logWeights the log-weights, none NaN or {@code +infinity} ({@code -infinity} is a zero
     *                   weight); at least one must be finite
     * @throws IllegalArgumentException otherwise
     */
    public ImportanceWeights(double[] logWeights) {
        if (logWeights.length == 0) {
            throw new IllegalArgumentException("importance sampling needs at least one weight");
        }
        this.logw = logWeights.clone();
        double m = Double.NEGATIVE_INFINITY;
        for (double v : logw) {
            if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("log-weight " + v + " is not allowed (NaN or +infinity)");
            }
            m = Math.max(m, v);
        }
        if (m == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("every importance weight is zero");
        }
        this.max = m;
        this.w = new double[logw.length];
        double s = 0;
        double s2 = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.exp(logw[i] - max);
            s += w[i];
            s2 += w[i] * w[i];
        }
        this.sumW = s;
        this.sumW2 = s2;
    }

    /**
     * @param v values
     * @return {@code ln sum exp(v)}, stable; {@code -infinity} for an empty or all {@code -infinity} array
     */
    public static double logSumExp(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        if (m == Double.NEGATIVE_INFINITY || m == Double.POSITIVE_INFINITY) {
            return m;
        }
        double s = 0;
        for (double x : v) {
            s += Math.exp(x - m);
        }
        return m + Math.log(s);
    }

    /** @return the number of samples */
    public int size() {
        return w.length;
    }

    /** @return a copy of the log-weights */
    public double[] logWeights() {
        return logw.clone();
    }

    /** @return the normalised weights {@code w_i / sum w} */
    public double[] normalisedWeights() {
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = w[i] / sumW;
        }
        return out;
    }

    /**
     * {@code ln Z} estimated by {@code ln mean(w)} with the delta-method error
     * {@code sd(w) / (mean(w) sqrt(n))}.
     *
     * @return the estimate
     */
    public Estimate logZ() {
        int n = w.length;
        double mean = sumW / n;
        double ss = 0;
        for (double v : w) {
            ss += (v - mean) * (v - mean);
        }
        double var = n > 1 ? ss / (n - 1) : Double.NaN;
        return new Estimate(max + Math.log(mean), Math.sqrt(var / n) / mean);
    }

    /**
     * @param beta inverse temperature, {@code > 0}
     * @return the importance-sampling free energy {@code -(1/beta) ln mean(w)} with its error
     */
    public Estimate freeEnergy(double beta) {
        return logZ().scale(-1 / beta);
    }

    /**
     * The variational free energy {@code F_q = E_q[U + (1/beta) ln q] = -(1/beta) mean(ln w)},
     * an upper bound on {@code F}, with the standard error {@code sd(ln w) / (beta sqrt(n))}.
     *
     * @param beta inverse temperature, {@code > 0}
     * @return the bound; NaN if some weight is zero
     */
    public Estimate variationalFreeEnergy(double beta) {
        int n = logw.length;
        double s = 0;
        for (double v : logw) {
            s += v;
        }
        double mean = s / n;
        double ss = 0;
        for (double v : logw) {
            ss += (v - mean) * (v - mean);
        }
        double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN;
        return new Estimate(-mean / beta, sd / (beta * Math.sqrt(n)));
    }

    /** @return Kish's effective sample size {@code (sum w)^2 / sum w^2}, between 1 and n */
    public double kishEss() {
        return sumW * sumW / sumW2;
    }

    /** @return {@link #kishEss()} divided by the number of samples */
    public double essFraction() {
        return kishEss() / w.length;
    }

    /**
     * The self-normalised estimate {@code sum w O / sum w} of {@code E_p[O]} with the
     * delta-method error {@code sqrt(sum w_i^2 (O_i - mean)^2) / sum w}.
     *
     * @param observable one value per sample
     * @return the estimate
     */
    public Estimate reweight(double[] observable) {
        check(observable);
        double num = 0;
        for (int i = 0; i < w.length; i++) {
            num += w[i] * observable[i];
        }
        double mean = num / sumW;
        double v = 0;
        for (int i = 0; i < w.length; i++) {
            double d = w[i] * (observable[i] - mean);
            v += d * d;
        }
        return new Estimate(mean, Math.sqrt(v) / sumW);
    }

    /**
     * The reweighted variance {@code E_p[(O - E_p O)^2]} with the delta-method error from the
     * influence function {@code (O_i - mean)^2 - variance}.
     *
     * @param observable one value per sample
     * @return the estimate
     */
    public Estimate reweightVariance(double[] observable) {
        Estimate m = reweight(observable);
        double mean = m.value();
        double num = 0;
        for (int i = 0; i < w.length; i++) {
            double d = observable[i] - mean;
            num += w[i] * d * d;
        }
        double var = num / sumW;
        double v = 0;
        for (int i = 0; i < w.length; i++) {
            double d = observable[i] - mean;
            double infl = w[i] * (d * d - var);
            v += infl * infl;
        }
        return new Estimate(var, Math.sqrt(v) / sumW);
    }

    private void check(double[] observable) {
        if (observable.length != w.length) {
            throw new IllegalArgumentException("observable has " + observable.length + " values for " + w.length + " weights");
        }
    }
}
