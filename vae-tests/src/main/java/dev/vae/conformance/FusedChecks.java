package dev.vae.conformance;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.Shapes;
import dev.vae.api.Tensor;
import dev.vae.api.random.Rng;
import dev.vae.api.spi.AdamHyper;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.Capability;
import dev.vae.api.spi.Compositions;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The backend's fused kernels ({@code linear}, {@code reluBackward}, {@code bernoulliLogProb},
 * {@code gaussianKlStdNormal}, {@code logSumExp}, {@code scalar}, {@code adamStep}) against the
 * default compositions of {@link Compositions} on the same backend and inputs. A kernel the
 * backend does not override is its composition, and the check confirms it trivially; the test
 * name says which it is. Philox generation is checked by {@link PhiloxChecks}.
 */
@SuppressWarnings("try") // scopes and grad-mode guards are opened for their effect, not referenced
final class FusedChecks {
    private static final DType[] DTYPES = {DType.FLOAT32, DType.FLOAT64};
    private static final Tol ADAM32 = new Tol(Float.MIN_NORMAL, 2e-6, 2e-6,
            "an Adam step is about a dozen float32 roundings, fused or composed in any order");
    private static final Tol ADAM64 = new Tol(Double.MIN_NORMAL, 1e-14, 1e-14,
            "an Adam step is about a dozen float64 roundings, fused or composed in any order");

    private FusedChecks() {
    }

    /** A fused kernel and its composition over the sample's input arrays. */
    private interface Pair {
        DeviceArray fused(Kernels k, List<DeviceArray> in, Args a);

        DeviceArray composed(Kernels k, List<DeviceArray> in, Args a);
    }

    static List<Check> create(Conformance conf) {
        Kernels probe = null;
        if (conf.available()) {
            try {
                probe = conf.env().testee.kernels();
            } catch (RuntimeException | AssertionError e) {
                probe = null;
            }
        }
        List<Check> out = new ArrayList<>();
        addOp(out, conf, probe, "linear", OpRegistry.get("linear"), new Pair() {
            @Override
            public DeviceArray fused(Kernels k, List<DeviceArray> in, Args a) {
                return k.linear(in.get(0), in.get(1), a.bool("bias") ? in.get(2) : null);
            }

            @Override
            public DeviceArray composed(Kernels k, List<DeviceArray> in, Args a) {
                return Compositions.linear(k, in.get(0), in.get(1), a.bool("bias") ? in.get(2) : null);
            }
        }, DeviceArray.class, DeviceArray.class, DeviceArray.class);
        addOp(out, conf, probe, "bernoulliLogProb", OpRegistry.get("bernoulliLogProb"), new Pair() {
            @Override
            public DeviceArray fused(Kernels k, List<DeviceArray> in, Args a) {
                return k.bernoulliLogProb(in.get(0), in.get(1));
            }

            @Override
            public DeviceArray composed(Kernels k, List<DeviceArray> in, Args a) {
                return Compositions.bernoulliLogProb(k, in.get(0), in.get(1));
            }
        }, DeviceArray.class, DeviceArray.class);
        addOp(out, conf, probe, "gaussianKlStdNormal", OpRegistry.get("gaussianKlStdNormal"), new Pair() {
            @Override
            public DeviceArray fused(Kernels k, List<DeviceArray> in, Args a) {
                return k.gaussianKlStdNormal(in.get(0), in.get(1));
            }

            @Override
            public DeviceArray composed(Kernels k, List<DeviceArray> in, Args a) {
                return Compositions.gaussianKlStdNormal(k, in.get(0), in.get(1));
            }
        }, DeviceArray.class, DeviceArray.class);
        addOp(out, conf, probe, "logSumExp", OpRegistry.get("logSumExp"), new Pair() {
            @Override
            public DeviceArray fused(Kernels k, List<DeviceArray> in, Args a) {
                return k.logSumExp(in.get(0), Shapes.axis(a.integer("axis"), in.get(0).shape().length), a.bool("keepDims"));
            }

            @Override
            public DeviceArray composed(Kernels k, List<DeviceArray> in, Args a) {
                return Compositions.logSumExp(k, in.get(0), Shapes.axis(a.integer("axis"), in.get(0).shape().length), a.bool("keepDims"));
            }
        }, DeviceArray.class, int.class, boolean.class);
        addScalar(out, conf, probe);
        addReluBackward(out, conf, probe);
        addAdam(out, conf, probe);
        return out;
    }

