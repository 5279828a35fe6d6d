package dev.vae.cli.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs the PyTorch timing of the recipe, {@code scripts/bench_pytorch.py}, with a system Python
 * that can import {@code torch}, and reads its results. Never needed by the tests: when Python or
 * PyTorch is missing, {@link #unavailableReason} says so and the comparison is skipped.
 */
public final class PytorchBaseline {
    /** The script's path inside the repository. */
    public static final String SCRIPT = "scripts/bench_pytorch.py";
    /** The interpreter used by default (Debian's, where {@code python3-torch} installs). */
    public static final String DEFAULT_PYTHON = "/usr/bin/python3";

    private final Path python;
    private final Path script;

    /**
     * What the script measured at one batch size.
     *
     * @param batch             the batch size
     * @param stepMs            every timed step's wall time
     * @param repeatMeanMs      each repeat's mean step time
     * @param lastLossPerSample the last step's loss per sample
     */
    public record Result(int batch, double[] stepMs, double[] repeatMeanMs, double lastLossPerSample) {
        /** @return the mean step time over all timed steps */
        public double meanMs() {
            return Stats.mean(stepMs);
        }
    }

    /**
     * The script's whole report.
     *
     * @param torchVersion  PyTorch's version
     * @param threads       the thread count PyTorch used
     * @param flushDenormal whether flushing denormals took effect
     * @param data          the data it ran on, described
     * @param ceilingSize   the matrix size of its ceiling measurement (0: not measured)
     * @param ceilingGflops its float32 matmul throughput at that size, or NaN if not measured
     * @param openblasCoreType the {@code OPENBLAS_CORETYPE} it ran with (empty: OpenBLAS's own detection)
     * @param results       per batch size, in the order asked
     */
    public record Report(String torchVersion, int threads, boolean flushDenormal, String data, int ceilingSize, double ceilingGflops,
                         String openblasCoreType, List<Result> results) {
        /** @return the result at {@code batch}, if measured */
        public Optional<Result> at(int batch) {
            return results.stream().filter(r -> r.batch() == batch).findFirst();
        }
    }

    /**
     * @param python the interpreter
     * @param script the benchmark script
     */
    public PytorchBaseline(Path python, Path script) {
        this.python = python;
        this.script = script;
    }

    /**
     * Finds {@link #SCRIPT}: in the current directory or any parent of the directory this class
     * was loaded from (the repository holding {@code vae-cli/target/...}).
     *
     * @return the script, if found
     */
    public static Optional<Path> locateScript() {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            var src = PytorchBaseline.class.getProtectionDomain().getCodeSource();
            if (src != null && src.getLocation() != null) {
                starts.add(Path.of(src.getLocation().toURI()).toAbsolutePath());
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            // no code source: the working directory is all we can search
        }
        for (Path start : starts) {
            for (Path p = start; p != null; p = p.getParent()) {
                Path candidate = p.resolve(SCRIPT);
                if (Files.isRegularFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** @return why the comparison cannot run here (no interpreter, no script, no torch), or empty */
    public Optional<String> unavailableReason() {
        if (!Files.isExecutable(python)) {
            return Optional.of(python + " is not an executable Python interpreter");
        }
        if (!Files.isRegularFile(script)) {
            return Optional.of("the script " + script + " is missing");
        }
        try {
            Process p = new ProcessBuilder(python.toString(), "-c", "import torch, numpy")
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.of(python + " took too long to import torch");
            }
            if (p.exitValue() != 0) {
                String last = text.isEmpty() ? "exit status " + p.exitValue() : text.lines().reduce((a, b) -> b).orElse(text);
                return Optional.of(python + " cannot import torch and numpy (" + last
                        + "); install them with /work/shared/anchors/setup-pytorch.sh or apt-get install python3-torch");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot run " + python + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while checking for torch");
        }
    }

    /**
     * Runs the script and parses its report.
     *
     * @param threads          PyTorch's thread count
     * @param warmup           untimed steps
     * @param steps            timed steps per repeat
     * @param repeats          timed repeats
     * @param batches          batch sizes
     * @param data             {@link BenchData#FASHION_MNIST} or {@link BenchData#SYNTHETIC}
     * @param syntheticSamples rows of synthetic data
     * @param seed             the seed
     * @param ceilingSize      matmul size for the ceiling, 0 for none
     * @return the report
     * @throws IllegalStateException with the script's last output line if it fails
     */
    public Report run(int threads, int warmup, int steps, int repeats, List<Integer> batches, String data,
                      int syntheticSamples, long seed, int ceilingSize) {
        Path json = null;
        try {
            json = Files.createTempFile("vae-bench-pytorch", ".json");
            List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString(),
                    "--threads", Integer.toString(threads), "--warmup", Integer.toString(warmup),
                    "--steps", Integer.toString(steps), "--repeats", Integer.toString(repeats),
                    "--batch-sizes", String.join(",", batches.stream().map(String::valueOf).toList()),
                    "--data", data, "--synthetic-samples", Integer.toString(syntheticSamples),
                    "--seed", Long.toString(seed), "--ceiling-size", Integer.toString(ceilingSize),
                    "--json", json.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.put("OMP_NUM_THREADS", Integer.toString(threads));
            if (!env.containsKey("OPENBLAS_CORETYPE")) {
                openblasCoreType(cpuFlags()).ifPresent(c -> env.put("OPENBLAS_CORETYPE", c));
            }
            Process p = pb.start();
            String output;
            try (InputStream in = p.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            int status = p.waitFor();
            if (status != 0) {
                String last = output.isEmpty() ? "no output" : output.lines().reduce((a, b) -> b).orElse(output);
                throw new IllegalStateException(script + " failed with status " + status + ": " + last);
            }
            return parse(Files.readString(json, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("PyTorch comparison failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("PyTorch comparison interrupted", e);
        } finally {
            if (json != null) {
                try {
                    Files.deleteIfExists(json);
                } catch (IOException ignored) {
                    // a stray temporary file is harmless
                }
            }
        }
    }

    /** @return the CPU's feature flags from {@code /proc/cpuinfo} (empty where unavailable) */
    static Set<String> cpuFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("flags")) {
                    return new HashSet<>(Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
        return Set.of();
    }

    /**
     * The OpenBLAS kernel family for PyTorch's BLAS, chosen from the CPU's flags. OpenBLAS's own
     * detection falls back to SSE3 kernels ("Prescott", several times slower for matrix products)
     * on CPUs it does not recognise, such as virtual machines reporting a generic model; the ND4J
     * backend sets the same variable for its bundled OpenBLAS, so the comparison is even. Applied
     * only when {@code OPENBLAS_CORETYPE} is not already set.
     *
     * @param flags the CPU's flags
     * @return {@code SKYLAKEX}, {@code HASWELL}, {@code SANDYBRIDGE}, or empty to leave OpenBLAS's choice
     */
    static Optional<String> openblasCoreType(Set<String> flags) {
        if (flags.containsAll(List.of("avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"))) {
            return Optional.of("SKYLAKEX");
        }
        if (flags.containsAll(List.of("avx2", "fma"))) {
            return Optional.of("HASWELL");
        }
        if (flags.contains("avx")) {
            return Optional.of("SANDYBRIDGE");
        }
        return Optional.empty();
    }

    /** Parses the script's JSON report. */
    static Report parse(String text) {
        JsonObject o = JsonParser.parseString(text).getAsJsonObject();
        List<Result> results = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("results")) {
            JsonObject r = e.getAsJsonObject();
            results.add(new Result(r.get("batch").getAsInt(), doubles(r.getAsJsonArray("step_ms")),
                    doubles(r.getAsJsonArray("repeat_mean_ms")), r.get("last_loss_per_sample").getAsDouble()));
        }
        JsonElement ceiling = o.get("ceiling_gflops");
        return new Report(o.get("torch_version").getAsString(), o.get("threads").getAsInt(),
                o.get("flush_denormal").getAsBoolean(), o.get("data").getAsString(),
                o.has("ceiling_size") ? o.get("ceiling_size").getAsInt() : 0,
                ceiling == null || ceiling.isJsonNull() ? Double.NaN : ceiling.getAsDouble(),
                o.has("openblas_coretype") && !o.get("openblas_coretype").isJsonNull() ? o.get("openblas_coretype").getAsString() : "",
                results);
    }

    private static double[] doubles(JsonArray a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).getAsDouble();
        }
        return d;
    }
}
