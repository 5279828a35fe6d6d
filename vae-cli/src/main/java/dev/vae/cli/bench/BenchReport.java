package dev.vae.cli.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one {@code vae bench} invocation measured, with the derived figures (throughput,
 * projected epoch time, distance from the compute floor, ratio to PyTorch), rendered as terminal
 * tables, as JSON or as CSV.
 */
public final class BenchReport {
    /** Where device and native memory show. */
    static final String DEVICE_MEMORY_NOTE = "dev MB is the most device memory the backend's live arrays held after a timed "
            + "step, by its own count (Kernels.deviceMemoryInUse; '-' where the backend cannot tell); the native memory of "
            + "CPU libraries shows in the process RSS";
    private static final String ASYNC_NOTE = "asynchronous backend: kernel times are launch times; "
            + "the wait for the device is charged to transfer (reading the loss)";

    private final HostInfo host;
    private final double[] loadAfter;
    private final BenchData data;
    private final RecipeBench.Settings settings;
    private final List<Integer> batches;
    private final int threads;
    private final double flopsPerSample;
    private final List<BackendRun> runs;
    private final Map<String, String> failed;
    private final Map<String, String> unavailable;
    private final PytorchBaseline.Report pytorch;
    private final String pytorchSkipped;
    private final Double givenCeiling;

    /**
     * @param host           the machine, with the load before the runs
     * @param loadAfter      load averages after the runs (may be null)
     * @param data           the data the runs used
     * @param settings       run lengths and seed
     * @param batches        the batch sizes
     * @param threads        requested threads (0: backend default)
     * @param runs           the measurements, in run order
     * @param failed         backends that failed while running, with the error
     * @param unavailable    discovered backends that cannot run here, with the reason
     * @param pytorch        the PyTorch baseline, or null
     * @param pytorchSkipped why a requested PyTorch comparison did not run, or null
     * @param givenCeiling   the ceiling given with {@code --ceiling-gflops}, or null when measured
     */
    public BenchReport(HostInfo host, double[] loadAfter, BenchData data, RecipeBench.Settings settings,
                       List<Integer> batches, int threads, List<BackendRun> runs, Map<String, String> failed,
                       Map<String, String> unavailable, PytorchBaseline.Report pytorch, String pytorchSkipped,
                       Double givenCeiling) {
        this.host = host;
        this.loadAfter = loadAfter;
        this.data = data;
        this.settings = settings;
        this.batches = List.copyOf(batches);
        this.threads = threads;
        this.flopsPerSample = Recipe.flopsPerSample(Recipe.model());
        this.runs = List.copyOf(runs);
        this.failed = new LinkedHashMap<>(failed);
        this.unavailable = new LinkedHashMap<>(unavailable);
        this.pytorch = pytorch;
        this.pytorchSkipped = pytorchSkipped;
        this.givenCeiling = givenCeiling;
    }

    /** @return the measurements */
    public List<BackendRun> runs() {
        return runs;
    }

    /**
     * @return the machine's compute ceiling: the given one, else the best matmul throughput
     *         measured on any backend or by PyTorch (NaN if none was measured)
     */
    public double machineCeiling() {
        if (givenCeiling != null) {
            return givenCeiling;
        }
        double best = Double.NaN;
        for (BackendRun r : runs) {
            if (!Double.isNaN(r.ceilingGflops()) && (Double.isNaN(best) || r.ceilingGflops() > best)) {
                best = r.ceilingGflops();
            }
        }
        if (pytorch != null && !Double.isNaN(pytorch.ceilingGflops()) && (Double.isNaN(best) || pytorch.ceilingGflops() > best)) {
            best = pytorch.ceilingGflops();
        }
        return best;
    }

    private String machineCeilingSource() {
        if (givenCeiling != null) {
            return "--ceiling-gflops";
        }
        String who = null;
        String how = null;
        double best = Double.NaN;
        for (BackendRun r : runs) {
            if (!Double.isNaN(r.ceilingGflops()) && (Double.isNaN(best) || r.ceilingGflops() > best)) {
                best = r.ceilingGflops();
                who = r.backend();
                how = r.ceilingSource();
            }
        }
        if (pytorch != null && !Double.isNaN(pytorch.ceilingGflops()) && (Double.isNaN(best) || pytorch.ceilingGflops() > best)) {
            who = "pytorch";
            how = "measured " + pytorch.ceilingSize() + "^3";
        }
        return who == null ? "not measured" : "best of the backends: " + who + ", " + how + " float32 matmul";
    }

