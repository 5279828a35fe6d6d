package dev.vae.backend.jvm;

import dev.vae.api.DType;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ReduceOp;
import dev.vae.api.spi.UnaryOp;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Straightforward float64 reference computations (plain index loops, written independently of
 * the kernels) and comparison helpers for the tests.
 */
final class Ref {
    private Ref() {
    }

    /** Values at the edges of the functions' domains. */
    static final double[] SPECIALS = {0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 1e-8, -1e-8, 1e-30, 20.0, -20.0,
        88.0, -88.0, 100.0, -100.0, 800.0, -800.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    // ------------------------------------------------------------------ shapes

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** NumPy broadcast of two shapes, written out directly. */
    static int[] broadcast(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            int db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("bad broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** @return the multi-index of row-major position {@code flat} in {@code shape} */
    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    /** @return the row-major position in {@code shape} of output index {@code outIdx}, broadcasting */
    static int broadcastPos(int[] outIdx, int[] shape) {
        int off = outIdx.length - shape.length;
        int pos = 0;
        for (int d = 0; d < shape.length; d++) {
            int i = shape[d] == 1 ? 0 : outIdx[off + d];
            pos = pos * shape[d] + i;
        }
        return pos;
    }

    // ------------------------------------------------------------------ element-wise definitions

    static double unary(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case EXPM1 -> Math.expm1(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> x < 0 ? -x : (x == 0 ? 0.0 : x);
            case SIGN -> Double.isNaN(x) ? Double.NaN : (x > 0 ? 1 : (x < 0 ? -1 : 0));
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
            case RELU -> Double.isNaN(x) ? Double.NaN : (x > 0 ? x : 0);
            case SOFTPLUS -> x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
            case SQUARE -> x * x;
            case RECIPROCAL -> 1 / x;
        };
    }

    static double binary(BinaryOp op, double x, double y) {
        boolean nan = Double.isNaN(x) || Double.isNaN(y);
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MAX -> nan ? Double.NaN : (x > y ? x : y);
            case MIN -> nan ? Double.NaN : (x < y ? x : y);
            case POW -> Math.pow(x, y);
            case GT -> x > y ? 1 : 0;
            case GE -> x >= y ? 1 : 0;
            case LT -> x < y ? 1 : 0;
            case LE -> x <= y ? 1 : 0;
            case EQ -> x == y ? 1 : 0;
        };
    }

    /** Broadcasting binary reference. */
    static double[] binary(BinaryOp op, double[] a, int[] as, double[] b, int[] bs) {
        int[] out = broadcast(as, bs);
        double[] r = new double[size(out)];
        int[] idx = new int[out.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = binary(op, a[broadcastPos(idx, as)], b[broadcastPos(idx, bs)]);
            // next row-major index
            for (int d = out.length - 1; d >= 0; d--) {
                if (++idx[d] < out[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return r;
    }

    /** Reduction reference: out in row-major order of the kept axes. */
    static double[] reduce(ReduceOp op, double[] a, int[] shape, int[] axes) {
        boolean[] red = new boolean[shape.length];
        for (int ax : axes) {
            red[ax] = true;
        }
        int[] kept = new int[shape.length];
        int nk = 0;
        for (int d = 0; d < shape.length; d++) {
            if (!red[d]) {
                kept[nk++] = shape[d];
            }
        }
        kept = Arrays.copyOf(kept, nk);
        double[] out = new double[size(kept)];
        Arrays.fill(out, op == ReduceOp.SUM ? 0.0 : Double.NEGATIVE_INFINITY);
        for (int i = 0; i < a.length; i++) {
            int[] idx = unravel(i, shape);
            int pos = 0;
            for (int d = 0; d < shape.length; d++) {
                if (!red[d]) {
                    pos = pos * shape[d] + idx[d];
                }
            }
            double x = a[i];
            if (op == ReduceOp.SUM) {
                out[pos] += x;
            } else if (Double.isNaN(x) || Double.isNaN(out[pos])) {
                out[pos] = Double.NaN;
            } else if (x > out[pos]) {
                out[pos] = x;
            }
        }
        return out;
    }

    /** Sum of absolute values over the same groups as {@link #reduce}, for tolerances. */
    static double[] reduceAbs(double[] a, int[] shape, int[] axes) {
        double[] abs = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            abs[i] = Math.abs(a[i]);
        }
        return reduce(ReduceOp.SUM, abs, shape, axes);
    }

    /** op(A) @ op(B) in plain loops; {@code abs} receives sum |a||b| per element when not null. */
    static double[] matmul(double[] a, int[] as, double[] b, int[] bs, boolean ta, boolean tb, double[] abs) {
        int m = ta ? as[1] : as[0];
        int k = ta ? as[0] : as[1];
        int n = tb ? bs[0] : bs[1];
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double sa = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta ? a[p * m + i] : a[i * k + p];
                    double y = tb ? b[j * k + p] : b[p * n + j];
                    s += x * y;
                    sa += Math.abs(x * y);
                }
                c[i * n + j] = s;
                if (abs != null) {
                    abs[i * n + j] = sa;
                }
            }
        }
        return c;
    }

    // ------------------------------------------------------------------ data

    /** @return {@code n} values: the specials first (if {@code specials}), then normals times 4 */
    static double[] values(int n, long seed, boolean specials) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = specials && i < SPECIALS.length ? SPECIALS[i] : r.nextGaussian() * 4;
        }
        return v;
    }

