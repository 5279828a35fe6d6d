package dev.vae.cli.physics;

import dev.vae.cli.output.Bars;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.vae.api.Backend;
import dev.vae.api.random.Rng;
import dev.vae.cli.BackendSelector;
import dev.vae.models.data.NpyArray;
import dev.vae.models.data.NpyWriter;
import dev.vae.models.physics.EnergyModel;
import dev.vae.models.physics.IsingModel;
import dev.vae.models.physics.Systems;
import dev.vae.models.physics.mcmc.ChainSamples;
import dev.vae.models.physics.mcmc.ContinuousMonteCarlo;
import dev.vae.models.physics.mcmc.IsingMonteCarlo;
import dev.vae.models.physics.stats.Autocorrelation;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code vae mcmc}: Markov-chain Monte Carlo at one or many temperatures, writing the
 * configurations as {@code .npy} (with a temperature label file) for {@code vae train}, and every
 * observable's mean with its error bar, autocorrelation time and effective samples per second.
 */
@Command(name = "mcmc", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Markov-chain Monte Carlo: Metropolis or Wolff for Ising, random-walk Metropolis or MALA for continuous systems.",
                "Writes OUT/configurations.npy (Ising spins as 0/1, shape (n, L, L); continuous states (n, D)), "
                        + "OUT/temperatures.npy (one label per configuration) and OUT/summary.json.",
                "Train a VAE on them with: vae train --dataset OUT/configurations.npy --data-option labels=OUT/temperatures.npy --latent 2"})
public final class McmcCommand implements Callable<Integer> {
    private final BackendSelector selector;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--system", required = true, paramLabel = "SPEC", description = "the system, e.g. ising:L=16")
    String system;
    @Option(names = "--beta", paramLabel = "BETA", description = "one inverse temperature")
    Double beta;
    @Option(names = "--temperatures", split = ",", paramLabel = "T", description = "temperatures T = 1/beta, comma-separated")
    List<Double> temperatures;
    @Option(names = "--temperature-range", paramLabel = "LO:HI:N", description = "N temperatures evenly spaced from LO to HI")
    String range;
    @Option(names = "--algorithm", paramLabel = "NAME",
            description = "metropolis, wolff, rwm, mala or auto (Wolff for a ferromagnet in zero field, Metropolis for other lattices, MALA otherwise) (default: ${DEFAULT-VALUE})")
    String algorithm = "auto";
    @Option(names = "--samples", paramLabel = "N", description = "configurations kept per temperature (per chain for continuous systems) (default: ${DEFAULT-VALUE})")
    int samples = 1000;
    @Option(names = "--thermalise", paramLabel = "N", description = "sweeps (steps) discarded first at each temperature (default: ${DEFAULT-VALUE})")
    int thermalise = 1000;
    @Option(names = "--thin", paramLabel = "N", description = "sweeps (steps) between kept configurations (default: ${DEFAULT-VALUE})")
    int thin = 10;
    @Option(names = "--chains", paramLabel = "N", description = "independent chains for continuous systems (default: ${DEFAULT-VALUE})")
    int chains = 16;
    @Option(names = "--spins", paramLabel = "01|pm1", description = "how Ising spins are written: 0/1 (for a Bernoulli decoder) or -1/+1 (default: ${DEFAULT-VALUE})")
    String spins = "01";
    @Option(names = "--seed", paramLabel = "N", description = "seed (default: ${DEFAULT-VALUE})")
    long seed = 1;
    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of("mcmc-run");
    @Option(names = "--no-progress", description = "do not draw progress bars")
    boolean noProgress;

    /** @param selector opens the backend (used by MALA's forces) */
    @Inject
    public McmcCommand(BackendSelector selector) {
        this.selector = selector;
    }

