package dev.vae.cli.physics;

import dev.vae.cli.output.Bars;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.random.Rng;
import dev.vae.api.spi.Capability;
import dev.vae.models.physics.EnergyModel;
import dev.vae.models.physics.IsingModel;
import dev.vae.models.physics.mcmc.ChainSamples;
import dev.vae.models.physics.mcmc.ContinuousMonteCarlo;
import dev.vae.models.physics.mcmc.IndependenceMetropolis;
import dev.vae.models.physics.mcmc.IsingMonteCarlo;
import dev.vae.models.physics.sampler.FreeEnergyEstimator;
import dev.vae.models.physics.sampler.FreeEnergyReport;
import dev.vae.models.physics.sampler.FreeEnergyTrainer;
import dev.vae.models.physics.sampler.Generator;
import dev.vae.models.physics.sampler.LatentGenerator;
import dev.vae.models.physics.sampler.MadeGenerator;
import dev.vae.models.physics.stats.Autocorrelation;
import dev.vae.models.physics.stats.Estimate;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run of the free-energy sampler: optional Monte-Carlo data, training, estimation, the MCMC
 * baseline, the printed table, the JSON summary and the plots. Shared by {@code vae free-energy}
 * and {@code vae quickstart}.
 */
final class FreeEnergyRun {
    /** Settings; {@code null} or negative values mean "the default for this system". */
    static final class Settings {
        String generator = "auto";
        List<Integer> hidden;
        int latent = 2;
        int importanceSamples = 4;
        Boolean symmetric;
        int steps = 1000;
        Integer batch;
        Double lr;
        Double finalLr;
        Double annealStart;
        double annealFraction = 0.4;
        double clipNorm = 10;
        Double dataWeight;
        int dataSamples = 10_000;
        double dataFraction = 0.5;
        double dataInitScale = 2;
        int samples = 100_000;
        int sampleBatch = 10_000;
        Integer baselineSteps;
        long seed = 1;
        boolean float64;
    }

    /** What the run produced. */
    record Result(FreeEnergyReport report, List<FreeEnergyTrainer.Point> curve, ChainSamples baseline, JsonObject json,
                  double trainSeconds) {
    }

    private final EnergyModel model;
    private final double beta;
    private final Settings s;
    private final PrintWriter out;
    private final Bars bars;

