package dev.vae.conformance;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.GradMode;
import dev.vae.api.Scope;
import dev.vae.api.Shapes;
import dev.vae.api.Tensor;
import dev.vae.api.dist.Bernoulli;
import dev.vae.api.dist.DiagonalGaussian;
import dev.vae.api.dist.StandardNormal;
import dev.vae.api.nn.HostArray;
import dev.vae.api.nn.Init;
import dev.vae.api.nn.LeakyReLU;
import dev.vae.api.nn.Layer;
import dev.vae.api.nn.Linear;
import dev.vae.api.nn.Parameters;
import dev.vae.api.nn.ReLU;
import dev.vae.api.nn.Sequential;
import dev.vae.api.nn.Sigmoid;
import dev.vae.api.nn.Softplus;
import dev.vae.api.nn.Tanh;
import dev.vae.api.objective.Iwae;
import dev.vae.api.objective.NegativeElbo;
import dev.vae.api.optim.AdamW;
import dev.vae.api.optim.Adagrad;
import dev.vae.api.optim.Adam;
import dev.vae.api.optim.GradientClipping;
import dev.vae.api.optim.Optimizer;
import dev.vae.api.optim.RmsProp;
import dev.vae.api.optim.Sgd;
import dev.vae.api.random.Rng;
import dev.vae.api.spi.Capability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Layers, distributions, objectives and optimizer steps against the reference, and short
 * end-to-end training runs whose loss trajectories must follow the reference's.
 *
 * <p>Each check is a scenario run twice, on the backend under test and on the reference, from the
 * same host values (rounded to the sample's dtype, so both start from identical numbers), and
 * compared output by output. Deterministic scenarios run on the float64 reference; stochastic ones
 * (reparameterised samples, objectives, training) draw their noise with Philox in the sample's
 * dtype, so they run on the reference in that same dtype.
 */
@SuppressWarnings("try") // scopes and grad-mode guards are opened for their effect, not referenced
final class ModelChecks {
    private static final DType[] DTYPES = {DType.FLOAT32, DType.FLOAT64};
    /** float32 model computations against the reference. */
    static final Tol MODEL32 = new Tol(Float.MIN_NORMAL, 2e-5, 2e-5,
            "a model chains tens of float32 kernels (matmul accumulations, exp, log, softplus) whose few-ulp errors "
                    + "compound; bounded relative to the element and to the largest element (the jvm and DJL/PyTorch "
                    + "backends stay within about a tenth of this)");
    /** float64 model computations against the reference. */
    static final Tol MODEL64 = new Tol(Double.MIN_NORMAL, 1e-12, 1e-12,
            "a model chains tens of float64 kernels whose few-ulp errors compound");
    /** Values that involve no arithmetic on the backend (initial weights, thresholded samples). */
    static final Tol HOST_EXACT = Tol.exact("the values are generated on the host and only uploaded");

    private ModelChecks() {
    }

    static List<Check> create(Conformance conf, CheckGroup group) {
        switch (group) {
            case LAYERS:
                return layers(conf);
            case DISTRIBUTIONS:
                return distributions(conf);
            case OBJECTIVES:
                return objectives(conf);
            case OPTIMIZERS:
                return optimizers(conf);
            case TRAINING:
                return TrainingChecks.create(conf);
            default:
                throw new IllegalArgumentException("not a model group: " + group);
        }
    }

    // ------------------------------------------------------------------ scenario machinery

    /** Where a scenario runs: the backend, its dtype, and the dtype host values are rounded to. */
    record Ctx(Backend b, DType dtype, DType values) {
        /** @return a tensor of host values (rounded to {@link #values}) */
        Tensor tensor(double[] host, int... shape) {
            return b.tensor(Harness.round(host, values), dtype, shape);
        }

        /** @return uniform values in [lo, hi) drawn from {@code seed} as a tensor */
        Tensor uniform(long seed, double lo, double hi, int... shape) {
            return tensor(Values.uniform(lo, hi).generate(Shapes.sizeInt(shape), new Rng(seed, 31, 0)), shape);
        }

        /** @return a leaf that requires gradients */
        Tensor leaf(Tensor t) {
            return t.requiresGrad(true);
        }

        /** @return a Linear layer with PyTorch's default initial values */
        Linear linear(Rng rng, int in, int out) {
            return TinyVae.layer(b, dtype, values, rng, in, out);
        }
    }

    /** Named host values a scenario produces. */
    static final class Results {
        final Map<String, double[]> values = new LinkedHashMap<>();
        final Map<String, int[]> shapes = new LinkedHashMap<>();

        void put(String name, Tensor t) {
            values.put(name, t.toDoubles());
            shapes.put(name, t.shape());
        }

        void put(String name, double... v) {
            values.put(name, v.clone());
            shapes.put(name, new int[] {v.length});
        }

        /** Records the gradient of every parameter (zeros when it has none) and releases it. */
        void grads(String prefix, Map<String, Tensor> params) {
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                Tensor g = e.getValue().grad();
                if (g == null) {
                    put(prefix + e.getKey(), new double[(int) e.getValue().size()]);
                } else {
                    put(prefix + e.getKey(), g);
                }
                e.getValue().zeroGrad();
            }
        }
    }

    /** A computation run on both backends. */
    @FunctionalInterface
    interface Scenario {
        void run(Ctx c, Results out);
    }

    /** @return {@code sum(t * w)} for fixed weights, the scalar the scenarios differentiate */
    static Tensor weightedSum(Ctx c, Tensor t, long seed) {
        Tensor w = c.tensor(Harness.weights(seed, (int) t.size()), t.shape());
        return t.mul(w).sum();
    }

    static Results exec(Backend b, DType dtype, DType values, Scenario s) {
        Results r = new Results();
        try (Scope scope = Scope.open(); GradMode.Guard g = GradMode.enable()) {
            s.run(new Ctx(b, dtype, values), r);
        }
        return r;
    }

    /** Adds one check per dtype comparing the scenario on the backend and on the reference. */
    static void scenario(List<Check> out, Conformance conf, CheckGroup group, String topic, String name,
                         boolean stochastic, Scenario s) {
        for (DType dt : DTYPES) {
            out.add(Check.of(group, topic, name + " " + dt.label(), () -> {
                Conformance.Env env = conf.env();
                if (dt == DType.FLOAT64) {
                    env.require(Capability.FLOAT64, "float64 samples");
                }
                DType refType = stochastic ? dt : DType.FLOAT64;
                Results ref = exec(env.reference, refType, dt, s);
                long before = env.testee.liveArrays();
                Results got = exec(env.testee, dt, dt, s);
                long after = env.testee.liveArrays();
                compare(ref, got, dt == DType.FLOAT32 ? MODEL32 : MODEL64);
                if (after != before) {
                    throw new AssertionError("live arrays went from " + before + " to " + after + ": the scenario leaked "
                            + (after - before) + " arrays");
                }
            }));
        }
    }

    static void compare(Results ref, Results got, Tol tol) {
        DType dt = tol == MODEL32 ? DType.FLOAT32 : DType.FLOAT64;
        for (Map.Entry<String, double[]> e : ref.values.entrySet()) {
            String k = e.getKey();
            if (!got.values.containsKey(k)) {
                throw new AssertionError("'" + k + "' is missing");
            }
            Compare.assertClose("'" + k + "' " + Shapes.format(ref.shapes.get(k)), e.getValue(), ref.shapes.get(k),
                    got.values.get(k), got.shapes.get(k), dt, tol);
        }
    }

    // ------------------------------------------------------------------ layers

    private static List<Check> layers(Conformance conf) {
        List<Check> out = new ArrayList<>();
        scenario(out, conf, CheckGroup.LAYERS, "Linear", "Linear(5 -> 3) input (4, 5)", false, (c, r) -> {
            try (Linear l = c.linear(new Rng(1), 5, 3)) {
                Tensor x = c.leaf(c.uniform(2, -2, 2, 4, 5));
                Tensor y = l.forward(x);
                r.put("output", y);
                weightedSum(c, y, 3).backward();
                r.grads("grad ", l.parameters());
                r.put("grad input", x.grad());
                x.zeroGrad();
            }
        });
        scenario(out, conf, CheckGroup.LAYERS, "Linear", "Linear(5 -> 3, no bias) input (2, 3, 5)", false, (c, r) -> {
            Rng rng = new Rng(4);
            double[] w = Harness.round(Init.XAVIER_UNIFORM.weightValues(rng, 3, 5), c.values());
            try (Linear l = new Linear(Init.parameter(c.b(), c.dtype(), w, 3, 5), null)) {
                Tensor x = c.leaf(c.uniform(5, -2, 2, 2, 3, 5));
                Tensor y = l.forward(x);
                r.put("output", y);
                weightedSum(c, y, 6).backward();
                r.grads("grad ", l.parameters());
                r.put("grad input", x.grad());
                x.zeroGrad();
            }
        });
        scenario(out, conf, CheckGroup.LAYERS, "Linear", "Linear(5 -> 3) input (0, 5)", false, (c, r) -> {
            try (Linear l = c.linear(new Rng(7), 5, 3)) {
                Tensor x = c.uniform(8, -2, 2, 0, 5);
                Tensor y = l.forward(x);
                r.put("output", y);
                weightedSum(c, y, 9).backward();
                r.grads("grad ", l.parameters());
            }
        });
        Map<String, Supplier<Layer>> acts = new LinkedHashMap<>();
        acts.put("ReLU", ReLU::new);
        acts.put("Sigmoid", Sigmoid::new);
        acts.put("Tanh", Tanh::new);
        acts.put("Softplus", Softplus::new);
        acts.put("LeakyReLU(0.2)", () -> new LeakyReLU(0.2));
        for (Map.Entry<String, Supplier<Layer>> a : acts.entrySet()) {
            scenario(out, conf, CheckGroup.LAYERS, a.getKey(), a.getKey() + " input (4, 6)", false, (c, r) -> {
                Tensor x = c.leaf(c.tensor(Values.awayFromZero(-4, 4, 0.05).generate(24, new Rng(10, 31, 0)), 4, 6));
                try (Layer l = a.getValue().get()) {
                    Tensor y = l.forward(x);
                    r.put("output", y);
                    weightedSum(c, y, 11).backward();
                    r.put("grad input", x.grad());
                    x.zeroGrad();
                }
            });
        }
        scenario(out, conf, CheckGroup.LAYERS, "Sequential",
                "Sequential(Linear(6, 8), ReLU, Linear(8, 8), Tanh, Linear(8, 3), Sigmoid) input (5, 6)", false, (c, r) -> {
                    Rng rng = new Rng(12);
                    try (Sequential net = new Sequential(c.linear(rng, 6, 8), new ReLU(), c.linear(rng, 8, 8), new Tanh(),
                            c.linear(rng, 8, 3), new Sigmoid())) {
                        Tensor x = c.uniform(13, -2, 2, 5, 6);
                        Tensor y = net.forward(x);
                        r.put("output", y);
                        weightedSum(c, y, 14).backward();
                        r.grads("grad ", net.parameters());
                    }
                });
        for (Init init : Init.values()) {
            for (DType dt : DTYPES) {
                out.add(Check.of(CheckGroup.LAYERS, "Init", init + " weight (4, 6) and bias " + dt.label(), () -> {
                    Conformance.Env env = conf.env();
                    if (dt == DType.FLOAT64) {
                        env.require(Capability.FLOAT64, "float64 samples");
                    }
                    Scenario s = (c, r) -> {
                        try (Tensor w = init.weight(c.b(), c.dtype(), new Rng(15), 4, 6);
                             Tensor b = init.bias(c.b(), c.dtype(), new Rng(16), 4, 6)) {
                            r.put("weight", w);
                            r.put("bias", b);
                        }
                    };
                    Results ref = exec(env.reference, dt, dt, s);
                    Results got = exec(env.testee, dt, dt, s);
                    compareExact(ref, got, dt);
                }));
            }
        }
        out.add(Check.of(CheckGroup.LAYERS, "Parameters", "toHost on the backend, load on the reference, and back", () -> {
            Conformance.Env env = conf.env();
            Rng a = new Rng(20);
            Rng b = new Rng(21);
            try (Sequential mine = new Sequential(TinyVae.layer(env.testee, DType.FLOAT32, DType.FLOAT32, a, 3, 4), new ReLU(),
                    TinyVae.layer(env.testee, DType.FLOAT32, DType.FLOAT32, a, 4, 2));
                 Sequential ref = new Sequential(TinyVae.layer(env.reference, DType.FLOAT32, DType.FLOAT32, b, 3, 4), new ReLU(),
                         TinyVae.layer(env.reference, DType.FLOAT32, DType.FLOAT32, b, 4, 2))) {
                Map<String, HostArray> host = Parameters.toHost(mine.parameters());
                Parameters.load(ref.parameters(), host);
                double[] x = Parameters.flatten(mine.parameters());
                double[] y = Parameters.flatten(ref.parameters());
                Compare.assertClose("reference parameters after load", x, new int[] {x.length}, y, new int[] {y.length},
                        DType.FLOAT32, HOST_EXACT);
                Map<String, HostArray> back = Parameters.toHost(ref.parameters());
                Parameters.load(mine.parameters(), back);
                double[] z = Parameters.flatten(mine.parameters());
                Compare.assertClose("parameters after the round trip", x, new int[] {x.length}, z, new int[] {z.length},
                        DType.FLOAT32, HOST_EXACT);
            }
        }));
        return out;
    }

    private static void compareExact(Results ref, Results got, DType dt) {
        for (Map.Entry<String, double[]> e : ref.values.entrySet()) {
            Compare.assertClose("'" + e.getKey() + "'", e.getValue(), ref.shapes.get(e.getKey()), got.values.get(e.getKey()),
                    got.shapes.get(e.getKey()), dt, HOST_EXACT);
        }
    }

    // ------------------------------------------------------------------ distributions

    private static List<Check> distributions(Conformance conf) {
        List<Check> out = new ArrayList<>();
        scenario(out, conf, CheckGroup.DISTRIBUTIONS, "Bernoulli", "logProb, mean, entropy of logits (4, 6)", false, (c, r) -> {
            Tensor l = c.leaf(c.uniform(30, -6, 6, 4, 6));
            Tensor x = c.uniform(31, 0, 1, 4, 6);
            Bernoulli d = new Bernoulli(l);
            Tensor lp = d.logProb(x);
            r.put("logProb", lp);
            r.put("mean", d.mean());
            r.put("entropy", d.entropy());
            weightedSum(c, lp, 32).backward();
            r.put("grad logits", l.grad());
            l.zeroGrad();
        });
        scenario(out, conf, CheckGroup.DISTRIBUTIONS, "Bernoulli", "logProb of logits (1, 6) broadcast over x (4, 6), large logits",
                false, (c, r) -> {
                    Tensor l = c.leaf(c.tensor(new double[] {-60, -20, -1, 1, 20, 60}, 1, 6));
                    Tensor x = c.uniform(33, 0, 1, 4, 6);
                    Tensor lp = new Bernoulli(l).logProb(x);
                    r.put("logProb", lp);
                    weightedSum(c, lp, 34).backward();
                    r.put("grad logits", l.grad());
                    l.zeroGrad();
                });
        out.addAll(bernoulliSamples(conf));
        scenario(out, conf, CheckGroup.DISTRIBUTIONS, "DiagonalGaussian", "logProb, entropy, KL to N(0, I) and to another of (3, 5)",
                false, (c, r) -> {
                    Tensor mu = c.leaf(c.uniform(40, -2, 2, 3, 5));
                    Tensor lv = c.leaf(c.uniform(41, -3, 2, 3, 5));
                    Tensor mu2 = c.uniform(42, -1, 1, 3, 5);
                    Tensor lv2 = c.uniform(43, -2, 2, 3, 5);
                    Tensor x = c.uniform(44, -3, 3, 3, 5);
                    DiagonalGaussian q = new DiagonalGaussian(mu, lv);
                    DiagonalGaussian p = new DiagonalGaussian(mu2, lv2);
                    Tensor lp = q.logProb(x);
                    Tensor kl0 = q.klToStandardNormal();
                    Tensor kl = q.kl(p);
                    r.put("logProb", lp);
                    r.put("entropy", q.entropy());
                    r.put("klToStandardNormal", kl0);
                    r.put("klPerDimToStandardNormal", q.klPerDimToStandardNormal());
                    r.put("kl", kl);
                    r.put("klPerDim", q.klPerDim(p));
                    weightedSum(c, lp, 45).add(weightedSum(c, kl0, 46)).add(weightedSum(c, kl, 47)).backward();
                    r.put("grad mu", mu.grad());
                    r.put("grad logvar", lv.grad());
                    mu.zeroGrad();
                    lv.zeroGrad();
                });
        scenario(out, conf, CheckGroup.DISTRIBUTIONS, "DiagonalGaussian", "rsample and rsample(k = 3) of (4, 5) with gradients",
                true, (c, r) -> {
                    Tensor mu = c.leaf(c.uniform(50, -2, 2, 4, 5));
                    Tensor lv = c.leaf(c.uniform(51, -3, 2, 4, 5));
                    DiagonalGaussian q = new DiagonalGaussian(mu, lv);
                    Rng rng = new Rng(52, 3, 7);
                    Tensor z = q.rsample(rng);
                    Tensor zk = q.rsample(rng, 3);
                    r.put("rsample", z);
                    r.put("rsample k=3", zk);
                    r.put("sample", q.sample(rng));
                    r.put("rng counter", (double) rng.counter());
                    weightedSum(c, z, 53).add(weightedSum(c, zk, 54)).backward();
                    r.put("grad mu", mu.grad());
                    r.put("grad logvar", lv.grad());
                    mu.zeroGrad();
                    lv.zeroGrad();
                });
        scenario(out, conf, CheckGroup.DISTRIBUTIONS, "StandardNormal", "logProb of (3, 4) and samples", true, (c, r) -> {
            StandardNormal n = new StandardNormal(c.b(), c.dtype(), 4);
            r.put("logProb", n.logProb(c.uniform(60, -3, 3, 3, 4)));
            Rng rng = new Rng(61);
            r.put("sample", n.sample(rng));
            r.put("sample (2, 3, 4)", n.sample(rng, 2, 3, 4));
            r.put("mean", n.mean());
        });
        return out;
    }

    /**
     * Bernoulli samples are uniforms compared with probabilities: they must equal the reference's
     * except where the uniform is within 1e-5 of the probability (where rounding may flip it).
     */
    private static List<Check> bernoulliSamples(Conformance conf) {
        List<Check> out = new ArrayList<>();
        for (DType dt : DTYPES) {
            out.add(Check.of(CheckGroup.DISTRIBUTIONS, "Bernoulli", "sample of logits (8, 16) " + dt.label(), () -> {
                Conformance.Env env = conf.env();
                if (dt == DType.FLOAT64) {
                    env.require(Capability.FLOAT64, "float64 samples");
                }
                double[] logits = Harness.round(Values.uniform(-4, 4).generate(128, new Rng(70, 31, 0)), dt);
                Function<Backend, double[]> draw = b -> {
                    try (Scope s = Scope.open()) {
                        return new Bernoulli(b.tensor(logits, dt, 8, 16)).sample(new Rng(71, 2, 5)).toDoubles();
                    }
                };
                double[] ref = draw.apply(env.reference);
                double[] got = draw.apply(env.testee);
                double[] u = PhiloxChecks.host("uniform", 71, 2, 5, 128, dt);
                for (int i = 0; i < 128; i++) {
                    double p = 1 / (1 + Math.exp(-logits[i]));
                    if (got[i] != ref[i] && Math.abs(u[i] - p) > 1e-5) {
                        throw new AssertionError("element " + i + " is " + got[i] + ", the reference draws " + ref[i]
                                + " (uniform " + u[i] + ", probability " + p + ")");
                    }
                    if (got[i] != 0 && got[i] != 1) {
                        throw new AssertionError("element " + i + " is " + got[i] + ", not 0 or 1");
                    }
                }
            }));
        }
        return out;
    }

    // ------------------------------------------------------------------ objectives

    private static List<Check> objectives(Conformance conf) {
        List<Check> out = new ArrayList<>();
        Map<String, Supplier<dev.vae.api.objective.Objective>> objs = new LinkedHashMap<>();
        objs.put("NegativeElbo()", NegativeElbo::new);
        objs.put("NegativeElbo(beta 4, free bits 0.1)", () -> new NegativeElbo(4, 0.1, NegativeElbo.KlMode.ANALYTIC));
        objs.put("NegativeElbo(Monte-Carlo KL)", () -> new NegativeElbo(1, 0, NegativeElbo.KlMode.MONTE_CARLO));
        objs.put("Iwae(k = 5)", () -> new Iwae(5));
        objs.put("Iwae(k = 5, chunk 2)", () -> new Iwae(5, 2));
        for (Map.Entry<String, Supplier<dev.vae.api.objective.Objective>> o : objs.entrySet()) {
            scenario(out, conf, CheckGroup.OBJECTIVES, o.getKey(), "VAE 12-8-3 on a batch of 6, values and parameter gradients",
                    true, (c, r) -> {
                        try (TinyVae vae = new TinyVae(c.b(), c.dtype(), c.values(), 12, 8, 3, 80)) {
                            Tensor x = c.tensor(SyntheticData.binary(6, 12, 3, 81), 6, 12);
                            StandardNormal prior = new StandardNormal(c.b(), c.dtype(), 3);
                            dev.vae.api.objective.Objective.Value v = o.getValue().get().compute(x, vae::encode, vae::decode,
                                    prior, new Rng(82, 1, 0));
                            r.put("loss", v.loss());
                            if (v instanceof NegativeElbo.Terms t) {
                                r.put("reconstruction", t.reconstruction());
                                r.put("kl", t.kl());
                                r.put("klPerDim", t.klPerDim());
                                r.put("z", t.z());
                            } else if (v instanceof Iwae.Estimate e) {
                                r.put("logLikelihood", e.logLikelihood());
                                r.put("logWeights", e.logWeights());
                            }
                            v.loss().backward();
                            r.grads("grad ", vae.parameters());
                        }
                    });
        }
        return out;
    }

    // ------------------------------------------------------------------ optimizers

    private static List<Check> optimizers(Conformance conf) {
        List<Check> out = new ArrayList<>();
        Map<String, Function<Map<String, Tensor>, Optimizer>> opts = new LinkedHashMap<>();
        opts.put("SGD(lr 0.1)", p -> new Sgd(p, 0.1));
        opts.put("SGD(lr 0.05, momentum 0.9, weight decay 0.01, Nesterov)", p -> new Sgd(p, 0.05, 0.9, 0, 0.01, true));
        opts.put("SGD(lr 0.05, momentum 0.9, dampening 0.1)", p -> new Sgd(p, 0.05, 0.9, 0.1, 0, false));
        opts.put("Adam(lr 0.01)", p -> new Adam(p, 0.01));
        opts.put("Adam(lr 0.01, betas (0.8, 0.95), eps 1e-6, weight decay 0.01)", p -> new Adam(p, 0.01, 0.8, 0.95, 1e-6, 0.01));
        opts.put("AdamW(lr 0.01, weight decay 0.1)", p -> new AdamW(p, 0.01, 0.9, 0.999, 1e-8, 0.1));
        opts.put("RMSprop(lr 0.01)", p -> new RmsProp(p, 0.01));
        opts.put("RMSprop(lr 0.01, alpha 0.9, weight decay 0.01, momentum 0.5, centered)",
                p -> new RmsProp(p, 0.01, 0.9, 1e-6, 0.01, 0.5, true));
        opts.put("Adagrad(lr 0.1)", p -> new Adagrad(p, 0.1));
        opts.put("Adagrad(lr 0.1, lr decay 0.01, weight decay 0.01, initial 0.1)", p -> new Adagrad(p, 0.1, 0.01, 0.01, 0.1, 1e-10));
        for (Map.Entry<String, Function<Map<String, Tensor>, Optimizer>> o : opts.entrySet()) {
            List<Check> raw = new ArrayList<>();
            scenario(raw, conf, CheckGroup.OPTIMIZERS, o.getKey(), "5 steps on parameters (3, 4) and (4,)", false,
                    (c, r) -> optimizerRun(c, r, o.getValue(), false));
            for (Check ch : raw) {
                out.add(requireInPlace(conf, ch));
            }
        }
        List<Check> clip = new ArrayList<>();
        scenario(clip, conf, CheckGroup.OPTIMIZERS, "GradientClipping", "clipGlobalNorm(0.5) then clipValue(0.05)", false,
                (c, r) -> optimizerRun(c, r, null, true));
        for (Check ch : clip) {
            out.add(requireInPlace(conf, ch));
        }
        return out;
    }

    private static Check requireInPlace(Conformance conf, Check ch) {
        return new Check(ch.group(), ch.topic(), ch.name(), ch.subject(), () -> {
            conf.env().require(Capability.IN_PLACE, "optimizers (they update parameters in place)");
            ch.body().run();
        });
    }

    private static void optimizerRun(Ctx c, Results r, Function<Map<String, Tensor>, Optimizer> make, boolean clip) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("w", c.uniform(90, -1, 1, 3, 4).untrack().requiresGrad(true));
        params.put("b", c.uniform(91, -1, 1, 4).untrack().requiresGrad(true));
        Tensor target = c.uniform(92, -1, 1, 3, 4);
        Tensor scale = c.uniform(93, 0.5, 2, 3, 4);
        try {
            if (clip) {
                loss(params, target, scale).backward();
                r.put("total norm", GradientClipping.clipGlobalNorm(params, 0.5));
                r.grads("clipped to norm 0.5: ", params);
                loss(params, target, scale).backward();
                GradientClipping.clipValue(params, 0.05);
                r.grads("clipped to 0.05: ", params);
                return;
            }
            try (Optimizer opt = make.apply(params)) {
                for (int step = 0; step < 5; step++) {
                    try (Scope s = Scope.open()) {
                        loss(params, target, scale).backward();
                        opt.step();
                        opt.zeroGrad();
                    }
                }
                for (Map.Entry<String, Tensor> e : params.entrySet()) {
                    r.put(e.getKey() + " after 5 steps", e.getValue());
                }
                for (Map.Entry<String, HostArray> e : opt.exportState().tensors().entrySet()) {
                    r.put("state " + e.getKey(), e.getValue().data());
                }
            }
        } finally {
            for (Tensor p : params.values()) {
                p.zeroGrad();
                p.close();
            }
        }
    }

    /** A smooth loss with different curvature per element: sum(scale * (w - target)^2) + sum(softplus(b * 3)). */
    private static Tensor loss(Map<String, Tensor> p, Tensor target, Tensor scale) {
        Tensor quad = p.get("w").sub(target).square().mul(scale).sum();
        return quad.add(p.get("b").mul(3.0).softplus().sum());
    }
}
