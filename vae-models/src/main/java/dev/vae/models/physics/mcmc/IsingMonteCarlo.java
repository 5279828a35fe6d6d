package dev.vae.models.physics.mcmc;

import dev.vae.api.random.Rng;
import dev.vae.models.physics.IsingModel;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * Markov-chain Monte Carlo for the {@link IsingModel}: single-spin Metropolis (a sweep is
 * {@code L^2} attempted flips at uniformly random sites) and Wolff cluster updates (Phys. Rev.
 * Lett. 62, 361, 1989; a sweep is a fixed number of clusters, {@code L^2} divided by the mean
 * cluster size measured during thermalisation, so the two cost about the same per sweep). The
 * number of clusters per recorded sweep must not depend on the clusters drawn: stopping "once
 * {@code L^2} spins have flipped" selects the last cluster by size and biases the measured state
 * towards order. Wolff needs a ferromagnet in zero field.
 * The chain starts from independent random spins. Not thread-safe.
 */
public final class IsingMonteCarlo {
    /** The update scheme. */
    public enum Algorithm {
        /** Single-spin Metropolis at random sites. */
        METROPOLIS,
        /** Wolff single-cluster updates. */
        WOLFF;

        /** @return the lower-case label */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final IsingModel model;
    private final double beta;
    private final int n;
    private final int[] spins;
    private final int[][] neighbours;
    private final UniformSource u;
    private final double[][] accept;
    private final double pAdd;
    private final int[] stack;
    private long attempted;
    private long accepted;
    private int clustersPerSweep;

    /**
     * @param model the lattice
     * @param beta  inverse temperature, {@code > 0}
     * @param rng   the generator (advanced by the chain)
     */
    public IsingMonteCarlo(IsingModel model, double beta, Rng rng) {
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be positive and finite, got " + beta);
        }
        this.model = model;
        this.beta = beta;
        int l = model.side();
        this.n = l * l;
        this.u = new UniformSource(rng);
        this.spins = new int[n];
        for (int i = 0; i < n; i++) {
            spins[i] = u.nextDouble() < 0.5 ? 1 : -1;
        }
        this.neighbours = new int[n][4];
        for (int r = 0; r < l; r++) {
            for (int q = 0; q < l; q++) {
                int i = r * l + q;
                neighbours[i][0] = r * l + (q + 1) % l;
                neighbours[i][1] = r * l + (q + l - 1) % l;
                neighbours[i][2] = ((r + 1) % l) * l + q;
                neighbours[i][3] = ((r + l - 1) % l) * l + q;
            }
        }
        // acceptance min(1, exp(-beta dE)) with dE = 2 s (J nb + h), indexed by (s+1)/2 and nb+4
        this.accept = new double[2][9];
        for (int s = -1; s <= 1; s += 2) {
            for (int nb = -4; nb <= 4; nb++) {
                double de = 2 * s * (model.coupling() * nb + model.field());
                accept[(s + 1) / 2][nb + 4] = Math.min(1, Math.exp(-beta * de));
            }
        }
        this.pAdd = -Math.expm1(-2 * beta * model.coupling());
        this.stack = new int[n];
    }

    /** @return the model */
    public IsingModel model() {
        return model;
    }

    /** @return the inverse temperature */
    public double beta() {
        return beta;
    }

    /** @return the live spin array (row-major, {@code -1/+1}) */
    public int[] spins() {
        return spins;
    }

    /** @return the current energy {@code U(s)} */
    public double energy() {
        return model.energy(spins);
    }

    /** @return the current magnetisation {@code sum s} */
    public long magnetisation() {
        long m = 0;
        for (int s : spins) {
            m += s;
        }
        return m;
    }

    /** @return the Metropolis acceptance rate so far (NaN before any attempt) */
    public double acceptance() {
        return attempted == 0 ? Double.NaN : (double) accepted / attempted;
    }

    /** One Metropolis sweep: {@code L^2} attempted single-spin flips at random sites. */
    public void metropolisSweep() {
        for (int k = 0; k < n; k++) {
            int i = u.nextInt(n);
            int[] nb = neighbours[i];
            int sum = spins[nb[0]] + spins[nb[1]] + spins[nb[2]] + spins[nb[3]];
            int s = spins[i];
            double p = accept[(s + 1) / 2][sum + 4];
            attempted++;
            if (p >= 1 || u.nextDouble() < p) {
                spins[i] = -s;
                accepted++;
            }
        }
    }

