package dev.vae.cli.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recipe's arithmetic, order statistics and the PyTorch report parser. */
class BenchPartsTest {

    @Test
    void recipeFlopsFollowFromTheLayerSizes() {
        List<int[]> layers = Recipe.layers(Recipe.model());
        assertEquals(5, layers.size());
        assertEquals(List.of("784x400", "400x20", "400x20", "20x400", "400x784"),
                layers.stream().map(l -> l[0] + "x" + l[1]).toList());
        assertEquals(2.0 * (784 * 400 + 400 * 20 * 2 + 20 * 400 + 400 * 784) * 3, Recipe.flopsPerSample(Recipe.model()));
        assertEquals(3_907_200, Recipe.flopsPerSample(Recipe.model()));
    }

    @Test
    void quantilesInterpolateLinearly() {
        double[] v = {5, 1, 4, 2, 3};
        assertEquals(3, Stats.quantile(v, 0.5));
        assertEquals(1.4, Stats.quantile(v, 0.1), 1e-12);
        assertEquals(4.6, Stats.quantile(v, 0.9), 1e-12);
        assertEquals(3, Stats.mean(v));
        assertEquals(7, Stats.quantile(new double[] {7}, 0.9));
        assertThrows(IllegalArgumentException.class, () -> Stats.quantile(new double[0], 0.5));
    }

    @Test
    void parsesThePytorchScriptsReport() {
        PytorchBaseline.Report r = PytorchBaseline.parse("{\"torch_version\": \"1.13.1\", \"threads\": 2, \"flush_denormal\": true,"
                + " \"data\": \"synthetic\", \"openblas_coretype\": \"SKYLAKEX\", \"ceiling_size\": 2048, \"ceiling_gflops\": 320.5, \"python\": \"3.11\","
                + " \"results\": [{\"batch\": 128, \"step_ms\": [4.0, 5.0, 6.0], \"repeat_mean_ms\": [5.0],"
                + " \"last_loss_per_sample\": 250.0}]}");
        assertEquals("1.13.1", r.torchVersion());
        assertEquals(320.5, r.ceilingGflops());
        assertEquals("SKYLAKEX", r.openblasCoreType());
        assertEquals(5.0, r.at(128).orElseThrow().meanMs());
        assertTrue(r.at(16).isEmpty());
    }

    @Test
    void openblasCoreTypeFollowsTheCpuFlags() {
        assertEquals("SKYLAKEX", PytorchBaseline.openblasCoreType(
                Set.of("sse3", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl")).orElseThrow());
        assertEquals("HASWELL", PytorchBaseline.openblasCoreType(Set.of("avx", "avx2", "fma")).orElseThrow());
        assertEquals("SANDYBRIDGE", PytorchBaseline.openblasCoreType(Set.of("avx")).orElseThrow());
        assertTrue(PytorchBaseline.openblasCoreType(Set.of("neon")).isEmpty());
    }

    @Test
    void missingInterpreterIsAReasonNotAnError(@TempDir Path dir) {
        PytorchBaseline b = new PytorchBaseline(dir.resolve("python3"), dir.resolve("bench_pytorch.py"));
        assertTrue(b.unavailableReason().orElseThrow().contains("not an executable"));
    }

    @Test
    void theScriptIsFoundInTheRepository() {
        assertTrue(PytorchBaseline.locateScript().isPresent(), "scripts/bench_pytorch.py is found from the build directory");
    }
}
