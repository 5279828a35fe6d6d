package dev.vae.models.physics.sampler;

import dev.vae.api.random.Rng;
import dev.vae.models.physics.EnergyModel;
import dev.vae.models.physics.Observable;
import dev.vae.models.physics.mcmc.IndependenceMetropolis;
import dev.vae.models.physics.stats.Autocorrelation;
import dev.vae.models.physics.stats.Estimate;
import dev.vae.models.physics.stats.ImportanceWeights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Turns draws of a trained {@link Generator} into estimates: the variational bound, the
 * importance-sampling free energy with its error bar, Kish's effective sample size, reweighted
 * observables and heat capacity, and an independence Metropolis–Hastings chain with the generator
 * as proposal (acceptance rate, autocorrelation times, chain means with error bars). Energies are
 * evaluated on the host in double precision.
 */
public final class FreeEnergyEstimator {
    private FreeEnergyEstimator() {
    }

    /** Draws of a generator with their energies and log-weights. */
    public record Samples(double[] x, double[] energy, double[] logQ, double[] logWeights, int n, double seconds) {
    }

    /**
     * Draws {@code n} samples in batches and computes their energies and log-weights
     * {@code -beta U - ln q}.
     *
     * @param g        the generator
     * @param model    the system
     * @param beta     inverse temperature
     * @param n        number of samples
     * @param batch    samples per generator call
     * @param rng      the noise
     * @param progress called with the number of samples drawn so far, or null
     * @return the samples
     */
    public static Samples draw(Generator g, EnergyModel model, double beta, int n, int batch, Rng rng, IntConsumer progress) {
        int d = model.dimension();
        double[] x = new double[Math.multiplyExact(n, d)];
        double[] lq = new double[n];
        long start = System.nanoTime();
        for (int done = 0; done < n; ) {
            int m = Math.min(batch, n - done);
            Generator.Draw dr = g.draw(m, rng);
            System.arraycopy(dr.x(), 0, x, done * d, m * d);
            System.arraycopy(dr.logQ(), 0, lq, done, m);
            done += m;
            if (progress != null) {
                progress.accept(done);
            }
        }
        double[] u = model.energies(x, n);
        double[] lw = new double[n];
        for (int i = 0; i < n; i++) {
            lw[i] = -beta * u[i] - lq[i];
        }
        return new Samples(x, u, lq, lw, n, (System.nanoTime() - start) * 1e-9);
    }

    /**
     * Draws samples and computes every estimate.
     *
     * @param g        the trained generator
     * @param model    the system
     * @param beta     inverse temperature
     * @param n        number of samples
     * @param batch    samples per generator call
     * @param rng      the noise (also drives the independence chain)
     * @param progress called with the number of samples drawn so far, or null
     * @return the report
     */
    public static FreeEnergyReport estimate(Generator g, EnergyModel model, double beta, int n, int batch, Rng rng,
                                            IntConsumer progress) {
        Samples s = draw(g, model, beta, n, batch, rng, progress);
        return report(g.describe(), model, beta, s, rng.split(0x1e4));
    }

    /**
     * Computes every estimate from drawn samples.
     *
     * @param generator a description of the proposal
     * @param model     the system
     * @param beta      inverse temperature
     * @param s         the samples
     * @param rng       drives the independence chain
     * @return the report
     */
    public static FreeEnergyReport report(String generator, EnergyModel model, double beta, Samples s, Rng rng) {
        int n = s.n();
        int d = model.dimension();
        ImportanceWeights w = new ImportanceWeights(s.logWeights());
        List<Observable> obs = model.observables();
        Map<String, Estimate> rew = new LinkedHashMap<>();
        Map<String, Double> raw = new LinkedHashMap<>();
        IndependenceMetropolis.Result chain = IndependenceMetropolis.run(s.logWeights(), rng);
        Map<String, Autocorrelation.Analysis> imh = new LinkedHashMap<>();
        for (Observable o : obs) {
            double[] v = o.evaluate(s.x(), n, d);
            rew.put(o.name(), w.reweight(v));
            double m = 0;
            for (double e : v) {
                m += e;
            }
            raw.put(o.name(), m / n);
            imh.put(o.name(), Autocorrelation.analyze(chain.along(v)));
        }
        double[] e = model.energyObservable().evaluate(s.x(), n, d);
        rew.put("c", w.reweightVariance(e).scale(beta * beta * model.sites()));
        return new FreeEnergyReport(model.describe(), beta, generator, n, model.freeEnergy(beta), model.logZMethod(beta),
                w.variationalFreeEnergy(beta), w.freeEnergy(beta), w.kishEss(), w.essFraction(),
                Collections.unmodifiableMap(rew), Collections.unmodifiableMap(raw), model.exactExpectations(beta),
                chain.acceptance(), Collections.unmodifiableMap(imh), s.seconds(), s.logWeights(),
                model.energyObservable().name());
    }
}