    /**
     * One Wolff cluster update.
     *
     * @return the size of the flipped cluster
     */
    public int wolffUpdate() {
        int seed = u.nextInt(n);
        int s0 = spins[seed];
        int top = 0;
        stack[top++] = seed;
        spins[seed] = -s0;
        int size = 1;
        while (top > 0) {
            int i = stack[--top];
            for (int j : neighbours[i]) {
                if (spins[j] == s0 && u.nextDouble() < pAdd) {
                    spins[j] = -s0;
                    stack[top++] = j;
                    size++;
                }
            }
        }
        return size;
    }

    /**
     * One Wolff sweep: {@link #clustersPerSweep()} cluster updates (calibrating that number with
     * 100 cluster updates first if it is not yet known).
     */
    public void wolffSweep() {
        if (clustersPerSweep == 0) {
            calibrateWolff(100);
        }
        for (int k = 0; k < clustersPerSweep; k++) {
            wolffUpdate();
        }
    }

    /**
     * Performs {@code updates} Wolff cluster updates and sets the number of clusters per sweep to
     * {@code L^2} over their mean size (at least 1).
     *
     * @param updates number of cluster updates, {@code >= 1}
     */
    public void calibrateWolff(int updates) {
        checkWolff();
        long total = 0;
        for (int k = 0; k < updates; k++) {
            total += wolffUpdate();
        }
        clustersPerSweep = (int) Math.max(1, Math.round((double) n * updates / total));
    }

    /** @return Wolff clusters per sweep (0 until calibrated) */
    public int clustersPerSweep() {
        return clustersPerSweep;
    }

    /**
     * One sweep of the given algorithm.
     *
     * @param algorithm the scheme
     */
    public void sweep(Algorithm algorithm) {
        if (algorithm == Algorithm.WOLFF) {
            checkWolff();
            wolffSweep();
        } else {
            metropolisSweep();
        }
    }

    private void checkWolff() {
        if (model.field() != 0 || !(model.coupling() > 0)) {
            throw new IllegalArgumentException("Wolff cluster updates need a ferromagnet (J > 0) in zero field, got "
                    + model.describe());
        }
    }

    /**
     * Runs the chain and records the model's observables ({@code e}, {@code |m|}, {@code m}) after
     * every {@code thin} sweeps.
     *
     * @param algorithm  the scheme
     * @param thermalise sweeps discarded first
     * @param samples    number of recorded samples
     * @param thin       sweeps between recorded samples, {@code >= 1}
     * @param keep       whether to store every recorded configuration (as {@code -1/+1} floats)
     * @param progress   called with the number of sweeps done so far (thermalisation included), or null
     * @return the recorded series
     */
    public ChainSamples run(Algorithm algorithm, int thermalise, int samples, int thin, boolean keep, IntConsumer progress) {
        if (thermalise < 0 || samples < 1 || thin < 1) {
            throw new IllegalArgumentException("need thermalise >= 0, samples >= 1, thin >= 1; got " + thermalise + ", "
                    + samples + ", " + thin);
        }
        if (algorithm == Algorithm.WOLFF) {
            checkWolff();
        }
        int done = 0;
        if (algorithm == Algorithm.WOLFF) {
            // thermalise with clusters until L^2 spins flipped, then calibrate the sweep length
            for (int t = 0; t < thermalise; t++) {
                int flipped = 0;
                while (flipped < n) {
                    flipped += wolffUpdate();
                }
                if (progress != null) {
                    progress.accept(++done);
                }
            }
            calibrateWolff(Math.max(100, clustersPerSweep));
        } else {
            for (int t = 0; t < thermalise; t++) {
                sweep(algorithm);
                if (progress != null) {
                    progress.accept(++done);
                }
            }
        }
        long a0 = accepted;
        long t0 = attempted;
        double[][][] series = new double[3][1][samples];
        float[] configs = keep ? new float[Math.multiplyExact(samples, n)] : null;
        long start = System.nanoTime();
        for (int k = 0; k < samples; k++) {
            for (int t = 0; t < thin; t++) {
                sweep(algorithm);
                if (progress != null) {
                    progress.accept(++done);
                }
            }
            long m = magnetisation();
            series[0][0][k] = energy() / n;
            series[1][0][k] = Math.abs(m) / (double) n;
            series[2][0][k] = m / (double) n;
            if (keep) {
                for (int i = 0; i < n; i++) {
                    configs[k * n + i] = spins[i];
                }
            }
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        double acc = algorithm == Algorithm.WOLFF ? 1.0 : (double) (accepted - a0) / Math.max(1, attempted - t0);
        return new ChainSamples(algorithm.label(), List.of("e", "|m|", "m"), series, configs, n, seconds, acc, Double.NaN);
    }
}
