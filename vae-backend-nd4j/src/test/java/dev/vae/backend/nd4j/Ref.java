package dev.vae.backend.nd4j;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Straightforward host reference computations (row-major double arrays) and comparisons. */
final class Ref {
    private Ref() {
    }

    /** @return {@code n} pseudo-random values in [lo, hi) */
    static double[] random(long seed, int n, double lo, double hi) {
        Random r = new Random(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = lo + (hi - lo) * r.nextDouble();
        }
        return d;
    }

    /** @return values 0, 1, 2, ... */
    static double[] iota(int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = i;
        }
        return d;
    }

    /** @return {@code values} rounded to the precision of {@code t} */
    static double[] round(double[] values, DType t) {
        double[] d = values.clone();
        if (t == DType.FLOAT32) {
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) d[i];
            }
        }
        return d;
    }

    static DeviceArray make(Kernels k, DType t, double[] values, int... shape) {
        if (t == DType.FLOAT64) {
            return k.fromDoubles(values, shape);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return k.fromFloats(f, shape);
    }

    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    /** @return the row-major offset in {@code shape} of output index {@code idx} under broadcasting */
    static int broadcastOffset(int[] idx, int[] shape) {
        int off = 0;
        int r = idx.length - shape.length;
        for (int i = 0; i < shape.length; i++) {
            int j = shape[i] == 1 ? 0 : idx[r + i];
            off = off * shape[i] + j;
        }
        return off;
    }

    static double[] unary(double[] a, DoubleUnaryOperator f) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = f.applyAsDouble(a[i]);
        }
        return o;
    }

    static double[] binary(double[] a, int[] as, double[] b, int[] bs, DoubleBinaryOperator f) {
        int[] out = Shapes.broadcast(as, bs);
        double[] o = new double[Shapes.sizeInt(out)];
        for (int i = 0; i < o.length; i++) {
            int[] idx = unravel(i, out);
            o[i] = f.applyAsDouble(a[broadcastOffset(idx, as)], b[broadcastOffset(idx, bs)]);
        }
        return o;
    }

    static double[] where(double[] c, int[] cs, double[] a, int[] as, double[] b, int[] bs) {
        int[] out = Shapes.broadcast(Shapes.broadcast(cs, as), bs);
        double[] o = new double[Shapes.sizeInt(out)];
        for (int i = 0; i < o.length; i++) {
            int[] idx = unravel(i, out);
            o[i] = c[broadcastOffset(idx, cs)] != 0 ? a[broadcastOffset(idx, as)] : b[broadcastOffset(idx, bs)];
        }
        return o;
    }

    /** Sum or NaN-propagating max over {@code axes} (row-major result, any keepDims). */
    static double[] reduce(double[] a, int[] shape, int[] axes, boolean sum) {
        int[] out = Shapes.reduced(shape, axes, true);
        double[] o = new double[Shapes.sizeInt(out)];
        Arrays.fill(o, sum ? 0.0 : Double.NEGATIVE_INFINITY);
        for (int i = 0; i < a.length; i++) {
            int[] idx = unravel(i, shape);
            for (int ax : axes) {
                idx[ax] = 0;
            }
            int off = 0;
            for (int d = 0; d < out.length; d++) {
                off = off * out[d] + idx[d];
            }
            if (sum) {
                o[off] += a[i];
            } else if (Double.isNaN(a[i]) || Double.isNaN(o[off])) {
                o[off] = Double.NaN;
            } else {
                o[off] = Math.max(o[off], a[i]);
            }
        }
        return o;
    }

    static double[] permute(double[] a, int[] shape, int[] axes) {
        int[] out = new int[shape.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = shape[axes[i]];
        }
        int[] strides = Shapes.strides(shape);
        double[] o = new double[a.length];
        for (int i = 0; i < o.length; i++) {
            int[] idx = unravel(i, out);
            int off = 0;
            for (int d = 0; d < idx.length; d++) {
                off += idx[d] * strides[axes[d]];
            }
            o[i] = a[off];
        }
        return o;
    }

    static double[] slice(double[] a, int[] shape, int axis, int start, int end) {
        int[] out = shape.clone();
        out[axis] = end - start;
        int[] strides = Shapes.strides(shape);
        double[] o = new double[Shapes.sizeInt(out)];
        for (int i = 0; i < o.length; i++) {
            int[] idx = unravel(i, out);
            idx[axis] += start;
            int off = 0;
            for (int d = 0; d < idx.length; d++) {
                off += idx[d] * strides[d];
            }
            o[i] = a[off];
        }
        return o;
    }

    static double[] matmul(double[] a, int[] as, double[] b, int[] bs, boolean ta, boolean tb) {
        int m = ta ? as[1] : as[0];
        int k = ta ? as[0] : as[1];
        int n = tb ? bs[0] : bs[1];
        double[] o = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta ? a[p * as[1] + i] : a[i * as[1] + p];
                    double y = tb ? b[j * bs[1] + p] : b[p * bs[1] + j];
                    s += x * y;
                }
                o[i * n + j] = s;
            }
        }
        return o;
    }

    /**
     * Asserts element-wise {@code |got - expected| <= atol + rtol*|expected|}; infinities must match
     * exactly and NaN must be matched by NaN.
     */
    static void assertClose(String what, double[] expected, double[] got, double atol, double rtol) {
        if (expected.length != got.length) {
            fail(what + ": length " + got.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double g = got[i];
            boolean ok;
            if (Double.isNaN(e) || Double.isInfinite(e)) {
                ok = Double.isNaN(e) ? Double.isNaN(g) : e == g;
            } else {
                ok = Math.abs(g - e) <= atol + rtol * Math.abs(e);
            }
            if (!ok) {
                fail(what + ": element " + i + " is " + g + ", expected " + e + "\n expected " + Arrays.toString(expected)
                        + "\n      got " + Arrays.toString(got));
            }
        }
    }

    /** Tolerance for a few roundings in {@code t}. */
    static double rtol(DType t) {
        return t == DType.FLOAT32 ? 2e-6 : 1e-14;
    }

    static double atol(DType t) {
        return t == DType.FLOAT32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
    }

    /** Reads {@code a} back and checks its shape. */
    static double[] read(Kernels k, DeviceArray a, int... shape) {
        assertArrayEquals(shape, a.shape(), "shape");
        return k.toDoubles(a);
    }
}
