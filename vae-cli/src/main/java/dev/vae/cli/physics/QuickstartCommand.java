package dev.vae.cli.physics;

import dev.vae.cli.output.Bars;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.vae.api.Backend;
import dev.vae.api.GradMode;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.optim.Optimizer;
import dev.vae.api.random.Rng;
import dev.vae.cli.BackendSelector;
import dev.vae.cli.output.Charts;
import dev.vae.cli.output.ProgressListener;
import dev.vae.models.data.DataSplit;
import dev.vae.models.data.Dataset;
import dev.vae.models.data.NpyArray;
import dev.vae.models.data.NpyWriter;
import dev.vae.models.physics.IsingModel;
import dev.vae.models.physics.exact.IsingExact;
import dev.vae.models.physics.mcmc.IsingDataset;
import dev.vae.models.physics.mcmc.IsingMonteCarlo;
import dev.vae.models.physics.sampler.FreeEnergyReport;
import dev.vae.models.train.TrainConfig;
import dev.vae.models.train.TrainResult;
import dev.vae.models.train.Trainer;
import dev.vae.models.vae.Activation;
import dev.vae.models.vae.VAE;
import dev.vae.models.vae.VaeConfig;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code vae quickstart}: the README's first command. Generates 2-D Ising configurations by Wolff
 * Monte Carlo at temperatures around the critical one, trains a VAE with a 2-D latent space on
 * them and plots the latent code against temperature (the ordered phase maps to two clusters far
 * from the origin, the disordered phase to the origin), then trains the free-energy sampler on a
 * 4 x 4 lattice and prints its estimate of F beside Kaufman's exact value. Every plot and a JSON
 * summary go into one folder.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A few minutes on a laptop: Ising configurations by MCMC across the phase transition, a VAE on them, "
                + "the latent code against temperature, and the free-energy sampler on a 4x4 lattice beside the exact value.",
                "Everything is written into OUT (default: quickstart-output)."})
public final class QuickstartCommand implements Callable<Integer> {
    private final BackendSelector selector;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of("quickstart-output");
    @Option(names = "--size", paramLabel = "L", description = "lattice side for the VAE part (default: ${DEFAULT-VALUE})")
    int size = 16;
    @Option(names = "--temperatures", paramLabel = "N", description = "temperatures from 1.5 to 3.5 (default: ${DEFAULT-VALUE})")
    int temperatures = 21;
    @Option(names = "--per-temperature", paramLabel = "N", description = "configurations per temperature (default: ${DEFAULT-VALUE})")
    int perTemperature = 150;
    @Option(names = "--epochs", paramLabel = "N", description = "VAE training epochs (default: ${DEFAULT-VALUE})")
    int epochs = 30;
    @Option(names = "--sampler-steps", paramLabel = "N", description = "free-energy sampler training steps (default: ${DEFAULT-VALUE})")
    int samplerSteps = 400;
    @Option(names = "--seed", paramLabel = "N", description = "seed (default: ${DEFAULT-VALUE})")
    long seed = 1;
    @Option(names = "--no-progress", description = "do not draw progress bars")
    boolean noProgress;

    /** @param selector opens the backend chosen by the global options */
    @Inject
    public QuickstartCommand(BackendSelector selector) {
        this.selector = selector;
    }

