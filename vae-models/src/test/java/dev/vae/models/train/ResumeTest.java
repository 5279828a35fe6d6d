package dev.vae.models.train;

import dev.vae.api.Backend;
import dev.vae.api.Backends;
import dev.vae.api.nn.HostArray;
import dev.vae.api.nn.Parameters;
import dev.vae.api.optim.Optimizer;
import dev.vae.api.random.Rng;
import dev.vae.models.TestData;
import dev.vae.models.data.DataSplit;
import dev.vae.models.data.Dataset;
import dev.vae.models.vae.KlRegularizer;
import dev.vae.models.vae.VAE;
import dev.vae.models.vae.VaeConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run interrupted mid-epoch and resumed from its checkpoint ends bit-identical to an uninterrupted one. */
class ResumeTest {
    private static Backend backend;
    private static final DataSplit DATA = TestData.split(300, 100, 12, 2, 3.0, 11);
    private static final Dataset TRAIN = DATA.train();
    private static final Dataset TEST = DATA.test();
    private static final VaeConfig MODEL = VaeConfig.mlp(12, List.of(16, 8), 3);

    @BeforeAll
    static void open() {
        backend = Backends.open("jvm");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static TrainConfig config(Path ckpt) {
        return TrainConfig.recipe().withEpochs(3).withBatchSize(32).withSeed(7)
                .withOptimizer(OptimizerSpec.adam(3e-3)).withSchedule(LrSchedule.parse("cosine:1e-4"))
                .withClipNorm(50).withRegularizer(KlRegularizer.beta(1.5).withWarmup(20).withFreeBits(0.05))
                .withCheckpoint(ckpt, 5);
    }

    private static Map<String, HostArray> uninterrupted(Path dir) {
        try (VAE model = new VAE(backend, MODEL, new Rng(7));
             Optimizer opt = OptimizerSpec.adam(3e-3).create(model.parameters())) {
            TrainResult r = new Trainer(config(dir.resolve("full.safetensors")), TrainingListener.NONE).fit(model, opt, TRAIN, TEST);
            assertEquals(TrainResult.Status.COMPLETED, r.status());
            return Parameters.toHost(model.parameters());
        }
    }

    @Test
    void listenerThrowingMidEpochThenResumeIsBitIdentical(@TempDir Path dir) {
        Map<String, HostArray> expected = uninterrupted(dir);
        Path ckpt = dir.resolve("run.safetensors");
        // 10 batches per epoch; interrupt at step 17 (epoch 2, batch 7): the last checkpoint is at step 15
        TrainingListener crash = new TrainingListener() {
            @Override
            public void onStep(StepInfo s) {
                if (s.step() == 17) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        };
        try (VAE model = new VAE(backend, MODEL, new Rng(7));
             Optimizer opt = OptimizerSpec.adam(3e-3).create(model.parameters())) {
            assertThrows(IllegalStateException.class, () -> new Trainer(config(ckpt), crash).fit(model, opt, TRAIN, TEST));
        }
        assertTrue(Files.exists(ckpt));
        TrainingCheckpoint.Contents c = TrainingCheckpoint.read(ckpt);
        assertEquals(15, c.state().step());
        assertEquals(1, c.state().epoch());
        assertEquals(5, c.state().batch());
        try (VAE model = new VAE(backend, MODEL, new Rng(999));
             Optimizer opt = OptimizerSpec.adam(3e-3).create(model.parameters())) {
            TrainingState start = Trainer.resume(ckpt, model, opt);
            TrainResult r = new Trainer(config(ckpt), TrainingListener.NONE).fit(model, opt, TRAIN, TEST, start);
            assertEquals(TrainResult.Status.COMPLETED, r.status());
            assertEquals(3, r.history().size());
            assertEquals(expected, Parameters.toHost(model.parameters()));
        }
    }

    @Test
    void stopRequestWritesCheckpointAndResumeIsBitIdentical(@TempDir Path dir) {
        Map<String, HostArray> expected = uninterrupted(dir);
        Path ckpt = dir.resolve("run.safetensors");
        try (VAE model = new VAE(backend, MODEL, new Rng(7));
             Optimizer opt = OptimizerSpec.adam(3e-3).create(model.parameters())) {
            Trainer[] holder = new Trainer[1];
            holder[0] = new Trainer(config(ckpt).withCheckpoint(ckpt, 0), new TrainingListener() {
                @Override
                public void onStep(StepInfo s) {
                    if (s.step() == 23) {
                        holder[0].requestStop();
                    }
                }
            });
            TrainResult r = holder[0].fit(model, opt, TRAIN, TEST);
            assertEquals(TrainResult.Status.STOPPED, r.status());
        }
        assertEquals(24, TrainingCheckpoint.read(ckpt).state().step());
        try (VAE model = new VAE(backend, MODEL, new Rng(5));
             Optimizer opt = OptimizerSpec.adam(3e-3).create(model.parameters())) {
            TrainingState start = Trainer.resume(ckpt, model, opt);
            new Trainer(config(ckpt), TrainingListener.NONE).fit(model, opt, TRAIN, TEST, start);
            assertEquals(expected, Parameters.toHost(model.parameters()));
        }
    }
}
