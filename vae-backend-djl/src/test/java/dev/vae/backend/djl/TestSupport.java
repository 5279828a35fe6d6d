package dev.vae.backend.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;

/** Shared kernels instance and plain double-precision reference computations for the tests. */
final class TestSupport {
    private static DjlKernels shared;

    private TestSupport() {
    }

    /** @return one kernels instance for the whole test JVM (2 threads) */
    static synchronized DjlKernels kernels() {
        if (shared == null) {
            shared = (DjlKernels) new DjlBackendProvider().create(new BackendConfig(2, Map.of()));
        }
        return shared;
    }

    /** @return an array of {@code dt} holding {@code data} (rounded to float32 if needed) */
    static DeviceArray arr(Kernels k, DType dt, double[] data, int... shape) {
        if (dt == DType.FLOAT64) {
            return k.fromDoubles(data, shape);
        }
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return k.fromFloats(f, shape);
    }

    /** @return the values as the array's dtype holds them (float32-rounded for float32) */
    static double[] round(DType dt, double[] data) {
        double[] r = data.clone();
        if (dt == DType.FLOAT32) {
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) r[i];
            }
        }
        return r;
    }

    /** @return the elements of {@code a} as doubles, read with the accessor of its dtype */
    static double[] read(Kernels k, DeviceArray a) {
        if (a.dtype() == DType.FLOAT64) {
            return k.toDoubles(a);
        }
        float[] f = k.toFloats(a);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** @return {@code n} reproducible values uniform in [lo, hi) */
    static double[] random(long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = lo + (hi - lo) * r.nextDouble();
        }
        return d;
    }

    /** @return 0, 1, 2, ... as doubles, n of them, each plus {@code offset} */
    static double[] iota(int n, double offset) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = i + offset;
        }
        return d;
    }

    /**
     * Asserts shape, dtype and values: NaN matches NaN, infinities must be equal, other values
     * within {@code rel * max(|e|, 1e-30) + abs}.
     */
    static void assertValues(Kernels k, DeviceArray actual, DType dt, int[] shape, double[] expected, double rel,
            double abs, String what) {
        assertEquals(dt, actual.dtype(), what + ": dtype");
        assertArrayEquals(shape, actual.shape(), what + ": shape " + Shapes.format(actual.shape()));
        double[] a = read(k, actual);
        assertClose(expected, a, rel, abs, what);
    }

    /** Compares element-wise with the rule of {@link #assertValues}. */
    static void assertClose(double[] expected, double[] actual, double rel, double abs, String what) {
        assertEquals(expected.length, actual.length, what + ": element count");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            boolean ok;
            if (Double.isNaN(e)) {
                ok = Double.isNaN(a);
            } else if (Double.isInfinite(e) || Double.isInfinite(a)) {
                ok = e == a;
            } else {
                ok = Math.abs(e - a) <= rel * Math.abs(e) + abs;
            }
            if (!ok) {
                fail(what + ": element " + i + " expected " + e + " but was " + a
                        + "\n expected " + Arrays.toString(expected) + "\n actual   " + Arrays.toString(actual));
            }
        }
    }

    /** Relative tolerance of a few units in the last place for the dtype. */
    static double ulps(DType dt, int n) {
        return n * (dt == DType.FLOAT32 ? 0x1p-23 : 0x1p-52);
    }

    /** Straightforward NumPy broadcasting of a binary function over row-major data. */
    static double[] broadcast(double[] a, int[] sa, double[] b, int[] sb, DoubleBinaryOperator f) {
        int[] out = Shapes.broadcast(sa, sb);
        int n = Shapes.sizeInt(out);
        double[] r = new double[n];
        int[] idx = new int[out.length];
        for (int i = 0; i < n; i++) {
            int rem = i;
            for (int d = out.length - 1; d >= 0; d--) {
                idx[d] = out[d] == 0 ? 0 : rem % out[d];
                rem = out[d] == 0 ? 0 : rem / out[d];
            }
            r[i] = f.applyAsDouble(a[offset(idx, sa)], b[offset(idx, sb)]);
        }
        return r;
    }

    /** @return the row-major offset in an operand of shape {@code s} broadcast to the index */
    static int offset(int[] idx, int[] s) {
        int off = 0;
        int lead = idx.length - s.length;
        for (int d = 0; d < s.length; d++) {
            int i = s[d] == 1 ? 0 : idx[d + lead];
            off = off * s[d] + i;
        }
        return off;
    }

    /** @return the multi-index of row-major position {@code pos} in {@code shape} */
    static int[] unravel(int pos, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = pos % shape[d];
            pos /= shape[d];
        }
        return idx;
    }

    /** @return the row-major position of {@code idx} in {@code shape} */
    static int ravel(int[] idx, int[] shape) {
        int off = 0;
        for (int d = 0; d < shape.length; d++) {
            off = off * shape[d] + idx[d];
        }
        return off;
    }
}
