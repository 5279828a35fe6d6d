package dev.vae.models.physics.sampler;

import dev.vae.api.Backend;
import dev.vae.api.Backends;
import dev.vae.api.DType;
import dev.vae.api.random.Rng;
import dev.vae.models.physics.DoubleWell;
import dev.vae.models.physics.GaussianMixture;
import dev.vae.models.physics.IsingModel;
import dev.vae.models.physics.mcmc.ChainSamples;
import dev.vae.models.physics.mcmc.ContinuousMonteCarlo;
import dev.vae.models.physics.stats.Autocorrelation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class LatentGeneratorTest {
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.open("jvm");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void wellSeparatedMixtureAfterMetropolisHastingsCorrection() {
        // modes 8 sigma apart with weights 0.3 / 0.7. Reverse KL alone collapses onto the heavier
        // mode, so the forward-KL data term is used on random-walk chains started from a broad
        // distribution: they sit in whichever mode they fell into (fractions far from 0.3 / 0.7),
        // which makes q cover both modes; importance weights and the independence chain then
        // restore the true weights.
        GaussianMixture m = GaussianMixture.twoModes(2, 8, 0.3);
        double beta = 1;
        ContinuousMonteCarlo mc = new ContinuousMonteCarlo(m, beta, 100, new Rng(7));
        double[] init = new Rng(8).normalDoubles(200);
        for (int i = 0; i < init.length; i++) {
            init[i] *= 4;
        }
        mc.positions(init);
        ChainSamples data = mc.run(ContinuousMonteCarlo.Algorithm.RWM, null, 300, 100, 5, true, null);
        try (LatentGenerator g = new LatentGenerator(backend, 2, false, 2, new int[] {64, 64}, 4, DType.FLOAT32, new Rng(9))) {
            FreeEnergyTrainer.Config cfg = FreeEnergyTrainer.Config.of(800, 256).withLearningRate(3e-3, 3e-4)
                    .withAnnealing(0.2, 400).withData(1.0, 256);
            FreeEnergyTrainer.train(g, m, beta, cfg, data.configurations(), new Rng(10), null);
            FreeEnergyReport r = FreeEnergyEstimator.estimate(g, m, beta, 50_000, 5_000, new Rng(11), null);
            for (int k = 0; k < 2; k++) {
                Autocorrelation.Analysis a = r.imh().get("mode" + k);
                double truth = m.weight(k);
                assertTrue(Math.abs(a.mean() - truth) < 0.02, "mode " + k + " after MH: " + a.mean() + " vs " + truth);
                assertTrue(Math.abs(a.mean() - truth) < 3 * a.error(), "mode " + k + ": " + a.estimate() + " vs " + truth);
            }
            double exact = m.freeEnergy(beta).getAsDouble();
            assertTrue(r.importanceFreeEnergy().within(exact, 3), r.importanceFreeEnergy() + " vs " + exact);
            assertTrue(r.variationalBound().value() > exact);
        }
    }

    @Test
    void doubleWellBothWellsWithTheRightWeight() {
        DoubleWell m = new DoubleWell(2);
        double beta = 1;
        try (LatentGenerator g = new LatentGenerator(backend, 2, false, 2, new int[] {64, 64}, 4, DType.FLOAT32, new Rng(12))) {
            FreeEnergyTrainer.Config cfg = FreeEnergyTrainer.Config.of(800, 256).withLearningRate(3e-3, 3e-4).withAnnealing(0.2, 400);
            FreeEnergyTrainer.train(g, m, beta, cfg, null, new Rng(13), null);
            FreeEnergyReport r = FreeEnergyEstimator.estimate(g, m, beta, 50_000, 5_000, new Rng(14), null);
            double raw = r.raw().get("right");
            assertTrue(raw > 0.2 && raw < 0.8, "the generator itself visits both wells: right fraction " + raw);
            double exactRight = r.exact().get("right");
            assertTrue(r.reweighted().get("right").within(exactRight, 3), "reweighted " + r.reweighted().get("right"));
            assertTrue(Math.abs(r.reweighted().get("right").value() - exactRight) < 0.02);
            assertTrue(r.imh().get("right").estimate().within(exactRight, 3), "chain " + r.imh().get("right").estimate());
            assertTrue(r.importanceFreeEnergy().within(m.freeEnergy(beta).getAsDouble(), 3), r.importanceFreeEnergy().toString());
            assertTrue(r.reweighted().get("U").within(r.exact().get("U"), 3), "energy " + r.reweighted().get("U"));
        }
    }

    @Test
    void isingLatentModelIsUnbiasedOnTheExtendedSpace() {
        // a small, briefly trained latent model is far from p, but the extended-space weights
        // still give an unbiased Z: F within three error bars on a 3x3 lattice
        IsingModel m = new IsingModel(3);
        double beta = 0.3;
        try (LatentGenerator g = new LatentGenerator(backend, 9, true, 2, new int[] {32}, 8, DType.FLOAT32, new Rng(15))) {
            FreeEnergyTrainer.train(g, m, beta, FreeEnergyTrainer.Config.of(200, 256).withLearningRate(3e-3, 1e-3), null,
                    new Rng(16), null);
            FreeEnergyReport r = FreeEnergyEstimator.estimate(g, m, beta, 40_000, 10_000, new Rng(17), null);
            double exact = m.freeEnergy(beta).getAsDouble();
            assertTrue(r.importanceFreeEnergy().within(exact, 3), r.importanceFreeEnergy() + " vs " + exact);
            assertTrue(r.variationalBound().value() > exact + 3 * r.variationalBound().error(), "joint bound above F");
            assertTrue(r.reweighted().get("e").within(r.exact().get("e"), 3), "energy " + r.reweighted().get("e"));
        }
    }
}
