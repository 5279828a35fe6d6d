package dev.vae.models.physics.mcmc;

import dev.vae.api.random.Rng;
import dev.vae.models.data.Dataset;
import dev.vae.models.data.Labels;
import dev.vae.models.physics.IsingModel;

import java.util.function.IntConsumer;

/**
 * Ising configurations at many temperatures as a labelled {@link Dataset} for {@code vae train}:
 * features are the spins mapped to {@code {0, 1}} ({@code (s + 1) / 2}, so a Bernoulli decoder
 * fits them), the sample shape is {@code (L, L)}, and the continuous label {@code temperature} is
 * {@code T = 1 / beta} (with {@code k_B = 1}). Each temperature has its own chain (a
 * {@link Rng#split(long) split} of the seed's generator), thermalised and then sampled every
 * {@code thin} sweeps.
 */
public final class IsingDataset {
    private IsingDataset() {
    }

    /**
     * Generates the data set.
     *
     * @param model          the lattice
     * @param temperatures   temperatures {@code T > 0}
     * @param perTemperature configurations kept per temperature
     * @param thermalise     sweeps discarded first at each temperature
     * @param thin           sweeps between kept configurations
     * @param algorithm      the update scheme (Wolff needs {@code J > 0, h = 0})
     * @param rng            the generator (split per temperature)
     * @param progress       called with the number of configurations kept so far, or null
     * @return the labelled data set, ordered by temperature
     */
    public static Dataset generate(IsingModel model, double[] temperatures, int perTemperature, int thermalise, int thin,
                                   IsingMonteCarlo.Algorithm algorithm, Rng rng, IntConsumer progress) {
        int n = model.dimension();
        int rows = Math.multiplyExact(temperatures.length, perTemperature);
        float[] features = new float[Math.multiplyExact(rows, n)];
        double[] labels = new double[rows];
        int done = 0;
        for (int t = 0; t < temperatures.length; t++) {
            double temp = temperatures[t];
            if (!(temp > 0) || !Double.isFinite(temp)) {
                throw new IllegalArgumentException("temperatures must be positive and finite, got " + temp);
            }
            IsingMonteCarlo mc = new IsingMonteCarlo(model, 1 / temp, rng.split(t));
            ChainSamples s = mc.run(algorithm, thermalise, perTemperature, thin, true, null);
            float[] c = s.configurations();
            for (int i = 0; i < c.length; i++) {
                features[done * n + i] = (c[i] + 1) * 0.5f;
            }
            for (int k = 0; k < perTemperature; k++) {
                labels[done + k] = temp;
            }
            done += perTemperature;
            if (progress != null) {
                progress.accept(done);
            }
        }
        String name = "ising-" + model.side() + "x" + model.side();
        return Dataset.of(name, features, rows, n).withSampleShape(model.side(), model.side())
                .withLabels(Labels.continuous("temperature", labels));
    }
}
