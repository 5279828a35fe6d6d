package dev.vae.models.physics.mcmc;

import dev.vae.models.physics.stats.Autocorrelation;

import java.util.List;
import java.util.Objects;

/**
 * The output of a Monte-Carlo run: the time series of every observable for every chain, optionally
 * the stored configurations, the wall-clock time and the acceptance rate.
 */
public final class ChainSamples {
    private final String algorithm;
    private final List<String> names;
    private final double[][][] series;
    private final float[] configurations;
    private final int dim;
    private final double seconds;
    private final double acceptance;
    private final double stepSize;

    /**
     * @param algorithm      a short label ({@code "metropolis"}, {@code "wolff"}, {@code "mala"}, ...)
     * @param names          observable names, in the order of {@code series}
     * @param series         {@code [observable][chain][sample]}, equal lengths
     * @param configurations stored configurations in sample-major, chain-minor order (or null)
     * @param dim            coordinates per configuration
     * @param seconds        wall-clock seconds of the sampling (burn-in excluded)
     * @param acceptance     the fraction of accepted proposals (1 for rejection-free updates)
     * @param stepSize       the proposal step size after adaptation (NaN where not applicable)
     */
    public ChainSamples(String algorithm, List<String> names, double[][][] series, float[] configurations, int dim,
                        double seconds, double acceptance, double stepSize) {
        this.algorithm = Objects.requireNonNull(algorithm);
        this.names = List.copyOf(names);
        this.series = series;
        this.configurations = configurations;
        this.dim = dim;
        this.seconds = seconds;
        this.acceptance = acceptance;
        this.stepSize = stepSize;
        if (series.length != names.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + series.length + " series");
        }
    }

    /** @return the algorithm's label */
    public String algorithm() {
        return algorithm;
    }

    /** @return the observable names */
    public List<String> names() {
        return names;
    }

    /** @return the number of chains */
    public int chains() {
        return series[0].length;
    }

    /** @return the number of recorded samples per chain */
    public int length() {
        return series[0][0].length;
    }

    /**
     * @param name an observable name
     * @return {@code [chain][sample]} (the live arrays)
     * @throws IllegalArgumentException for an unknown name
     */
    public double[][] series(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no observable '" + name + "'; recorded: " + names);
        }
        return series[i];
    }

    /**
     * @param name an observable name
     * @return all samples of the observable, chain after chain
     */
    public double[] flat(String name) {
        double[][] s = series(name);
        double[] out = new double[s.length * s[0].length];
        for (int c = 0; c < s.length; c++) {
            System.arraycopy(s[c], 0, out, c * s[0].length, s[0].length);
        }
        return out;
    }

    /**
     * @param name an observable name
     * @return its autocorrelation analysis pooled over chains (Sokal windowing, c = 5)
     */
    public Autocorrelation.Analysis analysis(String name) {
        return Autocorrelation.analyze(series(name));
    }

    /**
     * @param name an observable name
     * @return effective samples of that observable per second of sampling
     */
    public double effectiveSamplesPerSecond(String name) {
        return analysis(name).ess() / seconds;
    }

    /** @return the stored configurations (sample-major, chain-minor), or null if none were kept */
    public float[] configurations() {
        return configurations;
    }

    /** @return the number of stored configurations */
    public int storedConfigurations() {
        return configurations == null ? 0 : configurations.length / dim;
    }

    /** @return coordinates per configuration */
    public int dimension() {
        return dim;
    }

    /** @return wall-clock seconds of sampling */
    public double seconds() {
        return seconds;
    }

    /** @return the acceptance rate */
    public double acceptance() {
        return acceptance;
    }

    /** @return the adapted step size, or NaN */
    public double stepSize() {
        return stepSize;
    }
}
