package dev.vae.models.train;

import dev.vae.api.Backend;
import dev.vae.api.Backends;
import dev.vae.api.nn.HostArray;
import dev.vae.api.nn.Parameters;
import dev.vae.api.optim.Optimizer;
import dev.vae.api.random.Rng;
import dev.vae.models.TestData;
import dev.vae.models.data.DataSplit;
import dev.vae.models.vae.VAE;
import dev.vae.models.vae.VaeConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    private static Backend backend;
    private static final DataSplit DATA = TestData.split(130, 40, 10, 2, 3.0, 5);
    private static final VaeConfig MODEL = VaeConfig.mlp(10, List.of(16), 3);

    @BeforeAll
    static void open() {
        backend = Backends.open("jvm");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void reportsProgressKeepsTheLastPartialBatchAndLeaksNothing() {
        List<StepInfo> steps = new ArrayList<>();
        List<EpochMetrics> epochs = new ArrayList<>();
        int[] started = new int[3];
        TrainingListener l = new TrainingListener() {
            @Override
            public void onStart(int e, int batches, TrainingState state) {
                started[0] = e;
                started[1] = batches;
                started[2]++;
            }

            @Override
            public void onStep(StepInfo s) {
                steps.add(s);
            }

            @Override
            public void onEpoch(EpochMetrics m) {
                epochs.add(m);
            }
        };
        try (VAE model = new VAE(backend, MODEL, new Rng(1));
             Optimizer opt = OptimizerSpec.adam(1e-3).create(model.parameters())) {
            long before = backend.liveArrays();
            TrainResult r = new Trainer(TrainConfig.recipe().withEpochs(2).withBatchSize(64).withClipNorm(5), l)
                    .fit(model, opt, DATA.train(), DATA.test());
            assertEquals(TrainResult.Status.COMPLETED, r.status());
            assertEquals(1, started[2]);
            assertEquals(2, started[0]);
            assertEquals(3, started[1], "130 samples in batches of 64: two full batches and one of 2");
            assertEquals(6, steps.size());
            assertEquals(2, epochs.size());
            assertEquals(6, r.state().step());
            assertEquals("jvm", epochs.get(0).backend());
            assertTrue(Double.isFinite(epochs.get(1).testLoss()));
            assertEquals(epochs.get(1).testLoss(), epochs.get(1).testReconstruction() + epochs.get(1).testKl(), 1e-3);
            assertEquals(epochs.get(1).trainLoss(), epochs.get(1).trainReconstruction() + epochs.get(1).trainKl(), 1e-3);
            // the only arrays left behind are the optimizer's state (two per parameter)
            assertEquals(before + 2 * model.parameters().size(), backend.liveArrays());
        }
    }

    @Test
    void theSameSeedGivesTheSameModelAndAnotherSeedAnother() {
        List<java.util.Map<String, HostArray>> out = new ArrayList<>();
        for (long seed : new long[] {4, 4, 5}) {
            try (VAE model = new VAE(backend, MODEL, new Rng(1));
                 Optimizer opt = OptimizerSpec.adam(1e-3).create(model.parameters())) {
                new Trainer(TrainConfig.recipe().withEpochs(1).withBatchSize(32).withSeed(seed), TrainingListener.NONE)
                        .fit(model, opt, DATA.train(), DATA.test());
                out.add(Parameters.toHost(model.parameters()));
            }
        }
        assertEquals(out.get(0), out.get(1));
        assertNotEquals(out.get(0), out.get(2));
    }

    @Test
    void divergenceStopsWithOneLineAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) {
        Path ckpt = dir.resolve("model.safetensors");
        TrainConfig sane = TrainConfig.recipe().withEpochs(1).withBatchSize(32).withCheckpoint(ckpt, 0);
        try (VAE model = new VAE(backend, MODEL, new Rng(1));
             Optimizer opt = OptimizerSpec.adam(1e-3).create(model.parameters())) {
            assertEquals(TrainResult.Status.COMPLETED, new Trainer(sane, TrainingListener.NONE).fit(model, opt, DATA.train(), DATA.test()).status());
        }
        byte[] good = readAll(ckpt);
        // resume with an absurd learning rate: the loss overflows within a few steps
        TrainConfig absurd = sane.withEpochs(5).withOptimizer(OptimizerSpec.adam(1e12));
        try (VAE model = new VAE(backend, MODEL, new Rng(1));
             Optimizer opt = OptimizerSpec.adam(1e12).create(model.parameters())) {
            TrainingState start = Trainer.resume(ckpt, model, opt);
            TrainResult r = new Trainer(absurd, TrainingListener.NONE).fit(model, opt, DATA.train(), DATA.test(), start);
            assertEquals(TrainResult.Status.DIVERGED, r.status());
            assertTrue(r.message().startsWith("training diverged at epoch 2, step "), r.message());
            assertTrue(r.message().contains("loss is "), r.message());
            assertTrue(r.message().contains("the last good checkpoint (step 5) is kept at " + ckpt), r.message());
            assertTrue(!r.message().contains("\n"));
            assertEquals(1, r.history().size());
            for (HostArray h : Parameters.toHost(model.parameters()).values()) {
                for (double v : h.data()) {
                    assertTrue(Double.isFinite(v), "the model keeps its last finite parameters");
                }
            }
        }
        assertTrue(java.util.Arrays.equals(good, readAll(ckpt)), "the checkpoint on disk is untouched");
        assertEquals(5, TrainingCheckpoint.read(ckpt).state().step());
    }

    private static byte[] readAll(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void learningRateSchedules() {
        LrSchedule c = LrSchedule.parse("constant");
        assertEquals(0.1, c.rate(0.1, 500, 3, 1000));
        LrSchedule s = LrSchedule.parse("step:2:0.5");
        assertEquals(0.1, s.rate(0.1, 0, 1, 100), 1e-15);
        assertEquals(0.05, s.rate(0.1, 0, 2, 100), 1e-15);
        assertEquals(0.025, s.rate(0.1, 0, 5, 100), 1e-15);
        LrSchedule cos = LrSchedule.parse("cosine:0.01");
        assertEquals(0.1, cos.rate(0.1, 0, 0, 100), 1e-15);
        assertEquals(0.055, cos.rate(0.1, 50, 0, 100), 1e-12);
        assertEquals(0.01, cos.rate(0.1, 100, 0, 100), 1e-15);
        assertEquals(cos, LrSchedule.parse(cos.spec()));
        assertEquals(s, LrSchedule.parse(s.spec()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LrSchedule.parse("linear"));
        assertTrue(e.getMessage().contains("constant, step:EVERY_EPOCHS:GAMMA or cosine"));
    }

    @Test
    void configRoundTripsThroughJson() {
        TrainConfig c = TrainConfig.recipe().withClipNorm(3).withSchedule(LrSchedule.parse("step:3:0.1"))
                .withOptimizer(new OptimizerSpec("adamw", 2e-3, 0.01, 0));
        assertEquals(c, TrainConfig.fromJson(c.toJson(), null));
        assertThrows(IllegalArgumentException.class, () -> new OptimizerSpec("lbfgs", 1, 0, 0));
    }
}
