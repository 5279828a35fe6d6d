package dev.vae.models.physics.mcmc;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.random.Rng;
import dev.vae.api.spi.Capability;
import dev.vae.models.physics.EnergyModel;
import dev.vae.models.physics.Observable;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Markov-chain Monte Carlo for continuous systems with many independent chains advanced together:
 * random-walk Metropolis (Gaussian proposals {@code y = x + sigma xi}) and the Metropolis-adjusted
 * Langevin algorithm (MALA, Roberts and Tweedie 1996: {@code y = x - eps beta grad U(x) + sqrt(2 eps) xi},
 * corrected by Metropolis–Hastings with the Langevin proposal densities). MALA's forces come from
 * the system's differentiable {@link EnergyModel#energy(Tensor) tensor energy} by reverse-mode
 * automatic differentiation, one batched backward pass per step for all chains; acceptance uses
 * the host energy in double precision, so the chain is exact whatever the backend's precision.
 *
 * <p>During burn-in each chain's step size is adapted every 25 steps towards an acceptance rate of
 * 0.3 (random walk) or 0.57 (MALA), so a chain that starts far out on a steep wall takes small
 * steps while it descends, and then frozen, so every recorded chain is a time-homogeneous Markov
 * chain. Proposals with a non-finite energy or force are rejected. Not thread-safe.
 */
public final class ContinuousMonteCarlo {
    /** The update scheme. */
    public enum Algorithm {
        /** Random-walk Metropolis. */
        RWM(0.3),
        /** Metropolis-adjusted Langevin algorithm. */
        MALA(0.57);

        private final double target;

        Algorithm(double target) {
            this.target = target;
        }

        /** @return the acceptance rate targeted during burn-in */
        public double targetAcceptance() {
            return target;
        }

        /** @return the lower-case label */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final EnergyModel model;
    private final double beta;
    private final int chains;
    private final int d;
    private final Rng rng;
    private final UniformSource u;
    private double[] x;
    private double[] energy;
    private double[] step;

    /**
     * Chains start from independent standard normal positions.
     *
     * @param model  a continuous system
     * @param beta   inverse temperature, {@code > 0}
     * @param chains number of independent chains, {@code >= 1}
     * @param rng    the generator (advanced by the chains)
     */
    public ContinuousMonteCarlo(EnergyModel model, double beta, int chains, Rng rng) {
        if (model.isDiscrete()) {
            throw new IllegalArgumentException("random-walk and Langevin proposals need a continuous system, got " + model.describe());
        }
        if (!(beta > 0) || !Double.isFinite(beta) || chains < 1) {
            throw new IllegalArgumentException("need beta > 0 and chains >= 1, got beta=" + beta + ", chains=" + chains);
        }
        this.model = model;
        this.beta = beta;
        this.chains = chains;
        this.d = model.dimension();
        this.rng = rng;
        this.u = new UniformSource(rng.split(0x5eed));
        this.step = new double[chains];
        java.util.Arrays.fill(step, 0.1);
        positions(rng.normalDoubles(chains * d));
    }

    /**
     * Sets the chains' positions.
     *
     * @param positions {@code chains * D} values, each configuration of finite energy
     */
    public void positions(double[] positions) {
        if (positions.length != chains * d) {
            throw new IllegalArgumentException("expected " + chains * d + " coordinates, got " + positions.length);
        }
        this.x = positions.clone();
        this.energy = model.energies(x, chains);
        for (double e : energy) {
            if (!Double.isFinite(e)) {
                throw new IllegalArgumentException("a starting position has a non-finite energy " + e);
            }
        }
    }

    /** @return a copy of the current positions */
    public double[] positions() {
        return x.clone();
    }

