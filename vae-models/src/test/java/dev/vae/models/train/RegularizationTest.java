package dev.vae.models.train;

import dev.vae.api.Backend;
import dev.vae.api.Backends;
import dev.vae.api.Tensor;
import dev.vae.api.optim.Optimizer;
import dev.vae.api.random.Rng;
import dev.vae.models.TestData;
import dev.vae.models.data.DataSplit;
import dev.vae.models.eval.ElboReport;
import dev.vae.models.eval.Evaluator;
import dev.vae.models.vae.KlRegularizer;
import dev.vae.models.vae.VAE;
import dev.vae.models.vae.VaeConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * β-VAE, capacity annealing and free bits on data generated from five factors of decreasing
 * strength (so that how many latent units a model keeps depends on how hard the KL is pressed).
 */
class RegularizationTest {
    private static Backend backend;
    private static final DataSplit DATA = TestData.split(1000, 300, 24, 5, 3.0, 0.6, 21);
    private static final VaeConfig MODEL = VaeConfig.mlp(24, List.of(64), 8);
    private static final int EPOCHS = 20;
    private static final int BATCHES = 20;

    @BeforeAll
    static void open() {
        backend = Backends.open("jvm");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private record Outcome(TrainResult result, ElboReport test) {
    }

    private static Outcome train(KlRegularizer reg) {
        try (VAE model = new VAE(backend, MODEL, new Rng(3));
             Optimizer opt = OptimizerSpec.adam(3e-3).create(model.parameters())) {
            TrainConfig c = TrainConfig.recipe().withEpochs(EPOCHS).withBatchSize(50).withSeed(3)
                    .withOptimizer(OptimizerSpec.adam(3e-3)).withRegularizer(reg);
            TrainResult r = new Trainer(c, TrainingListener.NONE).fit(model, opt, DATA.train(), DATA.test());
            assertEquals(TrainResult.Status.COMPLETED, r.status(), r.message());
            try (Tensor test = DATA.test().toTensor(backend)) {
                return new Outcome(r, Evaluator.elbo(model, test, 100, new Rng(99)));
            }
        }
    }

    @Test
    void betaFourKeepsFewerActiveUnitsThanPlainVae() {
        Outcome plain = train(KlRegularizer.none());
        Outcome beta = train(KlRegularizer.beta(4));
        assertTrue(plain.test().activeUnits() >= 2, "plain VAE active units " + plain.test().activeUnits());
        assertTrue(beta.test().activeUnits() < plain.test().activeUnits(),
                "beta=4 active units " + beta.test().activeUnits() + " vs plain " + plain.test().activeUnits());
        assertTrue(beta.test().kl() < plain.test().kl());
    }

    @Test
    void capacityAnnealingHoldsKlNearTheScheduledCapacity() {
        for (double cMax : new double[] {1.0, 3.0}) {
            KlRegularizer reg = KlRegularizer.capacity(20, cMax, 200);
            Outcome o = train(reg);
            // after the ramp (step 200 = epoch 10) the KL per example sits at C_max
            for (EpochMetrics m : o.result().history().subList(12, EPOCHS)) {
                assertEquals(cMax, m.trainKl(), 0.1 * cMax + 0.1, "epoch " + m.epoch() + " train KL, C_max " + cMax);
            }
            assertEquals(cMax, o.test().kl(), 0.1 * cMax + 0.15, "test KL, C_max " + cMax);
            // during the ramp it follows C(t): epoch 5 covers steps 80..99, average C = 0.4475 C_max
            double scheduled = 0;
            for (long s = 4 * BATCHES; s < 5 * BATCHES; s++) {
                scheduled += reg.capacity(s) / BATCHES;
            }
            assertEquals(scheduled, o.result().history().get(4).trainKl(), 0.15 * cMax, "ramp, C_max " + cMax);
        }
    }

    @Test
    void freeBitsKeepEveryDimensionAboveTheFloorWhereBetaFourCollapses() {
        double lambda = 0.3;
        Outcome collapsed = train(KlRegularizer.beta(4));
        Outcome floored = train(KlRegularizer.beta(4).withFreeBits(lambda));
        int above = 0;
        for (double k : floored.test().klPerDim()) {
            above += k > 0.5 * lambda ? 1 : 0;
        }
        int aboveCollapsed = 0;
        for (double k : collapsed.test().klPerDim()) {
            aboveCollapsed += k > 0.5 * lambda ? 1 : 0;
        }
        assertTrue(above >= 6, "dimensions above half the floor with free bits: " + above);
        assertEquals(0, aboveCollapsed);
        // the floor is not a cap: the true KL is reported, and the trained KL reaches the floor
        assertTrue(floored.result().history().get(EPOCHS - 1).trainKl() > 0.8 * lambda * 6);
    }

    @Test
    void warmupRampsTheKlWeightLinearly() {
        KlRegularizer r = KlRegularizer.beta(2).withWarmup(100);
        assertEquals(0.0, r.warmup(0));
        assertEquals(0.5, r.warmup(50));
        assertEquals(1.0, r.warmup(100));
        assertEquals(1.0, r.warmup(1000));
        assertEquals(1.0, KlRegularizer.none().warmup(0));
        assertTrue(KlRegularizer.none().isPlain());
        assertTrue(!r.isPlain());
        assertEquals(r, KlRegularizer.fromJson(r.toJson()));
        Outcome o = train(KlRegularizer.none().withWarmup(200));
        assertTrue(o.test().activeUnits() >= 2);
    }

    @Test
    void capacityScheduleRisesLinearlyToItsMaximum() {
        KlRegularizer r = KlRegularizer.capacity(10, 5, 100);
        assertEquals(0.0, r.capacity(0));
        assertEquals(2.5, r.capacity(50));
        assertEquals(5.0, r.capacity(100));
        assertEquals(5.0, r.capacity(500));
    }
}
