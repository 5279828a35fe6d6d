package dev.vae.backend.jvm;

import dev.vae.api.spi.UnaryOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 transcendental loops, the ReLU gradient and column sums on the Java Vector API, used by
 * {@link FloatLoops}, {@link DoubleLoops}, {@link FusedLoops} and {@link Reductions} only when
 * {@link VectorSupport#AVAILABLE}; this class links against {@code jdk.incubator.vector} and must
 * not be touched otherwise.
 *
 * <p>Semantics are those of the scalar loops: each float32 element is widened to float64, the
 * function is evaluated in float64 with the same formula as {@link ScalarMath} (same branches,
 * same operation order), and the result is rounded once to float32. The only difference is that
 * {@code exp}, {@code log}, {@code expm1}, {@code log1p} and {@code tanh} are the Vector API's
 * lane-wise operators (on x86 the JDK's SVML stubs, within 1 ulp in float64) instead of
 * {@link Math}'s, so a float32 result can differ from the scalar fallback's when the float64 value
 * lies within an ulp of a float32 rounding boundary (rare; both are faithful to float32).
 *
 * <p>Every element, including those of a tail shorter than a vector, goes through the same vector
 * code (a tail is padded into a vector-sized buffer), so an element's result does not depend on
 * its position, on the chunking of a loop or on the thread count; and the fused Bernoulli kernel
 * computes its softplus with the very code of the {@code SOFTPLUS} loop, which keeps it
 * bit-identical to its composition. The ReLU gradient and the column sums only multiply and add
 * (exact IEEE operations, the same in a vector lane as in scalar code), so their tails run in
 * scalar loops.
 */
final class VectorLoops {
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    /** float32 lanes matching {@link #DS}'s count, for widening and narrowing. */
    private static final VectorSpecies<Float> FH =
            VectorSpecies.of(float.class, VectorShape.forBitSize(Math.max(64, DS.vectorBitSize() / 2)));
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    /** Lanes per step of the widening loops. */
    private static final int L = DS.length();

    private VectorLoops() {
    }

    /**
     * @return whether the vector species is wide enough to be worth using, widening and narrowing
     *         line up, and a fused multiply-add and the sigmoid give the scalar results
     */
    static boolean selfTest() {
        if (FS.length() < 4 || L < 2 || FH.length() != L) {
            return false;
        }
        float[] x = new float[FS.length()];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1f + i * 0x1p-20f;
        }
        float[] y = new float[x.length];
        FloatVector v = FloatVector.fromArray(FS, x, 0);
        v.fma(v, v.neg()).intoArray(y, 0);
        for (int i = 0; i < x.length; i++) {
            if (y[i] != Math.fma(x[i], x[i], -x[i])) {
                return false;
            }
        }
        float[] z = {0f, 1f, -1f, 3.5f, -20f, 0.25f, -0.75f, 100f};
        float[] s = new float[z.length];
        unary(UnaryOp.SIGMOID, z, s, 0, z.length);
        for (int i = 0; i < z.length; i++) {
            if (Math.abs(s[i] - (float) ScalarMath.sigmoid(z[i])) > Math.ulp((float) ScalarMath.sigmoid(z[i]))) {
                return false;
            }
        }
        return true;
    }

    /** @return whether {@link #unary} implements {@code op} */
    static boolean handles(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, LOG1P, EXPM1, TANH, SIGMOID, SOFTPLUS -> true;
            default -> false;
        };
    }

    private static DoubleVector widen(float[] a, int i) {
        return (DoubleVector) FloatVector.fromArray(FH, a, i).convertShape(VectorOperators.F2D, DS, 0);
    }

    private static FloatVector narrow(DoubleVector x) {
        return (FloatVector) x.convertShape(VectorOperators.D2F, FH, 0);
    }

    /** {@code max(x,0) + log1p(e^-|x|)} as {@link ScalarMath#softplus}. */
    private static DoubleVector softplus(DoubleVector x) {
        DoubleVector y = x.abs().neg().lanewise(VectorOperators.EXP);
        return x.max(0.0).add(log1pUnit(y));
    }

    /** {@link ScalarMath#log1pUnit}: {@code u = 1+y; d == 0 ? y : log(u) * (y / (u-1))}. */
    private static DoubleVector log1pUnit(DoubleVector y) {
        DoubleVector u = y.add(1.0);
        DoubleVector d = u.sub(1.0);
        DoubleVector r = u.lanewise(VectorOperators.LOG).mul(y.div(d));
        return r.blend(y, d.compare(VectorOperators.EQ, 0.0));
    }

    /** {@code x >= 0 ? 1/(1+e^-|x|) : e^-|x|/(1+e^-|x|)} as {@link ScalarMath#sigmoid}. */
    private static DoubleVector sigmoid(DoubleVector x) {
        DoubleVector e = x.abs().neg().lanewise(VectorOperators.EXP);
        DoubleVector d = e.add(1.0);
        DoubleVector pos = DoubleVector.broadcast(DS, 1.0).div(d);
        DoubleVector neg = e.div(d);
        VectorMask<Double> nonNegative = x.compare(VectorOperators.GE, 0.0);
        return neg.blend(pos, nonNegative);
    }

    /**
     * {@code o[i] = (float) op((double) a[i])} for {@code i} in {@code [s, e)}; {@code o} may be
     * {@code a}; {@code op} is one that {@link #handles}.
     */
    static void unary(UnaryOp op, float[] a, float[] o, int s, int e) {
        int end = s + (e - s) / L * L;
        switch (op) {
            case SIGMOID -> {
                for (int i = s; i < end; i += L) {
                    narrow(sigmoid(widen(a, i))).intoArray(o, i);
                }
            }
            case SOFTPLUS -> {
                for (int i = s; i < end; i += L) {
                    narrow(softplus(widen(a, i))).intoArray(o, i);
                }
            }
            case EXP -> {
                for (int i = s; i < end; i += L) {
                    narrow(widen(a, i).lanewise(VectorOperators.EXP)).intoArray(o, i);
                }
            }
            case LOG -> {
                for (int i = s; i < end; i += L) {
                    narrow(widen(a, i).lanewise(VectorOperators.LOG)).intoArray(o, i);
                }
            }
            case EXPM1 -> {
                for (int i = s; i < end; i += L) {
                    narrow(widen(a, i).lanewise(VectorOperators.EXPM1)).intoArray(o, i);
                }
            }
            case LOG1P -> {
                for (int i = s; i < end; i += L) {
                    narrow(widen(a, i).lanewise(VectorOperators.LOG1P)).intoArray(o, i);
                }
            }
            case TANH -> {
                for (int i = s; i < end; i += L) {
                    narrow(widen(a, i).lanewise(VectorOperators.TANH)).intoArray(o, i);
                }
            }
            default -> throw new IllegalArgumentException("not a vector unary op: " + op);
        }
        if (end < e) {
            float[] t = new float[L];
            System.arraycopy(a, end, t, 0, e - end);
            unary(op, t, t, 0, L);
            System.arraycopy(t, 0, o, end, e - end);
        }
    }

    /** {@code acc[j] += (double) a[off + j]} for {@code j < n}, lane by lane (exact float64 adds). */
    static void addTo(double[] acc, float[] a, int off, int n) {
        int end = n / L * L;
        int j = 0;
        for (; j < end; j += L) {
            DoubleVector.fromArray(DS, acc, j).add(widen(a, off + j)).intoArray(acc, j);
        }
        for (; j < n; j++) {
            acc[j] += a[off + j];
        }
    }

    /** {@code acc[j] += a[off + j]} for {@code j < n}, lane by lane. */
    static void addTo(double[] acc, double[] a, int off, int n) {
        int end = n / L * L;
        int j = 0;
        for (; j < end; j += L) {
            DoubleVector.fromArray(DS, acc, j).add(DoubleVector.fromArray(DS, a, off + j)).intoArray(acc, j);
        }
        for (; j < n; j++) {
            acc[j] += a[off + j];
        }
    }

    /**
     * {@code o[i] = g[i] * (x[i] > 0 ? 1 : 0)} over {@code [s, e)}, as
     * {@link FloatLoops#reluBackward}: one compare, one blend and one multiplication per vector
     * (the tail in scalar code, with the same IEEE multiplication).
     */
    static void reluBackward(float[] x, float[] g, float[] o, int s, int e) {
        int end = s + (e - s) / FS.length() * FS.length();
        int i = s;
        // local, not static, constants: C2 then knows their exact vector class when it parses
        FloatVector zero = FloatVector.zero(FS);
        FloatVector one = FloatVector.broadcast(FS, 1f);
        for (; i < end; i += FS.length()) {
            VectorMask<Float> pos = FloatVector.fromArray(FS, x, i).compare(VectorOperators.GT, 0f);
            FloatVector.fromArray(FS, g, i).mul(zero.blend(one, pos)).intoArray(o, i);
        }
        for (; i < e; i++) {
            o[i] = g[i] * (x[i] > 0f ? 1f : 0f);
        }
    }

    /** float64 twin of {@link #reluBackward(float[], float[], float[], int, int)}. */
    static void reluBackward(double[] x, double[] g, double[] o, int s, int e) {
        int end = s + (e - s) / L * L;
        int i = s;
        DoubleVector zero = DoubleVector.zero(DS);
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        for (; i < end; i += L) {
            VectorMask<Double> pos = DoubleVector.fromArray(DS, x, i).compare(VectorOperators.GT, 0.0);
            DoubleVector.fromArray(DS, g, i).mul(zero.blend(one, pos)).intoArray(o, i);
        }
        for (; i < e; i++) {
            o[i] = g[i] * (x[i] > 0.0 ? 1.0 : 0.0);
        }
    }

    /**
     * {@code o = x*l - (float) softplus(l)} over {@code [s, e)}, the operations of
     * {@link FusedLoops#bernoulliLogProb(float[], float[], float[], int, int)} with the softplus of
     * {@link #unary}.
     */
    static void bernoulliLogProb(float[] l, float[] x, float[] o, int s, int e) {
        int end = s + (e - s) / L * L;
        for (int i = s; i < end; i += L) {
            FloatVector lf = FloatVector.fromArray(FH, l, i);
            FloatVector sp = narrow(softplus((DoubleVector) lf.convertShape(VectorOperators.F2D, DS, 0)));
            FloatVector.fromArray(FH, x, i).mul(lf).sub(sp).intoArray(o, i);
        }
        if (end < e) {
            float[] tl = new float[L];
            float[] tx = new float[L];
            System.arraycopy(l, end, tl, 0, e - end);
            System.arraycopy(x, end, tx, 0, e - end);
            bernoulliLogProb(tl, tx, tl, 0, L);
            System.arraycopy(tl, 0, o, end, e - end);
        }
    }
}