    @Override
    public Integer call() {
        if (size < 2 || temperatures < 2 || perTemperature < 10 || epochs < 1 || samplerSteps < 1) {
            throw new IllegalArgumentException("need --size >= 2, --temperatures >= 2, --per-temperature >= 10, --epochs >= 1, "
                    + "--sampler-steps >= 1");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the output directory " + out + ": " + e.getMessage(), e);
        }
        PrintWriter so = spec.commandLine().getOut();
        PrintWriter se = spec.commandLine().getErr();
        Bars bars = new Bars(se, !noProgress);
        long t0 = System.nanoTime();
        JsonObject summary = new JsonObject();
        Rng root = new Rng(seed);
        double tc = 1 / IsingExact.K_CRITICAL;
        try (Backend b = selector.open()) {
            // 1. Monte-Carlo configurations across the transition
            IsingModel lattice = new IsingModel(size);
            double[] temps = new double[temperatures];
            for (int i = 0; i < temperatures; i++) {
                temps[i] = 1.5 + 2.0 * i / (temperatures - 1);
            }
            so.printf(Locale.ROOT, "[1/3] Wolff Monte Carlo on a %dx%d Ising lattice at %d temperatures from %.2f to %.2f (T_c = %.4f)%n",
                    size, size, temperatures, temps[0], temps[temperatures - 1], tc);
            so.flush();
            Dataset data;
            try (Bars.Bar bar = bars.open("MCMC", (long) temperatures * perTemperature)) {
                data = IsingDataset.generate(lattice, temps, perTemperature, 300, 5, IsingMonteCarlo.Algorithm.WOLFF, root.split(1),
                        bar::stepTo);
            }
            Path mcmcDir = out.resolve("mcmc");
            Files.createDirectories(mcmcDir);
            NpyWriter.write(mcmcDir.resolve("configurations.npy"), NpyArray.ofFloats(data.rows(0, data.size()), data.size(), size, size));
            NpyWriter.write(mcmcDir.resolve("temperatures.npy"), NpyArray.ofDoubles(data.labels().orElseThrow().values(), data.size()));
            double[] labels = data.labels().get().values();
            float[] sampleRows = new float[temperatures * size * size];
            for (int t = 0; t < temperatures; t++) {
                System.arraycopy(data.row(t * perTemperature + perTemperature - 1), 0, sampleRows, t * size * size, size * size);
            }
            double[] shown = new double[sampleRows.length];
            for (int i = 0; i < shown.length; i++) {
                shown[i] = 2 * sampleRows[i] - 1;
            }
            PhysicsCharts.lattices(out.resolve("configurations.png"), shown, temperatures, size, 7);
            so.printf(Locale.ROOT, "      %d configurations in %s (one per temperature in configurations.png)%n", data.size(), mcmcDir);

            // 2. a VAE with a 2-D latent space, and its code against temperature
            so.printf(Locale.ROOT, "[2/3] training a VAE (%d-256-2, tanh, Bernoulli decoder) for %d epochs%n", size * size, epochs);
            so.flush();
            DataSplit split = DataSplit.holdOut(data, 0.1, root.split(2));
            VaeConfig vc = VaeConfig.mlp(size * size, List.of(256), 2).withActivation(Activation.TANH).withSampleShape(size, size);
            TrainConfig tcfg = TrainConfig.recipe().withEpochs(epochs).withSeed(seed);
            double[] codes;
            try (VAE vae = new VAE(b, vc, root.split(3)); Optimizer opt = tcfg.optimizer().create(vae.parameters())) {
                ProgressListener listener = new ProgressListener(so, se, !noProgress, m -> { });
                TrainResult tr = new Trainer(tcfg, listener).fit(vae, opt, split.train(), split.test());
                listener.close();
                if (tr.status() != TrainResult.Status.COMPLETED) {
                    throw new IllegalStateException("VAE training did not complete: " + tr.message());
                }
                summary.add("vae_final_test_loss", Json.num(tr.history().get(tr.history().size() - 1).testLoss()));
                Charts.lossCurves(out.resolve("vae-loss.png"), tr.history(), "VAE on Ising configurations");
                codes = encode(vae, data);
            }
            double[] axis = orderedAxis(codes, labels, temps[Math.min(2, temperatures - 1)]);
            double[] proj = new double[labels.length];
            for (int i = 0; i < labels.length; i++) {
                proj[i] = codes[2 * i] * axis[0] + codes[2 * i + 1] * axis[1];
            }
            PhysicsCharts.latentVsTemperature(out.resolve("latent-vs-temperature.png"), proj, labels, tc,
                    "VAE latent code against temperature, " + size + "x" + size + " Ising");
            Charts.latentScatter(out.resolve("latent.png"), codes, labels, "T", "VAE latent space coloured by temperature");
            Map<Double, double[]> perT = new TreeMap<>();
            for (int i = 0; i < labels.length; i++) {
                double[] acc = perT.computeIfAbsent(labels[i], k -> new double[3]);
                acc[0] += proj[i];
                acc[1] += proj[i] * proj[i];
                acc[2]++;
            }
            JsonArray latent = new JsonArray();
            double[] ts = new double[perT.size()];
            double[] rs = new double[perT.size()];
            int k = 0;
            so.printf(Locale.ROOT, "      spread of the latent code along the ordered-phase axis, per temperature:%n");
            for (Map.Entry<Double, double[]> e : perT.entrySet()) {
                double[] a = e.getValue();
                double mean = a[0] / a[2];
                double r = Math.sqrt(Math.max(0, a[1] / a[2] - mean * mean));
                ts[k] = e.getKey();
                rs[k++] = r;
                so.printf(Locale.ROOT, "        T = %.3f  %.3f %s%n", e.getKey(), r, "#".repeat((int) Math.round(30 * Math.min(r, 2))));
                JsonObject o = new JsonObject();
                o.addProperty("temperature", e.getKey());
                o.add("latent_spread", Json.num(r));
                latent.add(o);
            }
            double crossing = crossing(ts, rs);
            so.printf(Locale.ROOT, "      the two ordered clusters merge at T = %.3f (half-height of the spread; Onsager's T_c = %.4f)%n",
                    crossing, tc);
            summary.add("latent_by_temperature", latent);
            summary.add("latent_transition_temperature", Json.num(crossing));
            summary.addProperty("onsager_critical_temperature", tc);

            // 3. the free-energy sampler on a 4 x 4 lattice, beside Kaufman's exact value
            double beta = 0.44;
            so.printf(Locale.ROOT, "[3/3] free-energy sampler (autoregressive network) on a 4x4 Ising lattice at beta = %.2f%n", beta);
            so.flush();
            FreeEnergyRun.Settings s = new FreeEnergyRun.Settings();
            s.steps = samplerSteps;
            s.hidden = List.of(32);
            s.samples = 100_000;
            s.sampleBatch = 20_000;
            s.baselineSteps = 20_000;
            s.seed = seed;
            Path feDir = out.resolve("free-energy");
            Files.createDirectories(feDir);
            FreeEnergyRun.Result fr = new FreeEnergyRun(new IsingModel(4), beta, s, so, bars).run(b, feDir);
            Json.write(feDir.resolve("metrics.json"), fr.json());
            FreeEnergyReport r = fr.report();
            JsonObject fe = new JsonObject();
            fe.add("exact_F", Json.num(r.exactFreeEnergy().orElse(Double.NaN)));
            fe.add("importance_sampling_F", Json.estimate(r.importanceFreeEnergy()));
            fe.add("variational_bound", Json.estimate(r.variationalBound()));
            fe.add("relative_error", Json.num(r.relativeError()));
            fe.add("ess_fraction", Json.num(r.essFraction()));
            summary.add("free_energy_4x4", fe);
            double seconds = (System.nanoTime() - t0) * 1e-9;
            summary.add("seconds", Json.num(seconds));
            summary.addProperty("backend", b.name());
            Json.write(out.resolve("summary.json"), summary);
            so.println();
            so.printf(Locale.ROOT, "F (4x4, beta 0.44): sampler %.6f ± %.1e, exact %.6f (relative error %.1e)%n",
                    r.importanceFreeEnergy().value(), r.importanceFreeEnergy().error(), r.exactFreeEnergy().orElse(Double.NaN),
                    r.relativeError());
            so.printf(Locale.ROOT, "done in %.0f s. Everything is in %s:%n", seconds, out.toAbsolutePath());
            so.printf(Locale.ROOT, "  summary.json, configurations.png, vae-loss.png, latent-vs-temperature.png, latent.png,%n"
                    + "  mcmc/configurations.npy + temperatures.npy, free-energy/{metrics.json,training.png,log-weights.png,samples.png}%n");
            so.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return 0;
    }

    /** Latent means of every configuration, {@code n * 2}, in batches without gradients. */
    private static double[] encode(VAE vae, Dataset data) {
        int n = data.size();
        int d = data.dim();
        double[] codes = new double[n * 2];
        for (int from = 0; from < n; from += 1000) {
            int to = Math.min(n, from + 1000);
            try (Scope s = Scope.open(); GradMode.Guard g = GradMode.disable()) {
                Tensor x = vae.backend().tensor(data.rows(from, to), to - from, d).cast(vae.config().dtype());
                double[] mu = vae.encode(x).mu().toDoubles();
                System.arraycopy(mu, 0, codes, from * 2, mu.length);
            }
        }
        return codes;
    }

    /**
     * The unit direction separating the two ordered clusters: the principal axis of the codes of
     * the configurations at or below {@code tMax}.
     */
    private static double[] orderedAxis(double[] codes, double[] temps, double tMax) {
        double sx = 0;
        double sy = 0;
        int n = 0;
        for (int i = 0; i < temps.length; i++) {
            if (temps[i] <= tMax) {
                sx += codes[2 * i];
                sy += codes[2 * i + 1];
                n++;
            }
        }
        double mx = sx / n;
        double my = sy / n;
        double cxx = 0;
        double cxy = 0;
        double cyy = 0;
        for (int i = 0; i < temps.length; i++) {
            if (temps[i] <= tMax) {
                double dx = codes[2 * i] - mx;
                double dy = codes[2 * i + 1] - my;
                cxx += dx * dx;
                cxy += dx * dy;
                cyy += dy * dy;
            }
        }
        // leading eigenvector of the 2 x 2 covariance
        double theta = 0.5 * Math.atan2(2 * cxy, cxx - cyy);
        return new double[] {Math.cos(theta), Math.sin(theta)};
    }

    /** @return the temperature where the spread first falls below the midpoint of its range (linear interpolation) */
    private static double crossing(double[] t, double[] r) {
        double hi = Double.NEGATIVE_INFINITY;
        double lo = Double.POSITIVE_INFINITY;
        for (double v : r) {
            hi = Math.max(hi, v);
            lo = Math.min(lo, v);
        }
        double mid = 0.5 * (hi + lo);
        for (int i = 1; i < t.length; i++) {
            if (r[i - 1] >= mid && r[i] < mid) {
                return t[i - 1] + (t[i] - t[i - 1]) * (r[i - 1] - mid) / (r[i - 1] - r[i]);
            }
        }
        return Double.NaN;
    }
}
