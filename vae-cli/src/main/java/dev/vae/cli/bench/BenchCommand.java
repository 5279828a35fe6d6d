package dev.vae.cli.bench;

import dev.vae.api.Backend;
import dev.vae.api.BackendInfo;
import dev.vae.api.Backends;
import dev.vae.api.spi.BackendConfig;
import dev.vae.cli.BackendSelector;
import dev.vae.cli.GlobalOptions;
import dev.vae.models.io.AtomicFiles;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code vae bench}: times the standard recipe (the pytorch/examples VAE, see {@link Recipe}) on
 * every available backend, or on the one chosen with {@code --backend}, at batch 128 and 16, and
 * reports milliseconds per step, throughput, projected epoch time, memory, where the step's time
 * goes, the distance from the machine's compute floor and, with {@code --compare-pytorch}, the
 * ratio to PyTorch timed in the same invocation.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time the standard recipe (784-400-20 Bernoulli VAE, BCE(sum)+KLD, Adam 1e-3) on every available "
                + "backend (or the one chosen with --backend) and report ms/step (median, p10, p90), samples/s, "
                + "projected s/epoch, peak memory, where the step's time goes (matmul, element-wise, optimizer, "
                + "overhead), the distance from the compute floor and, optionally, the ratio to PyTorch.",
                "Runs on Fashion-MNIST when /usr/share/datasets/fashion-mnist holds it, else on seeded synthetic data "
                        + "(the output says which)."})
public final class BenchCommand implements Callable<Integer> {
    /** Timed products of the ceiling measurement (the fastest counts). */
    private static final int CEILING_REPETITIONS = 5;

    private final BackendSelector selector;
    private final GlobalOptions global;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--steps", paramLabel = "N", description = "timed steps per repeat (default: ${DEFAULT-VALUE})")
    int steps = 100;

    @Option(names = "--warmup", paramLabel = "N", description = "untimed warm-up steps (default: ${DEFAULT-VALUE})")
    int warmup = 30;

    @Option(names = "--repeats", paramLabel = "N", description = "timed repeats (default: ${DEFAULT-VALUE})")
    int repeats = 5;

    @Option(names = "--batch-sizes", paramLabel = "LIST", split = ",",
            description = "batch sizes, comma-separated (default: 128,16)")
    List<Integer> batchSizes = new ArrayList<>(List.of(Recipe.BATCH, 16));

    @Option(names = "--backends", paramLabel = "LIST", split = ",",
            description = "backends to run (default: the one named by --backend, -Dvae.backend or $VAE_BACKEND, else every available one)")
    List<String> backends;

    @Option(names = "--data", paramLabel = "SOURCE",
            description = "auto (Fashion-MNIST if installed, else synthetic), fashion-mnist or synthetic (default: ${DEFAULT-VALUE})")
    String dataChoice = "auto";

    @Option(names = "--synthetic-samples", paramLabel = "N", description = "rows of synthetic data (default: ${DEFAULT-VALUE})")
    int syntheticSamples = 8192;

    @Option(names = "--seed", paramLabel = "N", description = "seeds the models, batch order, noise and synthetic data (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--ceiling-gflops", paramLabel = "GFLOPS",
            description = "the machine's compute ceiling; default: measure a 2048^3 float32 matmul on each backend")
    Double ceilingGflops;

    @Option(names = "--ceiling-size", paramLabel = "N",
            description = "matrix size of the measured ceiling; 0 skips it (default: ${DEFAULT-VALUE})")
    int ceilingSize = MatmulCeiling.DEFAULT_SIZE;

    @Option(names = "--compare-pytorch",
            description = "also time the recipe with PyTorch (scripts/bench_pytorch.py; needs a Python that imports torch) "
                    + "and print each backend's ratio to it")
    boolean comparePytorch;

