package dev.vae.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vae jmh}: the benchmark list is in the build and JMH's options pass through. */
class JmhCommandTest {

    @Test
    void listsTheKernelBenchmarks() {
        CliRun r = CliRun.of("jmh", "-l");
        assertEquals(0, r.status(), r.err());
        for (String b : new String[] {"MatmulBench.forward", "MatmulBench.gradInput", "MatmulBench.gradWeight",
                "FusedBench.linearFc1", "FusedBench.reluBackward", "FusedBench.bernoulliLogProb", "FusedBench.gaussianKlStdNormal", "AdamBench.adamStep"}) {
            assertTrue(r.out().contains("dev.vae.cli.jmh." + b), b + " in\n" + r.out());
        }
    }

    @Test
    void listsParametersWithTheChosenBackend() {
        CliRun r = CliRun.of("--backend", "jvm", "--threads", "1", "jmh", "-lp", "AdamBench");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("param \"backend\" = {jvm}"), r.out());
        assertTrue(r.out().contains("param \"threads\" = {1}"), r.out());
    }

    @Test
    void anExplicitBackendParameterIsKept() {
        CliRun r = CliRun.of("--backend", "jvm", "jmh", "-lp", "-p", "backend=nd4j", "AdamBench");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("param \"backend\" = {nd4j}"), r.out());
    }

    @Test
    void badJmhOptionIsOneLineError() {
        CliRun r = CliRun.of("jmh", "-i", "not-a-number");
        assertNotEquals(0, r.status());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("vae: jmh:"), r.err());
    }

    @Test
    void unmatchedBenchmarkIsOneLineError() {
        CliRun r = CliRun.of("--backend", "jvm", "jmh", "-f", "0", "-wi", "0", "-i", "1", "NoSuchBench");
        assertNotEquals(0, r.status());
        assertTrue(r.err().contains("no benchmark matches"), r.err());
    }
}
