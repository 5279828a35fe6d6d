package dev.vae.conformance;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.Capability;

import java.util.ArrayList;
import java.util.List;

/**
 * The registry-driven checks: every op's forward result against the float64 reference, its
 * gradient against the reference's gradient, and its float64 gradient against central finite
 * differences.
 */
final class OpChecks {
    /** Relative error allowed between an analytic float64 gradient and central differences. */
    static final double FD_RTOL = 1e-6;
    private static final DType[] DTYPES = {DType.FLOAT32, DType.FLOAT64};

    private OpChecks() {
    }

    static List<Check> forward(Conformance conf) {
        List<Check> out = new ArrayList<>();
        for (OpInfo op : OpRegistry.all()) {
            List<SampleInput> samples = op.samples();
            for (int i = 0; i < samples.size(); i++) {
                SampleInput s = samples.get(i);
                long seed = Harness.seed(op.name(), i);
                for (DType dt : DTYPES) {
                    out.add(Check.ofOp(CheckGroup.FORWARD, op.name(), s.describe() + " " + dt.label(),
                            () -> forwardCheck(conf.env(), op, s, seed, dt)));
                }
            }
        }
        return out;
    }

    static void forwardCheck(Conformance.Env env, OpInfo op, SampleInput s, long seed, DType dt) {
        requireDtype(env, op, dt);
        double[][] logical = Harness.logical(s, seed, dt);
        Harness.Stored st = Harness.store(s, logical);
        Harness.Result ref = Harness.forward(env.reference, op, s, DType.FLOAT64, st, null);
        Harness.Result got = Harness.forward(env.testee, op, s, dt, st, logical);
        DType want = op.keepsDtype() ? dt : other(dt);
        if (got.dtype() != want) {
            throw new AssertionError("result dtype " + got.dtype().label() + ", expected " + want.label());
        }
        Compare.assertClose("", ref.values(), ref.shape(), got.values(), got.shape(), got.dtype(), op.forwardTol(dt));
    }

    static DType other(DType dt) {
        return dt == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32;
    }

    private static void requireDtype(Conformance.Env env, OpInfo op, DType dt) {
        if (dt == DType.FLOAT64) {
            env.require(Capability.FLOAT64, "float64 samples");
        }
        if (op.needsFloat64()) {
            env.require(Capability.FLOAT64, "op '" + op.name() + "'");
        }
    }

    static List<Check> gradients(Conformance conf) {
        List<Check> out = new ArrayList<>();
        for (OpInfo op : OpRegistry.all()) {
            if (!op.differentiable()) {
                continue;
            }
            List<SampleInput> samples = op.samples();
            for (int i = 0; i < samples.size(); i++) {
                SampleInput s = samples.get(i);
                if (!s.grad()) {
                    continue;
                }
                long seed = Harness.seed(op.name(), i);
                for (DType dt : DTYPES) {
                    out.add(Check.ofOp(CheckGroup.GRADIENTS, op.name(), s.describe() + " " + dt.label(),
                            () -> gradientCheck(conf.env(), op, s, seed, dt)));
                }
            }
        }
        return out;
    }

    static void gradientCheck(Conformance.Env env, OpInfo op, SampleInput s, long seed, DType dt) {
        requireDtype(env, op, dt);
        double[][] logical = Harness.logical(s, seed, dt);
        Harness.Stored st = Harness.store(s, logical);
        Harness.Result ref = Harness.forward(env.reference, op, s, DType.FLOAT64, st, null);
        double[] w = Harness.weights(seed, ref.values().length);
        double[][] gRef = Harness.gradients(env.reference, op, s, DType.FLOAT64, st, w);
        double[][] gGot = Harness.gradients(env.testee, op, s, dt, st, w);
        for (int i = 0; i < gRef.length; i++) {
            if (gRef[i] == null) {
                continue;
            }
            String where = "gradient of input " + i + " " + s.inputs().get(i).describe()
                    + (st.shapes[i].length == s.inputs().get(i).shape().length && s.inputs().get(i).layout() == Layout.CONTIGUOUS
                    ? "" : " (stored as " + Shapes.format(st.shapes[i]) + ")");
            if (gGot[i] == null || gGot[i].length != gRef[i].length) {
                throw new AssertionError(where + ": " + (gGot[i] == null ? "missing" : gGot[i].length + " elements")
                        + ", expected " + gRef[i].length + " elements");
            }
            String err = Compare.describeMismatch(gRef[i], gGot[i], dt, op.gradTol(dt));
            if (err != null) {
                throw new AssertionError(where + ": " + err);
            }
        }
    }

    static List<Check> finiteDifferences(Conformance conf) {
        List<Check> out = new ArrayList<>();
        for (OpInfo op : OpRegistry.all()) {
            if (!op.differentiable()) {
                continue;
            }
            List<SampleInput> samples = op.samples();
            for (int i = 0; i < samples.size(); i++) {
                SampleInput s = samples.get(i);
                if (!s.fd()) {
                    continue;
                }
                long seed = Harness.seed(op.name(), i);
                out.add(Check.ofOp(CheckGroup.FINITE_DIFFERENCES, op.name(), s.describe() + " float64",
                        () -> finiteDifferenceCheck(conf.env(), op, s, seed)));
            }
        }
        return out;
    }

    static void finiteDifferenceCheck(Conformance.Env env, OpInfo op, SampleInput s, long seed) {
        env.require(Capability.FLOAT64, "finite differences in float64");
        double[][] logical = Harness.logical(s, seed, DType.FLOAT64);
        Harness.Stored st = Harness.store(s, logical);
        Harness.Result y = Harness.forward(env.testee, op, s, DType.FLOAT64, st, null);
        double[] w = Harness.weights(seed, y.values().length);
        double[][] analytic = Harness.gradients(env.testee, op, s, DType.FLOAT64, st, w);
        double[][] numeric = Harness.finiteDifferences(env.testee, op, s, st, w);
        for (int i = 0; i < analytic.length; i++) {
            if (numeric[i] == null) {
                continue;
            }
            double[] a = analytic[i];
            double[] n = numeric[i];
            double scale = 0;
            for (int j = 0; j < n.length; j++) {
                if (!Double.isNaN(st.values[i][j])) {
                    scale = Math.max(scale, Math.max(Math.abs(n[j]), Math.abs(a[j])));
                }
            }
            double worst = 0;
            int at = -1;
            for (int j = 0; j < n.length; j++) {
                if (Double.isNaN(st.values[i][j])) {
                    continue;
                }
                double e = Math.abs(a[j] - n[j]);
                if (!(e <= worst)) {
                    worst = e;
                    at = j;
                }
            }
            double rel = scale == 0 ? worst : worst / scale;
            if (!(rel < FD_RTOL)) {
                throw new AssertionError("gradient of input " + i + " " + s.inputs().get(i).describe()
                        + " differs from central finite differences: relative error " + Tol.fmt(rel) + " at stored index " + at
                        + " (analytic " + Tol.fmt(a[at]) + ", numeric " + Tol.fmt(n[at]) + ", gradient scale " + Tol.fmt(scale)
                        + "; limit " + FD_RTOL + ": h = 1e-6*max(1,|x|) keeps truncation and rounding errors far below it)");
            }
        }
    }
}