    /** @return an array of {@code dtype} holding {@code vals} (rounded to float32 if needed) */
    static DeviceArray make(Kernels k, DType dtype, int[] shape, double[] vals) {
        if (dtype == DType.FLOAT64) {
            return k.fromDoubles(vals, shape);
        }
        float[] f = new float[vals.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) vals[i];
        }
        return k.fromFloats(f, shape);
    }

    // ------------------------------------------------------------------ comparisons

    /**
     * Asserts {@code actual} matches the float64 reference {@code expected}, rounded to float32
     * first when {@code dtype} is float32: NaN matches NaN, infinities must be equal, otherwise
     * {@code |a - e| <= atol + rtol * |e|}.
     */
    static void assertClose(double[] expected, double[] actual, DType dtype, double rtol, double atol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = dtype == DType.FLOAT32 ? (double) (float) expected[i] : expected[i];
            double a = actual[i];
            if (!close(e, a, rtol, atol)) {
                fail(what + ": element " + i + " expected " + e + " but was " + a);
            }
        }
    }

    /** Like {@link #assertClose} with a per-element scale for the relative tolerance. */
    static void assertCloseScaled(double[] expected, double[] actual, double[] scale, double rtol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) || Double.isInfinite(e)) {
                if (!close(e, a, 0, 0)) {
                    fail(what + ": element " + i + " expected " + e + " but was " + a);
                }
                continue;
            }
            if (!(Math.abs(a - e) <= rtol * scale[i] + 1e-300)) {
                fail(what + ": element " + i + " expected " + e + " but was " + a + " (scale " + scale[i] + ")");
            }
        }
    }

    static boolean close(double e, double a, double rtol, double atol) {
        if (Double.isNaN(e)) {
            return Double.isNaN(a);
        }
        if (Double.isInfinite(e) || Double.isInfinite(a)) {
            return e == a;
        }
        return Math.abs(a - e) <= atol + rtol * Math.abs(e);
    }

    /** Asserts two arrays hold exactly the same bits. */
    static void assertBitEqual(Kernels k, DeviceArray expected, DeviceArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        double[] e = k.toDoubles(expected);
        double[] a = k.toDoubles(actual);
        for (int i = 0; i < e.length; i++) {
            if (Double.doubleToLongBits(e[i]) != Double.doubleToLongBits(a[i])) {
                fail(what + ": element " + i + " expected " + e[i] + " but was " + a[i]);
            }
        }
    }

    /** Asserts two host arrays hold exactly the same bits. */
    static void assertBitEqual(double[] e, double[] a, String what) {
        assertEquals(e.length, a.length, what + ": length");
        for (int i = 0; i < e.length; i++) {
            if (Double.doubleToLongBits(e[i]) != Double.doubleToLongBits(a[i])) {
                fail(what + ": element " + i + " expected " + e[i] + " but was " + a[i]);
            }
        }
    }

    static String fmt(int[] shape) {
        return Arrays.toString(shape);
    }
}