    @Option(names = "--python", paramLabel = "PATH", description = "Python interpreter for --compare-pytorch (default: ${DEFAULT-VALUE})")
    Path python = Path.of(PytorchBaseline.DEFAULT_PYTHON);

    @Option(names = "--pytorch-script", paramLabel = "FILE",
            description = "the PyTorch benchmark script (default: " + PytorchBaseline.SCRIPT + " in the repository)")
    Path pytorchScript;

    @Option(names = "--out", paramLabel = "FILE",
            description = "also write the results to FILE, as JSON (.json) or CSV (.csv), atomically")
    Path out;

    /**
     * @param selector discovers and opens backends
     * @param global   the global options ({@code --backend}, {@code --threads})
     */
    @Inject
    public BenchCommand(BackendSelector selector, GlobalOptions global) {
        this.selector = selector;
        this.global = global;
    }

    @Override
    public Integer call() {
        String format = checkOutput();
        BenchData.Choice choice = parseChoice(dataChoice);
        if (steps < 1 || repeats < 1 || warmup < 0) {
            throw new IllegalArgumentException("--steps and --repeats must be >= 1 and --warmup >= 0");
        }
        if (batchSizes.isEmpty() || batchSizes.stream().anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("--batch-sizes must be positive, got " + batchSizes);
        }
        if (ceilingGflops != null && !(ceilingGflops > 0 && Double.isFinite(ceilingGflops))) {
            throw new IllegalArgumentException("--ceiling-gflops must be positive, got " + ceilingGflops);
        }
        if (ceilingSize < 0) {
            throw new IllegalArgumentException("--ceiling-size must be >= 0, got " + ceilingSize);
        }
        int maxBatch = batchSizes.stream().mapToInt(Integer::intValue).max().orElse(1);
        if (syntheticSamples < maxBatch) {
            throw new IllegalArgumentException("--synthetic-samples (" + syntheticSamples + ") must be at least the largest batch size (" + maxBatch + ")");
        }
        PrintWriter err = spec.commandLine().getErr();
        HostInfo host = HostInfo.current();
        List<BackendInfo> found = selector.discover();
        List<String> names = chosenBackends(found);
        Map<String, String> unavailable = new LinkedHashMap<>();
        for (BackendInfo b : found) {
            if (!b.available() && !names.contains(b.name())) {
                unavailable.put(b.name(), b.probe().reason());
            }
        }
        BenchData data = BenchData.load(choice, syntheticSamples, Recipe.model().inputDim(), seed);
        progress(err, "data: " + data.description());
        RecipeBench.Settings timed = new RecipeBench.Settings(warmup, steps, repeats, seed);
        RecipeBench.Settings profiled = new RecipeBench.Settings(warmup, steps, 1, seed);
        BackendConfig config = new BackendConfig(global.threads(), Map.of());
        List<BackendRun> runs = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (String name : names) {
            try {
                runs.addAll(runBackend(name, config, found, data, timed, profiled, err));
            } catch (RuntimeException | LinkageError e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ');
                if (names.size() == 1) {
                    throw new IllegalStateException("bench on " + name + " failed: " + why, e);
                }
                failed.put(name, why);
                err.println("vae: bench on " + name + " failed: " + why);
                err.flush();
            }
        }
        if (runs.isEmpty()) {
            throw new IllegalStateException("no backend produced results; " + Backends.summary(found));
        }
        PytorchBaseline.Report torch = null;
        String torchSkipped = null;
        if (comparePytorch) {
            Path script = pytorchScript != null ? pytorchScript : PytorchBaseline.locateScript().orElse(Path.of(PytorchBaseline.SCRIPT));
            PytorchBaseline baseline = new PytorchBaseline(python, script);
            Optional<String> why = baseline.unavailableReason();
            if (why.isPresent()) {
                torchSkipped = why.get();
                progress(err, "PyTorch comparison skipped: " + torchSkipped);
            } else {
                int threads = config.effectiveThreads();
                progress(err, "pytorch: timing with " + threads + " threads");
                torch = baseline.run(threads, warmup, steps, repeats, batchSizes, data.source(), syntheticSamples, seed,
                        ceilingGflops != null ? 0 : ceilingSize);
            }
        }
        BenchReport report = new BenchReport(host, HostInfo.currentLoad(), data, timed, batchSizes, global.threads(), runs,
                failed, unavailable, torch, torchSkipped, ceilingGflops);
        report.print(spec.commandLine().getOut());
        if (out != null) {
            String text = format.equals("csv") ? report.toCsv() : report.toJsonText();
            AtomicFiles.write(out, os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
            progress(err, "wrote " + out);
        }
        return 0;
    }

    private List<BackendRun> runBackend(String name, BackendConfig config, List<BackendInfo> found, BenchData data,
                                        RecipeBench.Settings timed, RecipeBench.Settings profiled, PrintWriter err) {
        List<BackendRun> runs = new ArrayList<>();
        try (Backend backend = Backends.open(name, config, found)) {
            boolean async = AsyncBackends.isAsynchronous(backend.name());
            double ceiling;
            String source;
            if (ceilingGflops != null) {
                ceiling = ceilingGflops;
                source = "--ceiling-gflops";
            } else if (ceilingSize > 0) {
                progress(err, name + ": measuring the matmul ceiling (" + ceilingSize + "^3 float32)");
                ceiling = MatmulCeiling.measure(backend.kernels(), ceilingSize, CEILING_REPETITIONS);
                source = "measured " + ceilingSize + "^3";
            } else {
                ceiling = Double.NaN;
                source = "not measured";
            }
            for (int batch : batchSizes) {
                progress(err, String.format(Locale.ROOT, "%s: batch %d: %d warm-up + %d x %d timed steps", name, batch,
                        timed.warmup(), timed.repeats(), timed.steps()));
                RecipeBench.Timing timing = RecipeBench.time(backend, data.train(), batch, timed);
                progress(err, String.format(Locale.ROOT, "%s: batch %d: profiling %d steps", name, batch, profiled.steps()));
                RecipeBench.Profile profile = RecipeBench.profile(new TimingKernels(backend.kernels()), data.train(), batch, profiled);
                runs.add(new BackendRun(backend.name(), backend.description(), async, batch, config.threads(), timing, profile,
                        ceiling, source));
            }
        }
        return runs;
    }

    private List<String> chosenBackends(List<BackendInfo> found) {
        if (backends != null && !backends.isEmpty()) {
            return backends.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).distinct().toList();
        }
        String requested = Backends.requestedName(global.backend());
        if (requested != null) {
            return List.of(requested);
        }
        List<String> names = found.stream().filter(BackendInfo::available).map(BackendInfo::name).toList();
        if (names.isEmpty()) {
            throw new IllegalStateException("no backend is available; " + Backends.summary(found));
        }
        return names;
    }

    private static BenchData.Choice parseChoice(String s) {
        for (BenchData.Choice c : BenchData.Choice.values()) {
            if (c.label().equalsIgnoreCase(s.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("--data must be auto, fashion-mnist or synthetic, got '" + s + "'");
    }

    /** Checks {@code --out} before any work: a .json or .csv name in an existing, writable directory. */
    private String checkOutput() {
        if (out == null) {
            return null;
        }
        String file = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        String format = file.endsWith(".json") ? "json" : file.endsWith(".csv") ? "csv" : null;
        if (format == null) {
            throw new IllegalArgumentException("--out " + out + ": the name must end in .json or .csv");
        }
        Path abs = out.toAbsolutePath();
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) {
            throw new IllegalArgumentException("--out " + out + " is a directory");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + out + ": directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException("--out " + out + ": directory " + dir + " is not writable");
        }
        return format;
    }

    private static void progress(PrintWriter err, String line) {
        err.println("bench: " + line);
        err.flush();
    }
}