    FreeEnergyRun(EnergyModel model, double beta, Settings settings, PrintWriter out, Bars bars) {
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("--beta must be positive and finite, got " + beta);
        }
        this.model = model;
        this.beta = beta;
        this.s = settings;
        this.out = out;
        this.bars = bars;
    }

    private String generatorKind() {
        String g = s.generator.toLowerCase(Locale.ROOT);
        if (g.equals("auto")) {
            return model.isDiscrete() ? "made" : "latent";
        }
        if (!g.equals("made") && !g.equals("latent")) {
            throw new IllegalArgumentException("--generator must be auto, made or latent, got '" + s.generator + "'");
        }
        if (g.equals("made") && !model.isDiscrete()) {
            throw new IllegalArgumentException("the autoregressive (made) generator needs a spin system; use --generator latent for "
                    + model.name());
        }
        return g;
    }

    private int[] hidden(String kind) {
        if (s.hidden != null && !s.hidden.isEmpty()) {
            return s.hidden.stream().mapToInt(Integer::intValue).toArray();
        }
        if (kind.equals("made")) {
            return new int[] {Math.max(32, Math.min(256, model.dimension()))};
        }
        return new int[] {64, 64};
    }

    private boolean symmetric() {
        if (s.symmetric != null) {
            return s.symmetric;
        }
        return model instanceof IsingModel && ((IsingModel) model).field() == 0;
    }

    Generator buildGenerator(Backend b, String kind, Rng rng) {
        DType dt = s.float64 && b.supports(Capability.FLOAT64) ? DType.FLOAT64 : DType.FLOAT32;
        if (kind.equals("made")) {
            return new MadeGenerator(b, model.dimension(), hidden(kind), symmetric(), dt, rng);
        }
        return new LatentGenerator(b, model.dimension(), model.isDiscrete(), s.latent, hidden(kind), s.importanceSamples, dt, rng);
    }

    FreeEnergyTrainer.Config config(String kind) {
        boolean made = kind.equals("made");
        int batch = s.batch != null ? s.batch : made ? 500 : 256;
        double lr = s.lr != null ? s.lr : made ? 5e-3 : 3e-3;
        double finalLr = s.finalLr != null ? s.finalLr : lr / 10;
        double start = s.annealStart != null ? s.annealStart : made ? 0.3 : 0.2;
        double dw = dataWeight();
        FreeEnergyTrainer.Config c = FreeEnergyTrainer.Config.of(s.steps, batch).withLearningRate(lr, finalLr)
                .withAnnealing(start, (int) Math.round(s.annealFraction * s.steps));
        c = c.withClipNorm(s.clipNorm);
        return dw > 0 ? c.withData(dw, 256).withDataDecay((int) Math.round(s.dataFraction * s.steps)) : c;
    }

    private double dataWeight() {
        if (s.dataWeight != null) {
            if (s.dataWeight < 0) {
                throw new IllegalArgumentException("--data-weight must be >= 0, got " + s.dataWeight);
            }
            return s.dataWeight;
        }
        return model.isDiscrete() ? 0 : 1;
    }

    /** Monte-Carlo configurations for the data term (chains started from a broad distribution). */
    private float[] mcmcData(Rng rng) {
        int n = s.dataSamples;
        if (model.isDiscrete()) {
            IsingModel ising = (IsingModel) model;
            IsingMonteCarlo.Algorithm alg = wolffApplies(ising) ? IsingMonteCarlo.Algorithm.WOLFF : IsingMonteCarlo.Algorithm.METROPOLIS;
            try (Bars.Bar bar = bars.open("MCMC data", n)) {
                ChainSamples cs = new IsingMonteCarlo(ising, beta, rng).run(alg, 200, n, 2, true, k -> bar.stepTo(Math.max(0, k - 200) / 2));
                return cs.configurations();
            }
        }
        int chains = 100;
        int per = Math.max(1, n / chains);
        ContinuousMonteCarlo mc = new ContinuousMonteCarlo(model, beta, chains, rng);
        double[] init = rng.split(1).normalDoubles(chains * model.dimension());
        for (int i = 0; i < init.length; i++) {
            init[i] *= s.dataInitScale;
        }
        mc.positions(init);
        try (Bars.Bar bar = bars.open("MCMC data", 300 + per * 5L)) {
            return mc.run(ContinuousMonteCarlo.Algorithm.RWM, null, 300, per, 5, true, bar::stepTo).configurations();
        }
    }

    private static boolean wolffApplies(IsingModel m) {
        return m.field() == 0 && m.coupling() > 0;
    }

    /** Runs the MCMC baseline and returns its samples. */
    ChainSamples baseline(Backend b, Rng rng) {
        if (model.isDiscrete()) {
            IsingModel ising = (IsingModel) model;
            IsingMonteCarlo.Algorithm alg = wolffApplies(ising) ? IsingMonteCarlo.Algorithm.WOLFF : IsingMonteCarlo.Algorithm.METROPOLIS;
            int sweeps = s.baselineSteps != null ? s.baselineSteps : 20_000;
            int therm = Math.max(100, sweeps / 10);
            try (Bars.Bar bar = bars.open("MCMC baseline (" + alg.label() + ")", therm + sweeps)) {
                return new IsingMonteCarlo(ising, beta, rng).run(alg, therm, sweeps, 1, false, bar::stepTo);
            }
        }
        int steps = s.baselineSteps != null ? s.baselineSteps : 2000;
        int burn = Math.max(200, steps / 5);
        ContinuousMonteCarlo mc = new ContinuousMonteCarlo(model, beta, 64, rng);
        try (Bars.Bar bar = bars.open("MCMC baseline (mala)", burn + steps)) {
            return mc.run(ContinuousMonteCarlo.Algorithm.MALA, b, burn, steps, 1, false, bar::stepTo);
        }
    }

    /**
     * Runs everything.
     *
     * @param backend the backend for the generator and MALA's forces
     * @param plotDir where to write the PNG plots, or null for none
     * @return the result
     */
    Result run(Backend backend, Path plotDir) {
        String kind = generatorKind();
        FreeEnergyTrainer.Config cfg = config(kind);
        if (s.samples < 2 || s.sampleBatch < 1) {
            throw new IllegalArgumentException("--samples must be >= 2 and --sample-batch >= 1");
        }
        Rng root = new Rng(s.seed);
        float[] data = cfg.dataWeight() > 0 ? mcmcData(root.split(10)) : null;
        try (Generator g = buildGenerator(backend, kind, root.split(1))) {
            out.printf(Locale.ROOT, "free-energy sampler for %s at beta = %s on %s%n  %s%n", model.describe(), fmt(beta),
                    backend.name(), g.describe());
            out.printf(Locale.ROOT, "  %d steps of %d samples, Adam %.2g -> %.2g, beta annealed from %.2f over %d steps%s%n",
                    cfg.steps(), cfg.batch(), cfg.learningRate(), cfg.finalLearningRate(), cfg.annealStart(), cfg.annealSteps(),
                    cfg.dataWeight() > 0 ? String.format(Locale.ROOT, ",%n  data term on %d MCMC configurations, weight %.3g%s",
                            data.length / model.dimension(), cfg.dataWeight(), cfg.dataSteps() > 0
                                    ? String.format(Locale.ROOT, " decaying to 0 over %d steps", cfg.dataSteps()) : "") : "");
            out.flush();
            List<FreeEnergyTrainer.Point> curve;
            try (Bars.Bar bar = bars.open("training", cfg.steps())) {
                curve = FreeEnergyTrainer.train(g, model, beta, cfg, data, root.split(2), p -> {
                    bar.stepTo(p.step());
                    bar.message(String.format(Locale.ROOT, "beta %.3f  F_q %.5g", p.beta(), p.bound()));
                });
            }
            double trainSeconds = curve.get(curve.size() - 1).seconds();
            FreeEnergyReport r;
            try (Bars.Bar bar = bars.open("sampling", s.samples)) {
                r = FreeEnergyEstimator.estimate(g, model, beta, s.samples, s.sampleBatch, root.split(3), bar::stepTo);
            }
            ChainSamples base = baseline(backend, root.split(4));
            print(r, base, trainSeconds);
            JsonObject json = json(g, cfg, r, base, curve, trainSeconds, kind);
            Result res = new Result(r, curve, base, json, trainSeconds);
            if (plotDir != null) {
                double[][] pics = pictureSamples(g, model.isDiscrete() ? 64 : 4000, root.split(5));
                plots(res, plotDir, pics[0], pics[1]);
            }
            return res;
        }
    }

    static String fmt(double v) {
        String t = String.format(Locale.ROOT, "%.6g", v);
        return t.contains(".") && !t.contains("e") ? t.replaceAll("\\.?0+$", "") : t;
    }

    private static String pm(Estimate e) {
        return String.format(Locale.ROOT, "%.8g ± %.2g", e.value(), e.error());
    }

    private void print(FreeEnergyReport r, ChainSamples base, double trainSeconds) {
        out.println();
        out.printf(Locale.ROOT, "%-34s %s%n", "exact free energy F", r.exactFreeEnergy().isPresent()
                ? String.format(Locale.ROOT, "%.8g  (%s)", r.exactFreeEnergy().getAsDouble(), r.exactMethod()) : "unknown");
        out.printf(Locale.ROOT, "%-34s %s%n", "variational bound F_q", pm(r.variationalBound()));
        String rel = r.exactFreeEnergy().isPresent()
                ? String.format(Locale.ROOT, "   relative error %.2e, %.2f error bars from exact", r.relativeError(), r.sigmas()) : "";
        out.printf(Locale.ROOT, "%-34s %s%s%n", "importance-sampling F", pm(r.importanceFreeEnergy()), rel);
        out.printf(Locale.ROOT, "%-34s %.0f of %d (%.4f)%n", "Kish effective sample size", r.kishEss(), r.samples(), r.essFraction());
        out.printf(Locale.ROOT, "%-34s %.4f%n", "independence MH acceptance", r.imhAcceptance());
        out.println();
        out.printf(Locale.ROOT, "%-8s %-22s %-22s %-22s %-14s%n", "", "reweighted", "independence MH", "MCMC (" + base.algorithm() + ")",
                "exact");
        for (Map.Entry<String, Estimate> e : r.reweighted().entrySet()) {
            String name = e.getKey();
            Autocorrelation.Analysis imh = r.imh().get(name);
            String mc = "";
            if (base.names().contains(name)) {
                Autocorrelation.Analysis a = base.analysis(name);
                mc = pm(a.estimate()) + (a.reliable() ? "" : " *");
            }
            Double ex = r.exact().get(name);
            out.printf(Locale.ROOT, "%-8s %-22s %-22s %-22s %-14s%n", name, pm(e.getValue()), imh == null ? "" : pm(imh.estimate()), mc,
                    ex == null ? "" : String.format(Locale.ROOT, "%.8g", ex));
        }
        String en = model.energyObservable().name();
        Autocorrelation.Analysis ba = base.analysis(en);
        if (!ba.reliable()) {
            out.printf(Locale.ROOT, "* the MCMC chains are shorter than 100 autocorrelation times: their error bars are not reliable%n");
        }
        out.println();
        out.printf(Locale.ROOT, "effective samples per second of '%s' (sampling only; training took %.1f s):%n", en, trainSeconds);
        out.printf(Locale.ROOT, "  generator, independence MH   %12.1f   (ESS %.0f in %.2f s, tau_int %.2f)%n", r.imhEssPerSecond(),
                r.imh().get(en).ess(), r.seconds(), r.imh().get(en).tau());
        out.printf(Locale.ROOT, "  generator, Kish (reweighting)%12.1f%n", r.kishEssPerSecond());
        out.printf(Locale.ROOT, "  MCMC baseline (%s)%s%12.1f   (ESS %.0f in %.2f s, tau_int %.2f)%n", base.algorithm(),
                " ".repeat(Math.max(0, 13 - base.algorithm().length())), ba.ess() / base.seconds(), ba.ess(), base.seconds(), ba.tau());
        out.flush();
    }

    private JsonObject json(Generator g, FreeEnergyTrainer.Config cfg, FreeEnergyReport r, ChainSamples base,
                            List<FreeEnergyTrainer.Point> curve, double trainSeconds, String kind) {
        JsonObject o = new JsonObject();
        o.addProperty("system", model.describe());
        o.addProperty("system_name", model.name());
        o.addProperty("beta", beta);
        JsonObject gen = new JsonObject();
        gen.addProperty("kind", kind);
        gen.addProperty("description", g.describe());
        gen.addProperty("seed", s.seed);
        o.add("generator", gen);
        JsonObject exact = new JsonObject();
        exact.add("F", r.exactFreeEnergy().isPresent() ? Json.num(r.exactFreeEnergy().getAsDouble()) : com.google.gson.JsonNull.INSTANCE);
        exact.addProperty("method", r.exactMethod());
        JsonObject ex = new JsonObject();
        r.exact().forEach((k, v) -> ex.add(k, Json.num(v)));
        exact.add("expectations", ex);
        o.add("exact", exact);
        JsonObject tr = new JsonObject();
        tr.addProperty("steps", cfg.steps());
        tr.addProperty("batch", cfg.batch());
        tr.addProperty("learning_rate", cfg.learningRate());
        tr.addProperty("final_learning_rate", cfg.finalLearningRate());
        tr.addProperty("anneal_start", cfg.annealStart());
        tr.addProperty("anneal_steps", cfg.annealSteps());
        tr.addProperty("data_weight", cfg.dataWeight());
        tr.addProperty("data_decay_steps", cfg.dataSteps());
        tr.add("seconds", Json.num(trainSeconds));
        FreeEnergyTrainer.Point last = curve.get(curve.size() - 1);
        tr.add("final_batch_bound", Json.num(last.bound()));
        JsonArray pts = new JsonArray();
        int stride = Math.max(1, curve.size() / 500);
        for (int i = 0; i < curve.size(); i += stride) {
            FreeEnergyTrainer.Point p = curve.get(i);
            JsonArray a = new JsonArray();
            a.add(p.step());
            a.add(Json.num(p.beta()));
            a.add(Json.num(p.bound()));
            a.add(Json.num(p.boundError()));
            pts.add(a);
        }
        tr.add("curve_step_beta_bound_error", pts);
        o.add("training", tr);
        JsonObject est = new JsonObject();
        est.addProperty("samples", r.samples());
        est.add("variational_bound", Json.estimate(r.variationalBound()));
        est.add("importance_sampling_F", Json.estimate(r.importanceFreeEnergy()));
        est.add("relative_error", Json.num(r.relativeError()));
        est.add("error_bars_from_exact", Json.num(r.sigmas()));
        est.add("kish_ess", Json.num(r.kishEss()));
        est.add("ess_fraction", Json.num(r.essFraction()));
        JsonObject rw = new JsonObject();
        for (Map.Entry<String, Estimate> e : r.reweighted().entrySet()) {
            JsonObject v = Json.estimate(e.getValue());
            Double exv = r.exact().get(e.getKey());
            if (exv != null) {
                v.add("exact", Json.num(exv));
            }
            Double raw = r.raw().get(e.getKey());
            if (raw != null) {
                v.add("unweighted_mean", Json.num(raw));
            }
            rw.add(e.getKey(), v);
        }
        est.add("reweighted", rw);
        JsonObject imh = new JsonObject();
        imh.add("acceptance", Json.num(r.imhAcceptance()));
        for (Map.Entry<String, Autocorrelation.Analysis> e : r.imh().entrySet()) {
            imh.add(e.getKey(), Json.analysis(e.getValue()));
        }
        est.add("independence_mh", imh);
        est.add("sampling_seconds", Json.num(r.seconds()));
        JsonObject eps = new JsonObject();
        eps.add("generator_imh", Json.num(r.imhEssPerSecond()));
        eps.add("generator_kish", Json.num(r.kishEssPerSecond()));
        Autocorrelation.Analysis ba = base.analysis(model.energyObservable().name());
        eps.add("mcmc_baseline", Json.num(ba.ess() / base.seconds()));
        eps.addProperty("observable", model.energyObservable().name());
        est.add("ess_per_second", eps);
        o.add("estimates", est);
        JsonObject mc = new JsonObject();
        mc.addProperty("algorithm", base.algorithm());
        mc.addProperty("chains", base.chains());
        mc.addProperty("samples_per_chain", base.length());
        mc.add("seconds", Json.num(base.seconds()));
        mc.add("acceptance", Json.num(base.acceptance()));
        for (String name : base.names()) {
            JsonObject a = Json.analysis(base.analysis(name));
            a.add("ess_per_second", Json.num(base.effectiveSamplesPerSecond(name)));
            mc.add(name, a);
        }
        o.add("mcmc_baseline", mc);
        return o;
    }

    /** Writes the plots of a finished run into {@code dir}. */
    void plots(Result res, Path dir, double[] sampleX, double[] chainX) {
        FreeEnergyReport r = res.report();
        double exactF = r.exactFreeEnergy().isPresent() ? r.exactFreeEnergy().getAsDouble() : Double.NaN;
        PhysicsCharts.trainingCurve(dir.resolve("training.png"), res.curve(), beta, exactF, r.importanceFreeEnergy().value(),
                "variational free energy during training: " + model.name() + " at beta " + fmt(beta));
        PhysicsCharts.logWeightHistogram(dir.resolve("log-weights.png"), r.logWeights(),
                String.format(Locale.ROOT, "log importance weights (Kish ESS fraction %.3f)", r.essFraction()));
        if (model instanceof IsingModel) {
            int side = ((IsingModel) model).side();
            int n = Math.min(64, sampleX.length / model.dimension());
            PhysicsCharts.lattices(dir.resolve("samples.png"), sampleX, n, side, 8);
        } else if (model.dimension() >= 2) {
            Map<String, double[]> sets = new LinkedHashMap<>();
            sets.put("generator samples", sampleX);
            if (chainX != null) {
                sets.put("after independence MH", chainX);
            }
            PhysicsCharts.contourScatter(dir.resolve("samples.png"), model, beta, sets,
                    "samples over energy contours: " + model.name() + " at beta " + fmt(beta));
        }
    }

    /** Draws a few samples for the pictures, and their independence-chain correction. */
    double[][] pictureSamples(Generator g, int n, Rng rng) {
        FreeEnergyEstimator.Samples smp = FreeEnergyEstimator.draw(g, model, beta, n, Math.min(n, s.sampleBatch), rng, null);
        IndependenceMetropolis.Result chain = IndependenceMetropolis.run(smp.logWeights(), rng.split(1));
        int d = model.dimension();
        double[] corrected = new double[n * d];
        for (int t = 0; t < n; t++) {
            System.arraycopy(smp.x(), chain.states()[t] * d, corrected, t * d, d);
        }
        return new double[][] {smp.x(), corrected};
    }
}