    static boolean overrides(Kernels k, String method, Class<?>... params) {
        if (k == null) {
            return false;
        }
        try {
            return k.getClass().getMethod(method, params).getDeclaringClass() != Kernels.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static String topic(Kernels probe, String method, Class<?>... params) {
        if (probe == null) {
            return method;
        }
        return method + (overrides(probe, method, params) ? " (overridden)" : " (default composition)");
    }

    private static void addOp(List<Check> out, Conformance conf, Kernels probe, String method, OpInfo op, Pair pair,
                              Class<?>... params) {
        String topic = topic(probe, method, params);
        List<SampleInput> samples = op.samples();
        for (int i = 0; i < samples.size(); i++) {
            SampleInput s = samples.get(i);
            long seed = Harness.seed(op.name(), i);
            for (DType dt : DTYPES) {
                out.add(new Check(CheckGroup.FUSED, topic, s.describe() + " " + dt.label(),
                        "fused kernel '" + method + "' " + s.describe() + " " + dt.label(),
                        () -> compareOp(conf.env(), op, s, seed, dt, pair)));
            }
        }
    }

    private static void compareOp(Conformance.Env env, OpInfo op, SampleInput s, long seed, DType dt, Pair pair) {
        if (dt == DType.FLOAT64) {
            env.require(Capability.FLOAT64, "float64 samples");
        }
        double[][] logical = Harness.logical(s, seed, dt);
        Harness.Stored st = Harness.store(s, logical);
        Backend b = env.testee;
        Kernels k = b.kernels();
        try (Scope scope = Scope.open()) {
            Harness.Inputs in = Harness.build(b, dt, s, st, false);
            List<DeviceArray> arrays = new ArrayList<>();
            for (Tensor t : in.views) {
                arrays.add(t.array());
            }
            DeviceArray f = pair.fused(k, arrays, s.args());
            DeviceArray c;
            try {
                c = pair.composed(k, arrays, s.args());
            } catch (RuntimeException e) {
                k.release(f);
                throw e;
            }
            try {
                Compare.assertClose("fused result against the composition", k.toDoubles(c), c.shape(), k.toDoubles(f), f.shape(),
                        dt, op.forwardTol(dt));
                if (f.dtype() != dt) {
                    throw new AssertionError("fused result dtype " + f.dtype().label() + ", expected " + dt.label());
                }
            } finally {
                k.release(f);
                k.release(c);
            }
        }
    }

    private static void addScalar(List<Check> out, Conformance conf, Kernels probe) {
        String topic = topic(probe, "scalar", BinaryOp.class, DeviceArray.class, double.class);
        double inf = Double.POSITIVE_INFINITY;
        for (BinaryOp op : BinaryOp.values()) {
            for (double sc : new double[] {2.5, -0.5, 0.0}) {
                for (DType dt : DTYPES) {
                    String name = op.name().toLowerCase(java.util.Locale.ROOT) + " s=" + sc + " input (4, 5) " + dt.label();
                    Tol tol = op.isComparison() || op == BinaryOp.MAX || op == BinaryOp.MIN ? OpRegistry.EXACT
                            : op == BinaryOp.POW ? (dt == DType.FLOAT32 ? OpRegistry.TRANS32 : OpRegistry.TRANS64)
                            : (dt == DType.FLOAT32 ? OpRegistry.ARITH32 : OpRegistry.ARITH64);
                    out.add(new Check(CheckGroup.FUSED, topic, name, "fused kernel 'scalar' " + name, () -> {
                        Conformance.Env env = conf.env();
                        if (dt == DType.FLOAT64) {
                            env.require(Capability.FLOAT64, "float64 samples");
                        }
                        double[] x = Values.uniform(-4, 4).generate(20, new Rng(op.ordinal() * 7L + (long) (sc * 4), 3, 0));
                        x[0] = 0;
                        x[1] = sc;
                        x[2] = inf;
                        x[3] = Double.NaN;
                        x[4] = -1e30;
                        x = Harness.round(x, dt);
                        Kernels k = env.testee.kernels();
                        try (Scope scope = Scope.open()) {
                            Tensor t = env.testee.tensor(x, dt, 4, 5);
                            DeviceArray f = k.scalar(op, t.array(), sc);
                            DeviceArray c = Compositions.scalar(k, op, t.array(), sc);
                            try {
                                Compare.assertClose("fused result against the composition", k.toDoubles(c), c.shape(),
                                        k.toDoubles(f), f.shape(), dt, tol);
                            } finally {
                                k.release(f);
                                k.release(c);
                            }
                        }
                    }));
                }
            }
        }
    }

    /**
     * {@code reluBackward} against {@code g * (x > 0)} composed: special values in both operands
     * (signed zeros, tiny and huge magnitudes, NaN and infinities, so that {@code inf * 0} and
     * {@code NaN * 0} must come out NaN), rank 0, zero size, and transposed and sliced views.
     */
    private static void addReluBackward(List<Check> out, Conformance conf, Kernels probe) {
        String topic = topic(probe, "reluBackward", DeviceArray.class, DeviceArray.class);
        double inf = Double.POSITIVE_INFINITY;
        double nan = Double.NaN;
        String[] cases = {"special values (4, 5)", "rank-0", "zero-size (0, 3)", "transposed x, sliced g (4, 5)"};
        for (int c = 0; c < cases.length; c++) {
            int which = c;
            for (DType dt : DTYPES) {
                String name = cases[c] + " " + dt.label();
                out.add(new Check(CheckGroup.FUSED, topic, name, "fused kernel 'reluBackward' " + name, () -> {
                    Conformance.Env env = conf.env();
                    if (dt == DType.FLOAT64) {
                        env.require(Capability.FLOAT64, "float64 samples");
                    }
                    Rng rng = new Rng(41, which, 0);
                    Kernels k = env.testee.kernels();
                    try (Scope scope = Scope.open()) {
                        Tensor x;
                        Tensor g;
                        switch (which) {
                            case 0 -> {
                                double[] xv = Values.uniform(-3, 3).generate(20, rng);
                                double[] gv = Values.uniform(-3, 3).generate(20, rng);
                                double[][] special = {{0, 1}, {-0.0, -1}, {1e-30, 2}, {-1e-30, 3}, {nan, 4}, {inf, -5},
                                    {-inf, 6}, {-1, nan}, {-2, inf}, {-3, -inf}, {2, inf}, {3, nan}, {nan, nan}, {0, -inf}};
                                for (int i = 0; i < special.length; i++) {
                                    xv[i] = special[i][0];
                                    gv[i] = special[i][1];
                                }
                                x = env.testee.tensor(Harness.round(xv, dt), dt, 4, 5);
                                g = env.testee.tensor(Harness.round(gv, dt), dt, 4, 5);
                            }
                            case 1 -> {
                                x = env.testee.tensor(new double[] {0.5}, dt);
                                g = env.testee.tensor(new double[] {-2}, dt);
                            }
                            case 2 -> {
                                x = env.testee.tensor(new double[0], dt, 0, 3);
                                g = env.testee.tensor(new double[0], dt, 0, 3);
                            }
                            default -> {
                                x = env.testee.tensor(Harness.round(Values.uniform(-3, 3).generate(20, rng), dt), dt, 5, 4)
                                        .transpose();
                                g = env.testee.tensor(Harness.round(Values.uniform(-3, 3).generate(30, rng), dt), dt, 6, 5)
                                        .slice(0, 1, 5);
                            }
                        }
                        DeviceArray f = k.reluBackward(x.array(), g.array());
                        DeviceArray cmp = Compositions.reluBackward(k, x.array(), g.array());
                        try {
                            Compare.assertClose("fused result against the composition", k.toDoubles(cmp), cmp.shape(),
                                    k.toDoubles(f), f.shape(), dt, OpRegistry.EXACT);
                            if (f.dtype() != dt) {
                                throw new AssertionError("fused result dtype " + f.dtype().label() + ", expected " + dt.label());
                            }
                        } finally {
                            k.release(f);
                            k.release(cmp);
                        }
                    }
                }));
            }
        }
    }

    private static void addAdam(List<Check> out, Conformance conf, Kernels probe) {
        String topic = topic(probe, "adamStep", DeviceArray.class, DeviceArray.class, DeviceArray.class, DeviceArray.class,
                AdamHyper.class);
        Object[][] cases = {
            {"step 1", new AdamHyper(1e-3, 0.9, 0.999, 1e-8, 1 - 0.9, 1 - 0.999, 0), new int[] {3, 4}},
            {"step 10 lr 0.01", new AdamHyper(1e-2, 0.9, 0.999, 1e-8, 1 - Math.pow(0.9, 10), 1 - Math.pow(0.999, 10), 0), new int[] {5}},
            {"AdamW weight decay 0.1", new AdamHyper(1e-3, 0.8, 0.99, 1e-6, 1 - 0.8 * 0.8, 1 - 0.99 * 0.99, 0.1), new int[] {2, 3, 2}},
            {"rank-0", new AdamHyper(1e-3, 0.9, 0.999, 1e-8, 0.1, 0.001, 0), new int[] {}},
            {"zero-size", new AdamHyper(1e-3, 0.9, 0.999, 1e-8, 0.1, 0.001, 0), new int[] {0, 3}},
        };
        for (Object[] c : cases) {
            for (DType dt : DTYPES) {
                String label = (String) c[0];
                AdamHyper h = (AdamHyper) c[1];
                int[] shape = (int[]) c[2];
                String name = label + " shape " + Shapes.format(shape) + " " + dt.label();
                out.add(new Check(CheckGroup.FUSED, topic, name, "fused kernel 'adamStep' " + name,
                        () -> compareAdam(conf.env(), h, shape, dt)));
            }
        }
    }

    private static void compareAdam(Conformance.Env env, AdamHyper h, int[] shape, DType dt) {
        env.require(Capability.IN_PLACE, "adamStep");
        if (dt == DType.FLOAT64) {
            env.require(Capability.FLOAT64, "float64 samples");
        }
        int n = Shapes.sizeInt(shape);
        Rng rng = new Rng(77, Shapes.size(shape), 0);
        double[] p = Harness.round(Values.uniform(-1, 1).generate(n, rng), dt);
        double[] g = Harness.round(Values.uniform(-0.1, 0.1).generate(n, rng), dt);
        double[] m = Harness.round(Values.uniform(-0.05, 0.05).generate(n, rng), dt);
        double[] v = Harness.round(Values.uniform(0, 0.01).generate(n, rng), dt);
        double[][] fused = adamRun(env.testee, true, h, shape, dt, p, g, m, v);
        double[][] composed = adamRun(env.testee, false, h, shape, dt, p, g, m, v);
        String[] names = {"parameter", "first moment", "second moment"};
        Tol tol = dt == DType.FLOAT32 ? ADAM32 : ADAM64;
        for (int i = 0; i < 3; i++) {
            String err = Compare.describeMismatch(composed[i], fused[i], dt, tol);
            if (err != null) {
                throw new AssertionError(names[i] + " after the fused step against the composition: " + err);
            }
        }
    }

    private static double[][] adamRun(Backend b, boolean fused, AdamHyper h, int[] shape, DType dt,
                                      double[] p, double[] g, double[] m, double[] v) {
        Kernels k = b.kernels();
        try (Scope scope = Scope.open()) {
            Tensor tp = b.tensor(p, dt, shape);
            Tensor tg = b.tensor(g, dt, shape);
            Tensor tm = b.tensor(m, dt, shape);
            Tensor tv = b.tensor(v, dt, shape);
            if (fused) {
                k.adamStep(tp.array(), tg.array(), tm.array(), tv.array(), h);
            } else {
                Compositions.adamStep(k, tp.array(), tg.array(), tm.array(), tv.array(), h);
            }
            if (!Arrays.equals(tg.toDoubles(), g)) {
                throw new AssertionError((fused ? "the fused" : "the composed") + " adamStep modified the gradient");
            }
            return new double[][] {tp.toDoubles(), tm.toDoubles(), tv.toDoubles()};
        }
    }
}
