package dev.vae.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vae bench} on the reference backend with tiny runs on synthetic data (no timing assertions). */
class BenchCommandTest {
    private static final String[] TINY = {"--backend", "jvm", "bench", "--steps", "2", "--warmup", "1", "--repeats", "2",
            "--batch-sizes", "8,4", "--data", "synthetic", "--synthetic-samples", "32", "--ceiling-size", "32"};

    private static String[] tiny(String... more) {
        List<String> a = new ArrayList<>(List.of(TINY));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void writesWellFormedJson(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("bench.json");
        CliRun r = CliRun.of(tiny("--out", out.toString()));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("ms/step") && r.out().contains("jvm"), r.out());
        assertTrue(r.out().contains("synthetic"), "the terminal output says the data is synthetic:\n" + r.out());
        JsonObject o = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
        assertEquals("synthetic", o.getAsJsonObject("data").get("source").getAsString());
        assertEquals(3_907_200, o.getAsJsonObject("recipe").get("flops_per_sample").getAsDouble(), 0.5);
        assertTrue(o.getAsJsonObject("host").has("load_before"));
        assertTrue(o.get("machine_ceiling_gflops").getAsDouble() > 0);
        var results = o.getAsJsonArray("results");
        assertEquals(2, results.size());
        int[] batches = {8, 4};
        for (int i = 0; i < 2; i++) {
            JsonObject res = results.get(i).getAsJsonObject();
            assertEquals("jvm", res.get("backend").getAsString());
            assertEquals(batches[i], res.get("batch").getAsInt());
            JsonObject ms = res.getAsJsonObject("ms_per_step");
            for (String f : List.of("median", "p10", "p90", "mean")) {
                assertTrue(ms.get(f).getAsDouble() > 0, f);
            }
            assertTrue(ms.get("p10").getAsDouble() <= ms.get("median").getAsDouble());
            assertTrue(ms.get("median").getAsDouble() <= ms.get("p90").getAsDouble());
            assertEquals(2, ms.getAsJsonArray("repeat_means").size());
            assertTrue(res.get("samples_per_s").getAsDouble() > 0);
            assertTrue(res.get("seconds_per_epoch").getAsDouble() > 0);
            JsonObject mem = res.getAsJsonObject("memory");
            assertTrue(mem.get("heap_peak_mb").getAsDouble() > 0);
            assertTrue(mem.has("rss_peak_mb") && mem.has("gc_count") && mem.has("device_memory"));
            assertTrue(mem.get("device_peak_mb").isJsonNull(), "jvm arrays live on the heap: no device memory to report");
            assertEquals(0, res.get("live_arrays_growth").getAsLong(), "the bench leaks no arrays");
            assertTrue(res.get("ceiling_gflops").getAsDouble() > 0);
            assertTrue(res.get("floor_ms_per_step").getAsDouble() > 0);
            assertTrue(res.get("times_floor").getAsDouble() > 0);
            JsonObject b = res.getAsJsonObject("breakdown");
            assertFalse(b.get("async_kernel_times").getAsBoolean());
            JsonObject parts = b.getAsJsonObject("ms_per_step");
            for (String f : List.of("matmul", "elementwise", "reduction", "movement", "memory", "transfer", "optimizer",
                    "framework_overhead")) {
                assertTrue(parts.get(f).getAsDouble() >= 0, f);
            }
            assertTrue(parts.get("matmul").getAsDouble() > 0, "the recipe's dense layers show up as matmul time");
            assertTrue(parts.get("optimizer").getAsDouble() > 0, "the Adam step shows up as optimizer time");
            assertTrue(b.getAsJsonObject("phases_ms_per_step").has("backward"));
            assertTrue(b.getAsJsonArray("ops").size() > 0);
            assertTrue(res.get("pytorch_ratio").isJsonNull());
        }
        assertNoTemporaryFiles(dir, out);
    }

    @Test
    void writesWellFormedCsv(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("bench.csv");
        CliRun r = CliRun.of(tiny("--ceiling-gflops", "100", "--out", out.toString()));
        assertEquals(0, r.status(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size(), String.join("\n", lines));
        List<String> header = List.of(lines.get(0).split(",", -1));
        assertTrue(header.containsAll(List.of("backend", "batch", "ms_median", "ms_p10", "ms_p90", "samples_per_s",
                "seconds_per_epoch", "heap_peak_mb", "matmul_ms", "elementwise_ms", "optimizer_ms", "framework_overhead_ms",
                "floor_ms", "times_floor")), header.toString());
        for (String row : lines.subList(1, 3)) {
            List<String> cells = csvCells(row);
            assertEquals(header.size(), cells.size(), row);
            assertEquals("jvm", cells.get(header.indexOf("backend")));
            assertEquals("synthetic", cells.get(header.indexOf("data")));
            assertEquals(100.0, Double.parseDouble(cells.get(header.indexOf("ceiling_gflops"))), 1e-9);
            assertTrue(Double.parseDouble(cells.get(header.indexOf("ms_median"))) > 0);
        }
        assertNoTemporaryFiles(dir, out);
    }

    @Test
    void missingOutputDirectoryIsOneLineErrorAndNoFile(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("no-such-dir").resolve("bench.json");
        CliRun r = CliRun.of(tiny("--out", out.toString()));
        assertNotEquals(0, r.status());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("vae: ") && r.err().contains("does not exist"), r.err());
        assertFalse(Files.exists(out));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "nothing is created");
        }
    }

    @Test
    void outputThatIsADirectoryOrHasAnUnknownExtensionIsRejected(@TempDir Path dir) throws IOException {
        Path sub = Files.createDirectory(dir.resolve("results.json"));
        CliRun r = CliRun.of(tiny("--out", sub.toString()));
        assertNotEquals(0, r.status());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        Path txt = dir.resolve("bench.txt");
        CliRun r2 = CliRun.of(tiny("--out", txt.toString()));
        assertNotEquals(0, r2.status());
        assertTrue(r2.err().startsWith("vae: ") && r2.err().contains(".json or .csv"), r2.err());
        assertFalse(Files.exists(txt));
    }

    @Test
    void unknownBackendFailsWithOneLine() {
        CliRun r = CliRun.of("--backend", "no-such-backend", "bench", "--steps", "1", "--repeats", "1", "--data", "synthetic",
                "--synthetic-samples", "16", "--batch-sizes", "4");
        assertNotEquals(0, r.status());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("vae: ") && l.contains("no-such-backend")), r.err());
    }

    @Test
    void unavailablePythonSkipsTheComparison(@TempDir Path dir) {
        CliRun r = CliRun.of(tiny("--ceiling-gflops", "50", "--compare-pytorch", "--python", dir.resolve("no-python").toString()));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("pytorch: skipped"), r.out());
    }

    private static void assertNoTemporaryFiles(Path dir, Path out) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(out), s.toList(), "only the output file is left");
        }
    }

    /** Splits one CSV line with RFC 4180 quoting. */
    private static List<String> csvCells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        cells.add(cur.toString());
        return cells;
    }
}
