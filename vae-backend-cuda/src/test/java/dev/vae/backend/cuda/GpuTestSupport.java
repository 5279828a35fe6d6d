package dev.vae.backend.cuda;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.ProbeResult;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Shared set-up of the GPU tests: they run where {@link CudaBackendProvider#probe()} finds a usable
 * device and are skipped with the probe's reason elsewhere, unless the system property
 * {@code vae.cuda.requireGpu=true} (set by scripts/gpu-check.sh) turns the skip into a failure.
 */
final class GpuTestSupport {
    private GpuTestSupport() {
    }

    /** @return true when the CUDA backend can be created here */
    static boolean usable() {
        return new CudaBackendProvider().probe().available();
    }

    /**
     * Skips the calling test (or fails it, when a GPU is required) unless CUDA is usable here;
     * called from {@code @BeforeEach} so that every test is reported as skipped with the reason.
     */
    static void requireGpu() {
        ProbeResult r = new CudaBackendProvider().probe();
        if (Boolean.getBoolean("vae.cuda.requireGpu") && !r.available()) {
            fail("vae.cuda.requireGpu is set but the CUDA backend is unavailable: " + r.reason());
        }
        assumeTrue(r.available(), () -> "no usable CUDA device: " + r.reason());
    }

    /** @return a backend with the given options (e.g. matmul=tiled) */
    static CudaKernels open(Map<String, String> options) {
        return (CudaKernels) new CudaBackendProvider().create(new BackendConfig(0, options));
    }

    /** @return {@code v} uploaded in {@code t} (rounded to float32 if needed) */
    static DeviceArray up(CudaKernels k, double[] v, int[] shape, DType t) {
        if (t == DType.FLOAT64) {
            return k.fromDoubles(v.clone(), shape);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return k.fromFloats(f, shape);
    }

    /** @return {@code v} rounded to {@code t} and back to double */
    static double[] round(double[] v, DType t) {
        double[] out = v.clone();
        if (t == DType.FLOAT32) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) out[i];
            }
        }
        return out;
    }

    /** @return one value rounded to {@code t} */
    static double round(double v, DType t) {
        return t == DType.FLOAT32 ? (double) (float) v : v;
    }

    /** @return uniform values in [lo, hi) from a fixed seed */
    static double[] uniform(long seed, int n, double lo, double hi) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * r.nextDouble();
        }
        return x;
    }

    /** Relative tolerance for results that are a few roundings away from the exact value. */
    static double rtol(DType t) {
        return t == DType.FLOAT32 ? 4e-6 : 1e-13;
    }

    /** Absolute tolerance below which differences do not matter (subnormal range). */
    static double atol(DType t) {
        return t == DType.FLOAT32 ? 1e-37 : 1e-300;
    }

    /**
     * Element-wise comparison: NaN matches NaN, infinities match exactly, otherwise
     * {@code |want - got| <= atol + rtol * |want|}. Names the first mismatch.
     */
    static void assertClose(double[] want, double[] got, double rtol, double atol, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            double w = want[i];
            double g = got[i];
            boolean ok;
            if (Double.isNaN(w) || Double.isNaN(g)) {
                ok = Double.isNaN(w) && Double.isNaN(g);
            } else if (Double.isInfinite(w) || Double.isInfinite(g)) {
                ok = w == g;
            } else {
                ok = Math.abs(w - g) <= atol + rtol * Math.abs(w);
            }
            if (!ok) {
                fail(what + ": element " + i + " expected " + w + " but got " + g + " (error " + Math.abs(w - g) + ")");
            }
        }
    }

    /** {@link #assertClose} with the dtype's default tolerances. */
    static void assertClose(double[] want, double[] got, DType t, String what) {
        assertClose(want, got, rtol(t), atol(t), what);
    }

    /** @return the element at row-major {@code index} of an array of {@code shape} broadcast to {@code out} */
    static int broadcastIndex(int index, int[] out, int[] shape) {
        int[] idx = new int[out.length];
        int rem = index;
        for (int d = out.length - 1; d >= 0; d--) {
            idx[d] = rem % out[d];
            rem /= out[d];
        }
        int shift = out.length - shape.length;
        int f = 0;
        for (int d = 0; d < shape.length; d++) {
            f = f * shape[d] + (shape[d] == 1 ? 0 : idx[d + shift]);
        }
        return f;
    }

    /** Asserts the array has the shape and dtype. */
    static void assertShape(DeviceArray a, DType t, int... shape) {
        assertEquals(Shapes.format(shape), Shapes.format(a.shape()));
        assertEquals(t, a.dtype());
        assertTrue(a instanceof CudaArray);
    }
}