    private double[] temperatures() {
        int given = (beta != null ? 1 : 0) + (temperatures != null ? 1 : 0) + (range != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("give exactly one of --beta, --temperatures and --temperature-range");
        }
        if (beta != null) {
            if (!(beta > 0)) {
                throw new IllegalArgumentException("--beta must be positive, got " + beta);
            }
            return new double[] {1 / beta};
        }
        if (temperatures != null) {
            return temperatures.stream().mapToDouble(Double::doubleValue).toArray();
        }
        String[] p = range.split(":");
        try {
            double lo = Double.parseDouble(p[0]);
            double hi = Double.parseDouble(p[1]);
            int n = Integer.parseInt(p[2]);
            if (p.length != 3 || n < 1) {
                throw new NumberFormatException();
            }
            double[] t = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = n == 1 ? lo : lo + (hi - lo) * i / (n - 1);
            }
            return t;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--temperature-range must be LO:HI:N with N >= 1, got '" + range + "'");
        }
    }

    @Override
    public Integer call() {
        EnergyModel model = Systems.parse(system);
        double[] temps = temperatures();
        for (double t : temps) {
            if (!(t > 0) || !Double.isFinite(t)) {
                throw new IllegalArgumentException("temperatures must be positive and finite, got " + t);
            }
        }
        if (samples < 1 || thermalise < 0 || thin < 1 || chains < 1) {
            throw new IllegalArgumentException("need --samples >= 1, --thermalise >= 0, --thin >= 1, --chains >= 1");
        }
        if (!spins.equals("01") && !spins.equals("pm1")) {
            throw new IllegalArgumentException("--spins must be 01 or pm1, got '" + spins + "'");
        }
        String alg = algorithm.toLowerCase(Locale.ROOT);
        if (model.isDiscrete()) {
            IsingModel ising = (IsingModel) model;
            if (alg.equals("auto")) {
                alg = ising.field() == 0 && ising.coupling() > 0 ? "wolff" : "metropolis";
            }
            if (!alg.equals("wolff") && !alg.equals("metropolis")) {
                throw new IllegalArgumentException("--algorithm for a lattice must be metropolis or wolff, got '" + algorithm + "'");
            }
        } else {
            if (alg.equals("auto")) {
                alg = "mala";
            }
            if (!alg.equals("rwm") && !alg.equals("mala")) {
                throw new IllegalArgumentException("--algorithm for a continuous system must be rwm or mala, got '" + algorithm + "'");
            }
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the output directory " + out + ": " + e.getMessage(), e);
        }
        PrintWriter so = spec.commandLine().getOut();
        Bars bars = new Bars(spec.commandLine().getErr(), !noProgress);
        int d = model.dimension();
        int perTemp = model.isDiscrete() ? samples : samples * chains;
        float[] configs = new float[Math.multiplyExact(Math.multiplyExact(perTemp, temps.length), d)];
        double[] labels = new double[perTemp * temps.length];
        JsonObject summary = new JsonObject();
        summary.addProperty("system", model.describe());
        summary.addProperty("algorithm", alg);
        summary.addProperty("seed", seed);
        JsonArray rows = new JsonArray();
        Rng root = new Rng(seed);
        so.printf(Locale.ROOT, "%s, %s, %d configurations per temperature%n", model.describe(), alg, perTemp);
        String en = model.energyObservable().name();
        List<String> names = new ArrayList<>();
        model.observables().forEach(o -> names.add(o.name()));
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%8s %8s", "T", "beta"));
        for (String name : names) {
            head.append(String.format(Locale.ROOT, " %24s %7s", name, "tau"));
        }
        head.append(String.format(Locale.ROOT, " %12s %12s", "ESS/s(" + en + ")", "exact " + en));
        so.println(head);
        try (Backend b = alg.equals("mala") ? selector.open() : null) {
            for (int ti = 0; ti < temps.length; ti++) {
                double bt = 1 / temps[ti];
                Rng rng = root.split(ti);
                ChainSamples cs;
                String task = String.format(Locale.ROOT, "T=%.4g", temps[ti]);
                long total = thermalise + (long) samples * thin;
                try (Bars.Bar bar = bars.open(task, total)) {
                    if (model.isDiscrete()) {
                        IsingMonteCarlo.Algorithm a = alg.equals("wolff") ? IsingMonteCarlo.Algorithm.WOLFF : IsingMonteCarlo.Algorithm.METROPOLIS;
                        cs = new IsingMonteCarlo((IsingModel) model, bt, rng).run(a, thermalise, samples, thin, true, bar::stepTo);
                    } else {
                        ContinuousMonteCarlo.Algorithm a = alg.equals("mala") ? ContinuousMonteCarlo.Algorithm.MALA : ContinuousMonteCarlo.Algorithm.RWM;
                        cs = new ContinuousMonteCarlo(model, bt, chains, rng).run(a, b, thermalise, samples, thin, true, bar::stepTo);
                    }
                }
                float[] c = cs.configurations();
                int offset = ti * perTemp * d;
                for (int i = 0; i < c.length; i++) {
                    configs[offset + i] = model.isDiscrete() && spins.equals("01") ? (c[i] + 1) * 0.5f : c[i];
                }
                for (int i = 0; i < perTemp; i++) {
                    labels[ti * perTemp + i] = temps[ti];
                }
                Map<String, Double> exact = model.exactExpectations(bt);
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%8.4f %8.5f", temps[ti], bt));
                JsonObject row = new JsonObject();
                row.addProperty("temperature", temps[ti]);
                row.addProperty("beta", bt);
                row.add("seconds", Json.num(cs.seconds()));
                row.add("acceptance", Json.num(cs.acceptance()));
                for (String name : names) {
                    Autocorrelation.Analysis a = cs.analysis(name);
                    line.append(String.format(Locale.ROOT, " %24s %7.2f", String.format(Locale.ROOT, "%.6f ± %.1e", a.mean(), a.error()), a.tau()));
                    JsonObject o = Json.analysis(a);
                    o.add("ess_per_second", Json.num(cs.effectiveSamplesPerSecond(name)));
                    Double ex = exact.get(name);
                    if (ex != null) {
                        o.add("exact", Json.num(ex));
                    }
                    row.add(name, o);
                }
                Double ex = exact.get(en);
                line.append(String.format(Locale.ROOT, " %12.1f %12s", cs.effectiveSamplesPerSecond(en),
                        ex == null ? "" : String.format(Locale.ROOT, "%.6f", ex)));
                so.println(line);
                so.flush();
                rows.add(row);
            }
        }
        summary.add("temperatures", rows);
        int n = labels.length;
        int[] shape = model.isDiscrete()
                ? new int[] {n, ((IsingModel) model).side(), ((IsingModel) model).side()}
                : new int[] {n, d};
        Path cfile = out.resolve("configurations.npy");
        Path tfile = out.resolve("temperatures.npy");
        NpyWriter.write(cfile, NpyArray.ofFloats(configs, shape));
        NpyWriter.write(tfile, NpyArray.ofDoubles(labels, n));
        summary.addProperty("configurations", cfile.toString());
        summary.addProperty("labels", tfile.toString());
        Json.write(out.resolve("summary.json"), summary);
        so.printf(Locale.ROOT, "%nwrote %d configurations to %s, their temperatures to %s and %s%n", n, cfile, tfile,
                out.resolve("summary.json"));
        if (model.isDiscrete() && spins.equals("01")) {
            so.printf(Locale.ROOT, "train a VAE on them: vae train --dataset %s --data-option labels=%s --hidden 256 --latent 2%n",
                    cfile, tfile);
        }
        so.flush();
        return 0;
    }
}