    /**
     * @return the median over chains of the current step size ({@code sigma} for the random walk,
     *         {@code eps} for MALA)
     */
    public double stepSize() {
        double[] s = step.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    /** @param s a positive step size for every chain to start from (adaptation continues during burn-in) */
    public void stepSize(double s) {
        if (!(s > 0)) {
            throw new IllegalArgumentException("step size must be positive, got " + s);
        }
        java.util.Arrays.fill(step, s);
    }

    /** Gradients of U at the given positions by reverse-mode differentiation of the tensor energy. */
    private static double[] gradient(EnergyModel model, Backend backend, double[] pos, int n) {
        DType dt = backend.supports(Capability.FLOAT64) ? DType.FLOAT64 : DType.FLOAT32;
        try (Scope s = Scope.open()) {
            Tensor t = backend.tensor(pos, dt, n, model.dimension()).requiresGrad(true);
            model.energy(t).sum().backward();
            return t.grad().toDoubles();
        }
    }

    /**
     * Runs all chains.
     *
     * @param algorithm the scheme
     * @param backend   the backend for MALA's forces (ignored, may be null, for the random walk)
     * @param burnIn    steps discarded first (with step-size adaptation)
     * @param samples   recorded samples per chain
     * @param thin      steps between recorded samples, {@code >= 1}
     * @param keep      whether to store the recorded configurations
     * @param progress  called with the number of steps done so far, or null
     * @return the recorded series of the model's observables
     */
    public ChainSamples run(Algorithm algorithm, Backend backend, int burnIn, int samples, int thin, boolean keep,
                            IntConsumer progress) {
        if (burnIn < 0 || samples < 1 || thin < 1) {
            throw new IllegalArgumentException("need burnIn >= 0, samples >= 1, thin >= 1");
        }
        if (algorithm == Algorithm.MALA && backend == null) {
            throw new IllegalArgumentException("MALA needs a backend for its forces");
        }
        double[] grad = algorithm == Algorithm.MALA ? gradient(model, backend, x, chains) : null;
        int done = 0;
        int[] windowAcc = new int[chains];
        for (int t = 0; t < burnIn; t++) {
            step(algorithm, backend, grad, windowAcc);
            if ((t + 1) % 25 == 0) {
                for (int c = 0; c < chains; c++) {
                    double rate = windowAcc[c] / 25.0;
                    step[c] *= Math.exp(2.0 * (rate - algorithm.targetAcceptance()));
                    windowAcc[c] = 0;
                }
            }
            if (progress != null) {
                progress.accept(++done);
            }
        }
        List<Observable> obs = model.observables();
        List<String> names = new ArrayList<>();
        for (Observable o : obs) {
            names.add(o.name());
        }
        double[][][] series = new double[obs.size()][chains][samples];
        float[] configs = keep ? new float[Math.multiplyExact(samples, chains * d)] : null;
        long accepted = 0;
        long proposed = 0;
        long start = System.nanoTime();
        for (int k = 0; k < samples; k++) {
            for (int t = 0; t < thin; t++) {
                accepted += step(algorithm, backend, grad, null);
                proposed += chains;
                if (progress != null) {
                    progress.accept(++done);
                }
            }
            for (int o = 0; o < obs.size(); o++) {
                for (int c = 0; c < chains; c++) {
                    series[o][c][k] = obs.get(o).function().apply(x, c * d);
                }
            }
            if (keep) {
                for (int i = 0; i < chains * d; i++) {
                    configs[(k * chains) * d + i] = (float) x[i];
                }
            }
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        return new ChainSamples(algorithm.label(), names, series, configs, d, seconds, (double) accepted / proposed, stepSize());
    }

    /**
     * One step of every chain; returns the number of accepted proposals, counts them per chain in
     * {@code perChain} (if not null) and updates {@code grad} in place.
     */
    private int step(Algorithm algorithm, Backend backend, double[] grad, int[] perChain) {
        double[] xi = rng.normalDoubles(chains * d);
        double[] y = new double[chains * d];
        if (algorithm == Algorithm.RWM) {
            for (int i = 0; i < y.length; i++) {
                y[i] = x[i] + step[i / d] * xi[i];
            }
        } else {
            for (int i = 0; i < y.length; i++) {
                double e = step[i / d];
                y[i] = x[i] - e * beta * grad[i] + Math.sqrt(2 * e) * xi[i];
            }
        }
        double[] ey = model.energies(y, chains);
        double[] gy = algorithm == Algorithm.MALA ? gradient(model, backend, y, chains) : null;
        int acc = 0;
        for (int c = 0; c < chains; c++) {
            double logA = -beta * (ey[c] - energy[c]);
            if (algorithm == Algorithm.MALA) {
                double fwd = 0;
                double rev = 0;
                for (int i = c * d; i < (c + 1) * d; i++) {
                    double a = y[i] - x[i] + step[c] * beta * grad[i];
                    double b = x[i] - y[i] + step[c] * beta * gy[i];
                    fwd += a * a;
                    rev += b * b;
                }
                logA += (fwd - rev) / (4 * step[c]);
            }
            // NaN (a non-finite energy or force) compares false and is rejected
            if (Double.isFinite(ey[c]) && logA >= Math.log(u.nextDouble())) {
                System.arraycopy(y, c * d, x, c * d, d);
                energy[c] = ey[c];
                if (gy != null) {
                    System.arraycopy(gy, c * d, grad, c * d, d);
                }
                acc++;
                if (perChain != null) {
                    perChain[c]++;
                }
            }
        }
        return acc;
    }
}
