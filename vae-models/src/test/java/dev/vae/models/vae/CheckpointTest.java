package dev.vae.models.vae;

import dev.vae.api.Backend;
import dev.vae.api.Backends;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.optim.Optimizer;
import dev.vae.api.random.Rng;
import dev.vae.models.io.CheckpointFormatException;
import dev.vae.models.train.OptimizerSpec;
import dev.vae.models.train.TrainingCheckpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {
    private static Backend backend;
    private static final VaeConfig SMALL = VaeConfig.mlp(10, List.of(16), 3);

    @BeforeAll
    static void open() {
        backend = Backends.open("jvm");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static Path written(Path dir) {
        Path f = dir.resolve("m.safetensors");
        try (VAE m = new VAE(backend, SMALL, new Rng(1));
             Optimizer opt = OptimizerSpec.adam(1e-3).create(m.parameters())) {
            TrainingCheckpoint.write(f, m, opt, null, null);
        }
        return f;
    }

    private static String fails(Path f, Runnable r) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, r::run);
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        return e.getMessage();
    }

    @Test
    void modelRoundTripsExactlyAndLoadsIntoAFloat64Model(@TempDir Path dir) {
        Path f = written(dir);
        try (VAE a = new VAE(backend, SMALL, new Rng(1)); VAE b = TrainingCheckpoint.loadModel(f, backend); Scope s = Scope.open()) {
            Tensor x = backend.rand(new Rng(2), DType.FLOAT32, 4, 10);
            assertArrayEquals(a.reconstruct(x).toFloats(), b.reconstruct(x).toFloats());
            TrainingCheckpoint.Contents c = TrainingCheckpoint.read(f);
            assertEquals(SMALL, c.model());
            assertTrue(c.metadata().containsKey("optimizer_state_names"));
            try (VAE d = new VAE(backend, c.model().withDtype(DType.FLOAT64), new Rng(9))) {
                TrainingCheckpoint.loadParameters(f, c, d);
                assertArrayEquals(a.parameters().get("fc4.weight").toDoubles(), d.parameters().get("fc4.weight").toDoubles());
            }
        }
    }

    @Test
    void shapesThatDoNotFitTheModelAreNamed(@TempDir Path dir) {
        Path f = written(dir);
        TrainingCheckpoint.Contents c = TrainingCheckpoint.read(f);
        try (VAE other = new VAE(backend, VaeConfig.mlp(10, List.of(8), 3), new Rng(1))) {
            String m = fails(f, () -> TrainingCheckpoint.loadParameters(f, c, other));
            assertEquals(f + ": parameter 'fc1.weight' has shape (16, 10) in the checkpoint but (8, 10) in the model", m);
        }
        try (VAE deeper = new VAE(backend, VaeConfig.mlp(10, List.of(16, 8), 3), new Rng(1))) {
            assertTrue(fails(f, () -> TrainingCheckpoint.loadParameters(f, c, deeper)).contains("is missing from the checkpoint"));
        }
        try (VAE m = new VAE(backend, SMALL, new Rng(1));
             Optimizer sgd = OptimizerSpec.adam(1).create(m.parameters())) {
            Optimizer wrong = new OptimizerSpec("sgd", 0.1, 0, 0.9).create(m.parameters());
            assertTrue(fails(f, () -> TrainingCheckpoint.loadOptimizer(f, c, wrong)).contains("cannot import adam state into a sgd optimizer"));
            TrainingCheckpoint.loadOptimizer(f, c, sgd);
            wrong.close();
        }
    }

    @Test
    void corruptHeadersAndMetadataAreRejected(@TempDir Path dir) throws IOException {
        Path f = written(dir);
        byte[] b = Files.readAllBytes(f);
        byte[] broken = b.clone();
        int at = new String(b, StandardCharsets.ISO_8859_1).indexOf("\"fc1.weight\":{");
        broken[at + 13] = (byte) 0x23;
        Files.write(f, broken);
        assertTrue(fails(f, () -> TrainingCheckpoint.read(f)).contains("header is not valid JSON"));
        broken = b.clone();
        broken[0] = (byte) 0xFF;
        broken[5] = 0x10;
        Files.write(f, broken);
        assertTrue(fails(f, () -> TrainingCheckpoint.read(f)).contains("header length"));
        String text = new String(b, StandardCharsets.ISO_8859_1).replace("dev.vae.checkpoint/1", "dev.vae.checkpoint/9");
        Files.write(f, text.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(fails(f, () -> TrainingCheckpoint.read(f)).contains("metadata field format is 'dev.vae.checkpoint/9'"));
        Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, '{', '}'});
        fails(f, () -> TrainingCheckpoint.read(f));
        Files.write(f, b);
        assertEquals(SMALL, TrainingCheckpoint.read(f).model());
    }
}