    /** @return the run's mean step time over PyTorch's at the same batch size, if PyTorch ran */
    public Optional<Double> pytorchRatio(BackendRun r) {
        if (pytorch == null) {
            return Optional.empty();
        }
        return pytorch.at(r.batch()).map(p -> r.meanMs() / p.meanMs());
    }

    // ------------------------------------------------------------------ terminal

    /** Prints the summary table, the time breakdown and the notes. */
    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "vae bench: 784-400-20 Bernoulli VAE (ReLU, BCE(sum)+KLD, Adam 1e-3); %.2f MFLOP per sample per step%n",
                flopsPerSample / 1e6);
        out.println("data:  " + data.description());
        out.printf(Locale.ROOT, "host:  %s, %d processors, threads %s; %s; load before %s, after %s%n", host.cpu(), host.processors(),
                threads == 0 ? "default" : Integer.toString(threads), host.date(), host.loadText(), HostInfo.format(loadAfter));
        out.printf(Locale.ROOT, "steps: %d warm-up, then %d x %d timed; ms/step is the median with p10/p90 of single steps; "
                + "throughput from the mean%n", settings.warmup(), settings.repeats(), settings.steps());
        double machine = machineCeiling();
        out.printf(Locale.ROOT, "floor: machine ceiling %.1f GFLOP/s (%s)%n%n", machine, machineCeilingSource());

        String head = String.format(Locale.ROOT, "%-8s %5s %9s %8s %8s %10s %8s %8s %8s %8s %8s %9s %9s %8s %8s",
                "backend", "batch", "ms/step", "p10", "p90", "samples/s", "s/epoch", "heap MB", "RSS MB", "RSS +MB", "dev MB",
                "ceil GF/s", "floor ms", "x floor", "x torch");
        out.println(head);
        for (int b : batches) {
            for (BackendRun r : runs) {
                if (r.batch() != b) {
                    continue;
                }
                MemoryProbe.Usage m = r.timing().memory();
                double floor = r.floorMs(flopsPerSample, machine);
                long device = r.timing().devicePeakBytes();
                out.printf(Locale.ROOT, "%-8s %5d %9.3f %8.3f %8.3f %10.0f %8.2f %8.0f %8s %8s %8s %9.1f %9.3f %8.1f %8s%n",
                        r.backend(), b, r.medianMs(), r.p10Ms(), r.p90Ms(), r.samplesPerSecond(), r.secondsPerEpoch(),
                        m.heapPeakBytes() / 1048576.0, m.rssPeakBytes() < 0 ? "-" : String.format(Locale.ROOT, "%.0f", m.rssPeakBytes() / 1048576.0),
                        m.rssPeakBytes() < 0 || m.rssStartBytes() < 0 ? "-"
                                : String.format(Locale.ROOT, "%.0f", Math.max(0, m.rssPeakBytes() - m.rssStartBytes()) / 1048576.0),
                        device < 0 ? "-" : String.format(Locale.ROOT, "%.1f", device / 1048576.0),
                        r.ceilingGflops(), floor, r.meanMs() / floor,
                        pytorchRatio(r).map(x -> String.format(Locale.ROOT, "%.2f", x)).orElse("-"));
            }
            if (pytorch != null) {
                pytorch.at(b).ifPresent(p -> {
                    double floor = b * flopsPerSample / (machine * 1e9) * 1e3;
                    out.printf(Locale.ROOT, "%-8s %5d %9.3f %8.3f %8.3f %10.0f %8.2f %8s %8s %8s %8s %9s %9.3f %8.1f %8s%n",
                            "pytorch", b, Stats.quantile(p.stepMs(), 0.5), Stats.quantile(p.stepMs(), 0.1),
                            Stats.quantile(p.stepMs(), 0.9), b * 1000.0 / p.meanMs(), Recipe.EPOCH_SAMPLES / (b * 1000.0 / p.meanMs()),
                            "-", "-", "-", "-", Double.isNaN(pytorch.ceilingGflops()) ? "-" : String.format(Locale.ROOT, "%.1f", pytorch.ceilingGflops()),
                            floor, p.meanMs() / floor, "1.00");
                });
            }
        }
        out.println();
        out.println("where a step's time goes (profiled run through the timing decorator; ms per step, share of the profiled step):");
        out.printf(Locale.ROOT, "%-8s %5s %9s", "backend", "batch", "profiled");
        for (String c : breakdownLabels()) {
            out.printf(Locale.ROOT, " %14s", c);
        }
        out.println();
        for (BackendRun r : runs) {
            RecipeBench.Profile p = r.profile();
            out.printf(Locale.ROOT, "%-8s %5d %9.3f", r.backend() + (r.asynchronous() ? "*" : ""), r.batch(), p.msPerStep());
            for (double v : breakdownValues(p)) {
                out.printf(Locale.ROOT, " %7.3f (%3.0f%%)", v, 100 * v / p.msPerStep());
            }
            out.println();
        }
        out.println();
        out.printf(Locale.ROOT, "%-8s %5s %9s %9s %9s %9s   %s%n", "backend", "batch", "forward", "backward", "optimizer",
                "cleanup", "top kernels (ms per step, calls per step)");
        for (BackendRun r : runs) {
            RecipeBench.Profile p = r.profile();
            StringBuilder top = new StringBuilder();
            int k = 0;
            for (TimingKernels.OpTime op : p.kernels().ops()) {
                if (k++ == 4) {
                    break;
                }
                top.append(top.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.3f (%s)", op.name(),
                        op.nanos() / 1e6 / p.steps(), perStep(op.calls(), p.steps())));
            }
            out.printf(Locale.ROOT, "%-8s %5d %9.3f %9.3f %9.3f %9.3f   %s%n", r.backend(), r.batch(),
                    p.msPerStep(RecipeBench.Phase.FORWARD), p.msPerStep(RecipeBench.Phase.BACKWARD),
                    p.msPerStep(RecipeBench.Phase.OPTIMIZER), p.msPerStep(RecipeBench.Phase.CLEANUP), top);
        }
        out.println();
        if (runs.stream().anyMatch(BackendRun::asynchronous)) {
            out.println("* " + ASYNC_NOTE);
        }
        out.println("memory: heap MB is the sum of the heap pools' peaks during the timed run; RSS MB the process's peak resident set "
                + (runs.stream().allMatch(r -> r.timing().memory().rssPeakInterval()) ? "during the run" : "since the JVM started")
                + " (earlier backends' memory included), RSS +MB that peak minus the resident set when the run started; "
                + DEVICE_MEMORY_NOTE + ".");
        out.println("floor: the step time if the dense layers' " + String.format(Locale.ROOT, "%.2f", flopsPerSample / 1e6)
                + " MFLOP per sample ran at the machine ceiling and nothing else cost anything; x floor = mean step / floor.");
        if (pytorch != null) {
            out.printf(Locale.ROOT, "pytorch: torch %s, %d threads, flush denormals %s, OPENBLAS_CORETYPE %s, %s; "
                    + "x torch = mean step / PyTorch's mean step%n", pytorch.torchVersion(), pytorch.threads(),
                    pytorch.flushDenormal() ? "on" : "off", pytorch.openblasCoreType().isEmpty() ? "unset" : pytorch.openblasCoreType(),
                    pytorch.data());
        } else if (pytorchSkipped != null) {
            out.println("pytorch: skipped: " + pytorchSkipped);
        }
        for (Map.Entry<String, String> e : failed.entrySet()) {
            out.println("failed: " + e.getKey() + ": " + e.getValue());
        }
        for (Map.Entry<String, String> e : unavailable.entrySet()) {
            out.println("unavailable: " + e.getKey() + ": " + e.getValue());
        }
        out.flush();
    }

    private static String perStep(long calls, int steps) {
        return calls % steps == 0 ? Long.toString(calls / steps) : String.format(Locale.ROOT, "%.1f", (double) calls / steps);
    }

    /** @return the breakdown's column labels, in the order of {@link #breakdownValues} */
    static List<String> breakdownLabels() {
        List<String> l = new ArrayList<>();
        for (KernelCategory c : KernelCategory.values()) {
            l.add(c.label());
        }
        l.add("overhead");
        return l;
    }

    /** @return ms per step of every category, then the framework overhead */
    static double[] breakdownValues(RecipeBench.Profile p) {
        KernelCategory[] cs = KernelCategory.values();
        double[] v = new double[cs.length + 1];
        for (int i = 0; i < cs.length; i++) {
            v[i] = p.msPerStep(cs[i]);
        }
        v[cs.length] = p.overheadMsPerStep();
        return v;
    }

    // ------------------------------------------------------------------ JSON

    private static JsonElement num(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }

    private static JsonArray nums(double[] v) {
        JsonArray a = new JsonArray();
        for (double d : v) {
            a.add(num(d));
        }
        return a;
    }

    private static double mb(long bytes) {
        return bytes < 0 ? Double.NaN : bytes / 1048576.0;
    }

    /** @return the report as one JSON object (see the README's Performance section for the fields) */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("tool", "vae bench");
        JsonObject h = new JsonObject();
        h.addProperty("date", host.date());
        h.addProperty("cpu", host.cpu());
        h.addProperty("processors", host.processors());
        h.addProperty("os", host.os());
        h.addProperty("java", host.javaVersion());
        h.add("load_before", host.load() == null ? JsonNull.INSTANCE : nums(host.load()));
        h.add("load_after", loadAfter == null ? JsonNull.INSTANCE : nums(loadAfter));
        o.add("host", h);
        JsonObject recipe = new JsonObject();
        recipe.addProperty("model", "784-400-20 VAE, ReLU, Bernoulli decoder, fc1/fc21/fc22/fc3/fc4");
        recipe.add("config", JsonParser.parseString(Recipe.model().toJson()));
        recipe.addProperty("loss", "BCE(sum) + KLD");
        recipe.addProperty("optimizer", "adam");
        recipe.addProperty("learning_rate", Recipe.LEARNING_RATE);
        recipe.addProperty("flops_per_sample", flopsPerSample);
        o.add("recipe", recipe);
        JsonObject d = new JsonObject();
        d.addProperty("source", data.source());
        d.addProperty("description", data.description());
        d.addProperty("samples", data.train().size());
        o.add("data", d);
        JsonObject s = new JsonObject();
        s.addProperty("warmup", settings.warmup());
        s.addProperty("steps", settings.steps());
        s.addProperty("repeats", settings.repeats());
        JsonArray bs = new JsonArray();
        batches.forEach(bs::add);
        s.add("batch_sizes", bs);
        s.addProperty("threads", threads);
        s.addProperty("seed", settings.seed());
        o.add("settings", s);
        o.add("machine_ceiling_gflops", num(machineCeiling()));
        o.addProperty("machine_ceiling_source", machineCeilingSource());
        JsonArray results = new JsonArray();
        for (BackendRun r : runs) {
            results.add(runJson(r));
        }
        o.add("results", results);
        JsonArray f = new JsonArray();
        failed.forEach((k, v) -> {
            JsonObject e = new JsonObject();
            e.addProperty("backend", k);
            e.addProperty("error", v);
            f.add(e);
        });
        o.add("failed", f);
        JsonArray u = new JsonArray();
        unavailable.forEach((k, v) -> {
            JsonObject e = new JsonObject();
            e.addProperty("backend", k);
            e.addProperty("reason", v);
            u.add(e);
        });
        o.add("unavailable", u);
        if (pytorch != null) {
            o.add("pytorch", pytorchJson());
        } else if (pytorchSkipped != null) {
            JsonObject p = new JsonObject();
            p.addProperty("skipped", pytorchSkipped);
            o.add("pytorch", p);
        }
        return o;
    }

    private JsonObject runJson(BackendRun r) {
        JsonObject o = new JsonObject();
        o.addProperty("backend", r.backend());
        o.addProperty("device", r.device());
        o.addProperty("asynchronous", r.asynchronous());
        o.addProperty("batch", r.batch());
        o.addProperty("threads", r.threads());
        JsonObject ms = new JsonObject();
        ms.add("median", num(r.medianMs()));
        ms.add("p10", num(r.p10Ms()));
        ms.add("p90", num(r.p90Ms()));
        ms.add("mean", num(r.meanMs()));
        ms.add("repeat_means", nums(r.timing().repeatMeanMs()));
        o.add("ms_per_step", ms);
        o.add("samples_per_s", num(r.samplesPerSecond()));
        o.add("seconds_per_epoch", num(r.secondsPerEpoch()));
        MemoryProbe.Usage m = r.timing().memory();
        JsonObject mem = new JsonObject();
        mem.add("heap_peak_mb", num(mb(m.heapPeakBytes())));
        mem.add("heap_used_end_mb", num(mb(m.heapUsedEndBytes())));
        mem.addProperty("gc_count", m.gcCount());
        mem.addProperty("gc_ms", m.gcMillis());
        mem.add("direct_buffers_mb", num(mb(m.directBytes())));
        mem.add("rss_start_mb", num(mb(m.rssStartBytes())));
        mem.add("rss_peak_mb", num(mb(m.rssPeakBytes())));
        mem.addProperty("rss_peak_scope", m.rssPeakInterval() ? "run" : "process");
        mem.add("device_peak_mb", num(mb(r.timing().devicePeakBytes())));
        mem.addProperty("device_memory", DEVICE_MEMORY_NOTE);
        o.add("memory", mem);
        o.addProperty("live_arrays_growth", r.timing().liveArraysGrowth());
        o.add("last_loss_per_sample", num(r.timing().lastLossPerSample()));
        o.add("ceiling_gflops", num(r.ceilingGflops()));
        o.addProperty("ceiling_source", r.ceilingSource());
        double own = r.floorMs(flopsPerSample, r.ceilingGflops());
        double machine = r.floorMs(flopsPerSample, machineCeiling());
        o.add("floor_ms_per_step", num(own));
        o.add("times_floor", num(r.meanMs() / own));
        o.add("machine_floor_ms_per_step", num(machine));
        o.add("times_machine_floor", num(r.meanMs() / machine));
        o.add("achieved_gflops", num(r.batch() * flopsPerSample / (r.meanMs() * 1e-3) / 1e9));
        o.add("breakdown", breakdownJson(r));
        o.add("pytorch_ratio", pytorchRatio(r).map(BenchReport::num).orElse(JsonNull.INSTANCE));
        return o;
    }

    private static JsonObject breakdownJson(BackendRun r) {
        RecipeBench.Profile p = r.profile();
        JsonObject b = new JsonObject();
        b.addProperty("steps", p.steps());
        b.add("profiled_ms_per_step", num(p.msPerStep()));
        b.add("kernel_calls_per_step", num((double) p.kernels().totalCalls() / p.steps()));
        b.addProperty("async_kernel_times", r.asynchronous());
        if (r.asynchronous()) {
            b.addProperty("note", ASYNC_NOTE);
        }
        JsonObject ms = new JsonObject();
        List<String> labels = breakdownLabels();
        double[] values = breakdownValues(p);
        for (int i = 0; i < values.length; i++) {
            ms.add(labels.get(i).equals("overhead") ? "framework_overhead" : labels.get(i), num(values[i]));
        }
        b.add("ms_per_step", ms);
        JsonObject phases = new JsonObject();
        for (RecipeBench.Phase ph : RecipeBench.Phase.values()) {
            phases.add(ph.name().toLowerCase(Locale.ROOT), num(p.msPerStep(ph)));
        }
        b.add("phases_ms_per_step", phases);
        JsonArray ops = new JsonArray();
        for (TimingKernels.OpTime op : p.kernels().ops()) {
            JsonObject e = new JsonObject();
            e.addProperty("op", op.name());
            e.addProperty("category", op.category().label());
            e.add("ms_per_step", num(op.nanos() / 1e6 / p.steps()));
            e.add("calls_per_step", num((double) op.calls() / p.steps()));
            ops.add(e);
        }
        b.add("ops", ops);
        return b;
    }

    private JsonObject pytorchJson() {
        JsonObject o = new JsonObject();
        o.addProperty("torch_version", pytorch.torchVersion());
        o.addProperty("threads", pytorch.threads());
        o.addProperty("flush_denormal", pytorch.flushDenormal());
        o.addProperty("data", pytorch.data());
        o.addProperty("openblas_coretype", pytorch.openblasCoreType());
        o.add("ceiling_gflops", num(pytorch.ceilingGflops()));
        JsonArray results = new JsonArray();
        for (PytorchBaseline.Result r : pytorch.results()) {
            JsonObject e = new JsonObject();
            e.addProperty("batch", r.batch());
            JsonObject ms = new JsonObject();
            ms.add("median", num(Stats.quantile(r.stepMs(), 0.5)));
            ms.add("p10", num(Stats.quantile(r.stepMs(), 0.1)));
            ms.add("p90", num(Stats.quantile(r.stepMs(), 0.9)));
            ms.add("mean", num(r.meanMs()));
            ms.add("repeat_means", nums(r.repeatMeanMs()));
            e.add("ms_per_step", ms);
            e.add("samples_per_s", num(r.batch() * 1000.0 / r.meanMs()));
            e.add("seconds_per_epoch", num(Recipe.EPOCH_SAMPLES / (r.batch() * 1000.0 / r.meanMs())));
            e.add("last_loss_per_sample", num(r.lastLossPerSample()));
            results.add(e);
        }
        o.add("results", results);
        return o;
    }

    /** @return {@link #toJson()} pretty-printed, with a final newline */
    public String toJsonText() {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(toJson()) + "\n";
    }

    // ------------------------------------------------------------------ CSV

    /** The CSV columns, in order. */
    static final List<String> CSV_COLUMNS = List.of("backend", "batch", "threads", "data", "ms_median", "ms_p10", "ms_p90",
            "ms_mean", "samples_per_s", "seconds_per_epoch", "heap_peak_mb", "rss_peak_mb", "device_peak_mb", "gc_count", "gc_ms",
            "ceiling_gflops", "floor_ms", "times_floor", "machine_ceiling_gflops", "times_machine_floor",
            "profiled_ms", "matmul_ms", "elementwise_ms", "reduction_ms", "movement_ms", "memory_ms", "transfer_ms",
            "optimizer_ms", "framework_overhead_ms", "async_kernel_times", "pytorch_ratio", "date", "cpu", "load_1m");

    /**
     * @return one header line and one row per run (and per PyTorch batch size, as backend
     *         {@code pytorch}, without the columns it does not measure), comma-separated, RFC 4180 quoting
     */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
        double machine = machineCeiling();
        String load = host.load() == null ? "" : fmt(host.load()[0]);
        for (BackendRun r : runs) {
            MemoryProbe.Usage m = r.timing().memory();
            double own = r.floorMs(flopsPerSample, r.ceilingGflops());
            List<String> row = new ArrayList<>(List.of(r.backend(), Integer.toString(r.batch()), Integer.toString(r.threads()),
                    data.source(), fmt(r.medianMs()), fmt(r.p10Ms()), fmt(r.p90Ms()), fmt(r.meanMs()), fmt(r.samplesPerSecond()),
                    fmt(r.secondsPerEpoch()), fmt(mb(m.heapPeakBytes())), fmt(mb(m.rssPeakBytes())),
                    fmt(mb(r.timing().devicePeakBytes())), Long.toString(m.gcCount()),
                    Long.toString(m.gcMillis()), fmt(r.ceilingGflops()), fmt(own), fmt(r.meanMs() / own), fmt(machine),
                    fmt(r.meanMs() / r.floorMs(flopsPerSample, machine)), fmt(r.profile().msPerStep())));
            for (double v : breakdownValues(r.profile())) {
                row.add(fmt(v));
            }
            row.add(Boolean.toString(r.asynchronous()));
            row.add(pytorchRatio(r).map(BenchReport::fmt).orElse(""));
            row.add(host.date());
            row.add(host.cpu());
            row.add(load);
            sb.append(csvLine(row));
        }
        if (pytorch != null) {
            for (PytorchBaseline.Result p : pytorch.results()) {
                Map<String, String> v = new LinkedHashMap<>();
                v.put("backend", "pytorch");
                v.put("batch", Integer.toString(p.batch()));
                v.put("threads", Integer.toString(pytorch.threads()));
                v.put("data", data.source());
                v.put("ms_median", fmt(Stats.quantile(p.stepMs(), 0.5)));
                v.put("ms_p10", fmt(Stats.quantile(p.stepMs(), 0.1)));
                v.put("ms_p90", fmt(Stats.quantile(p.stepMs(), 0.9)));
                v.put("ms_mean", fmt(p.meanMs()));
                v.put("samples_per_s", fmt(p.batch() * 1000.0 / p.meanMs()));
                v.put("seconds_per_epoch", fmt(Recipe.EPOCH_SAMPLES / (p.batch() * 1000.0 / p.meanMs())));
                v.put("ceiling_gflops", fmt(pytorch.ceilingGflops()));
                double floor = p.batch() * flopsPerSample / (machine * 1e9) * 1e3;
                v.put("machine_ceiling_gflops", fmt(machine));
                v.put("times_machine_floor", fmt(p.meanMs() / floor));
                v.put("pytorch_ratio", "1");
                v.put("date", host.date());
                v.put("cpu", host.cpu());
                v.put("load_1m", load);
                List<String> row = new ArrayList<>();
                for (String c : CSV_COLUMNS) {
                    row.add(v.getOrDefault(c, ""));
                }
                sb.append(csvLine(row));
            }
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }

    private static String csvLine(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (i > 0) {
                sb.append(',');
            }
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0) {
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(c);
            }
        }
        return sb.append('\n').toString();
    }
}
