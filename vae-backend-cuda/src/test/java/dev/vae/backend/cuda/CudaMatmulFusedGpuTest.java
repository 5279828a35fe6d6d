package dev.vae.backend.cuda;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.random.Philox;
import dev.vae.api.spi.AdamHyper;
import dev.vae.api.spi.DeviceArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static dev.vae.backend.cuda.GpuTestSupport.assertClose;
import static dev.vae.backend.cuda.GpuTestSupport.assertShape;
import static dev.vae.backend.cuda.GpuTestSupport.round;
import static dev.vae.backend.cuda.GpuTestSupport.up;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Matmul (both engines), the fused kernels and device-side Philox against host computations and
 * {@link Philox}.
 */
class CudaMatmulFusedGpuTest {
    static CudaKernels k;
    static CudaKernels tiled;

    @BeforeAll
    static void open() {
        if (!GpuTestSupport.usable()) {
            return;
        }
        k = GpuTestSupport.open(Map.of());
        tiled = GpuTestSupport.open(Map.of("matmul", "tiled"));
        System.out.println("[cuda] default matmul: " + k.deviceDescription());
        System.out.println("[cuda] forced tiled:   " + tiled.deviceDescription());
    }

    @BeforeEach
    void gpu() {
        GpuTestSupport.requireGpu();
    }

    @AfterAll
    static void close() {
        if (k != null) {
            k.close();
        }
        if (tiled != null) {
            tiled.close();
        }
    }

    @Test
    void descriptionNamesDeviceAndMatmul() {
        assertTrue(k.deviceDescription().contains("compute capability"), k.deviceDescription());
        assertTrue(tiled.deviceDescription().contains("matmul: tiled PTX kernel"), tiled.deviceDescription());
        assertEquals("cuda", k.name());
    }

    static final int[][] SIZES = {{1, 1, 1}, {3, 5, 7}, {64, 64, 64}, {65, 17, 130}, {128, 300, 33}, {0, 3, 4},
        {3, 0, 4}, {5, 4, 0}, {200, 513, 70}, {1, 1000, 1}};

    private static void checkMatmul(CudaKernels kk, DType t, boolean bias) {
        long seed = 70;
        for (int[] s : SIZES) {
            int m = s[0];
            int kd = s[1];
            int n = s[2];
            for (int flags = 0; flags < 4; flags++) {
                boolean ta = (flags & 1) != 0;
                boolean tb = (flags & 2) != 0;
                if (bias && (ta || !tb)) {
                    continue; // linear is x @ w^T
                }
                double[] a = GpuTestSupport.uniform(seed++, m * kd, -1, 1);
                double[] b = GpuTestSupport.uniform(seed++, kd * n, -1, 1);
                double[] c = GpuTestSupport.uniform(seed++, n, -1, 1);
                double[] ar = round(a, t);
                double[] br = round(b, t);
                double[] cr = round(c, t);
                double[] want = new double[m * n];
                double[] scale = new double[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double acc = bias ? cr[j] : 0;
                        double sc = bias ? Math.abs(cr[j]) : 0;
                        for (int q = 0; q < kd; q++) {
                            double av = ta ? ar[q * m + i] : ar[i * kd + q];
                            double bv = tb ? br[j * kd + q] : br[q * n + j];
                            acc += av * bv;
                            sc += Math.abs(av * bv);
                        }
                        want[i * n + j] = acc;
                        scale[i * n + j] = sc;
                    }
                }
                DeviceArray da = up(kk, a, ta ? new int[] {kd, m} : new int[] {m, kd}, t);
                DeviceArray db = up(kk, b, tb ? new int[] {n, kd} : new int[] {kd, n}, t);
                DeviceArray dc = up(kk, c, new int[] {n}, t);
                DeviceArray r = bias ? kk.linear(da, db, dc) : kk.matmul(da, db, ta, tb);
                assertShape(r, t, m, n);
                double[] got = kk.toDoubles(r);
                // the classical bound of a k-term dot product: (k + 2) u sum |a b| (u = unit roundoff)
                double u = t == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
                for (int i = 0; i < want.length; i++) {
                    if (Math.abs(got[i] - want[i]) > (kd + 2) * u * scale[i] + 1e-300) {
                        fail((bias ? "linear " : "matmul ") + m + "x" + kd + "x" + n + " transA=" + ta + " transB=" + tb
                                + " " + t.label() + " on " + kk.deviceDescription() + ": element " + i + " expected "
                                + want[i] + " got " + got[i]);
                    }
                }
                for (DeviceArray d : new DeviceArray[] {da, db, dc, r}) {
                    kk.release(d);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulDefaultEngine(DType t) {
        checkMatmul(k, t, false);
        checkMatmul(k, t, true);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulTiledKernel(DType t) {
        checkMatmul(tiled, t, false);
        checkMatmul(tiled, t, true);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void linearWithoutBias(DType t) {
        double[] x = GpuTestSupport.uniform(80, 6, -1, 1);
        double[] w = GpuTestSupport.uniform(81, 8, -1, 1);
        DeviceArray dx = up(k, x, new int[] {3, 2}, t);
        DeviceArray dw = up(k, w, new int[] {4, 2}, t);
        DeviceArray viaLinear = k.linear(dx, dw, null);
        DeviceArray viaMatmul = k.matmul(dx, dw, false, true);
        assertClose(k.toDoubles(viaMatmul), k.toDoubles(viaLinear), GpuTestSupport.rtol(t), 1e-12, "linear(null bias)");
        for (DeviceArray d : new DeviceArray[] {dx, dw, viaLinear, viaMatmul}) {
            k.release(d);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void bernoulliLogProbAndGaussianKl(DType t) {
        double[] l = GpuTestSupport.uniform(90, 1000, -30, 30);
        l[0] = 100;
        l[1] = -100;
        l[2] = 0;
        l[3] = 1e4;
        l[4] = -1e4;
        double[] x = GpuTestSupport.uniform(91, 1000, 0, 1);
        x[0] = 1;
        x[1] = 0;
        double[] lr = round(l, t);
        double[] xr = round(x, t);
        DeviceArray dl = up(k, l, new int[] {10, 100}, t);
        DeviceArray dx = up(k, x, new int[] {10, 100}, t);
        DeviceArray bl = k.bernoulliLogProb(dl, dx);
        double[] want = new double[1000];
        double[] scale = new double[1000];
        for (int i = 0; i < 1000; i++) {
            double sp = Math.max(lr[i], 0) + Math.log1p(Math.exp(-Math.abs(lr[i])));
            want[i] = xr[i] * lr[i] - sp;
            scale[i] = Math.abs(xr[i] * lr[i]) + sp;
        }
        double eps = t == DType.FLOAT32 ? 6e-8 : 1.2e-16;
        double[] got = k.toDoubles(bl);
        for (int i = 0; i < 1000; i++) {
            assertTrue(Math.abs(got[i] - want[i]) <= 8 * eps * scale[i] + GpuTestSupport.atol(t),
                    "bernoulliLogProb element " + i + ": expected " + want[i] + " got " + got[i]);
        }
        double[] mu = GpuTestSupport.uniform(92, 1000, -3, 3);
        double[] lv = GpuTestSupport.uniform(93, 1000, -5, 5);
        DeviceArray dmu = up(k, mu, new int[] {1000}, t);
        DeviceArray dlv = up(k, lv, new int[] {1000}, t);
        DeviceArray kl = k.gaussianKlStdNormal(dmu, dlv);
        double[] muR = round(mu, t);
        double[] lvR = round(lv, t);
        double[] wantKl = new double[1000];
        for (int i = 0; i < 1000; i++) {
            wantKl[i] = 0.5 * (Math.exp(lvR[i]) + muR[i] * muR[i] - 1 - lvR[i]);
        }
        double[] gotKl = k.toDoubles(kl);
        for (int i = 0; i < 1000; i++) {
            double sc = Math.exp(lvR[i]) + muR[i] * muR[i] + 1 + Math.abs(lvR[i]);
            assertTrue(Math.abs(gotKl[i] - wantKl[i]) <= 8 * eps * sc + GpuTestSupport.atol(t), "gaussianKl element " + i);
        }
        for (DeviceArray d : new DeviceArray[] {dl, dx, bl, dmu, dlv, kl}) {
            k.release(d);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reluBackwardMasksTheGradientLikeAMultiplication(DType t) {
        double[] x = GpuTestSupport.uniform(94, 1000, -3, 3);
        double[] g = GpuTestSupport.uniform(95, 1000, -3, 3);
        double[][] special = {{0, 1}, {-0.0, -1}, {1e-30, 2}, {Double.NaN, 4}, {Double.POSITIVE_INFINITY, -5},
            {-1, Double.NaN}, {-2, Double.POSITIVE_INFINITY}, {2, Double.NEGATIVE_INFINITY}, {Double.NaN, Double.NaN}};
        for (int i = 0; i < special.length; i++) {
            x[i] = special[i][0];
            g[i] = special[i][1];
        }
        DeviceArray dx = up(k, x, new int[] {10, 100}, t);
        DeviceArray dg = up(k, g, new int[] {10, 100}, t);
        DeviceArray out = k.reluBackward(dx, dg);
        double[] xr = round(x, t);
        double[] gr = round(g, t);
        double[] got = k.toDoubles(out);
        for (int i = 0; i < 1000; i++) {
            double want = gr[i] * (xr[i] > 0 ? 1 : 0);
            assertTrue(Double.isNaN(want) ? Double.isNaN(got[i]) : got[i] == want,
                    "reluBackward element " + i + " (x " + xr[i] + ", g " + gr[i] + "): expected " + want + " got " + got[i]);
        }
        for (DeviceArray d : new DeviceArray[] {dx, dg, out}) {
            k.release(d);
        }
    }

    private static double[] lseRef(double[] x, int[] shape, int axis) {
        int outer = 1;
        int inner = 1;
        for (int d = 0; d < axis; d++) {
            outer *= shape[d];
        }
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int r = shape[axis];
        double[] out = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double m = Double.NEGATIVE_INFINITY;
                for (int q = 0; q < r; q++) {
                    double v = x[(o * r + q) * inner + i];
                    m = Double.isNaN(v) || Double.isNaN(m) ? Double.NaN : Math.max(m, v);
                }
                double shift = Double.isInfinite(m) || Double.isNaN(m) ? 0 : m;
                double s = 0;
                for (int q = 0; q < r; q++) {
                    s += Math.exp(x[(o * r + q) * inner + i] - shift);
                }
                out[o * inner + i] = Math.log(s) + shift;
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void logSumExpRowsColumnsAndEdges(DType t) {
        double ninf = Double.NEGATIVE_INFINITY;
        double[] edge = {1, 2, 3, ninf, ninf, ninf, ninf, 0, Double.POSITIVE_INFINITY, 1, Double.NaN, 2, 1000, 1000, -1000};
        check(t, edge, new int[] {5, 3}, 1);
        check(t, edge, new int[] {5, 3}, 0);
        check(t, GpuTestSupport.uniform(100, 15_000, -50, 50), new int[] {3, 5000}, 1);
        check(t, GpuTestSupport.uniform(101, 18_000, -50, 50), new int[] {2, 3000, 3}, 1);
        check(t, GpuTestSupport.uniform(102, 64 * 10, -5, 5), new int[] {64, 10}, 1);
        check(t, GpuTestSupport.uniform(103, 64 * 10, -5, 5), new int[] {64, 10}, 0);
        DeviceArray empty = k.full(new int[] {3, 0}, t, 0);
        DeviceArray r = k.logSumExp(empty, 1, false);
        assertArrayEquals(new double[] {ninf, ninf, ninf}, k.toDoubles(r));
        k.release(empty);
        k.release(r);
    }

    private void check(DType t, double[] x, int[] shape, int axis) {
        double[] want = lseRef(round(x, t), shape, axis);
        DeviceArray a = up(k, x, shape, t);
        for (boolean keep : new boolean[] {false, true}) {
            DeviceArray r = k.logSumExp(a, axis, keep);
            assertShape(r, t, Shapes.reduced(shape, new int[] {axis}, keep));
            assertClose(round(want, t), k.toDoubles(r), t == DType.FLOAT32 ? 2e-6 : 1e-13, 1e-6,
                    "logSumExp " + Shapes.format(shape) + " axis " + axis);
            k.release(r);
        }
        k.release(a);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void adamStepInPlace(DType t) {
        for (double wd : new double[] {0, 0.01}) {
            int n = 3000;
            double[] p = GpuTestSupport.uniform(110, n, -1, 1);
            double[] g = GpuTestSupport.uniform(111, n, -1, 1);
            double[] m = GpuTestSupport.uniform(112, n, -0.1, 0.1);
            double[] v = GpuTestSupport.uniform(113, n, 0, 0.01);
            AdamHyper h = new AdamHyper(1e-3, 0.9, 0.999, 1e-8, 1 - Math.pow(0.9, 3), 1 - Math.pow(0.999, 3), wd);
            DeviceArray dp = up(k, p, new int[] {30, 100}, t);
            DeviceArray dg = up(k, g, new int[] {30, 100}, t);
            DeviceArray dm = up(k, m, new int[] {30, 100}, t);
            DeviceArray dv = up(k, v, new int[] {30, 100}, t);
            DeviceArray alias = k.reshape(dp, new int[] {3000});
            k.adamStep(dp, dg, dm, dv, h);
            double[] pr = round(p, t);
            double[] gr = round(g, t);
            double[] mr = round(m, t);
            double[] vr = round(v, t);
            double[] wantP = new double[n];
            double[] wantM = new double[n];
            double[] wantV = new double[n];
            for (int i = 0; i < n; i++) {
                wantM[i] = h.beta1() * mr[i] + (1 - h.beta1()) * gr[i];
                wantV[i] = h.beta2() * vr[i] + (1 - h.beta2()) * gr[i] * gr[i];
                double upd = h.lr() * (wantM[i] / h.biasCorrection1()) / (Math.sqrt(wantV[i] / h.biasCorrection2()) + h.eps());
                wantP[i] = pr[i] * (1 - h.lr() * wd) - upd;
            }
            // m and v are sums of two terms that may cancel: absolute tolerances scaled to the terms
            double tol = t == DType.FLOAT32 ? 1e-5 : 1e-12;
            double atol = t == DType.FLOAT32 ? 1e-7 : 1e-15;
            assertClose(wantM, k.toDoubles(dm), tol, atol, "adam m");
            assertClose(wantV, k.toDoubles(dv), tol, atol, "adam v");
            assertClose(wantP, k.toDoubles(dp), tol, 2 * atol, "adam p");
            assertArrayEquals(pr, k.toDoubles(alias), "a view of the parameter keeps the old values");
            for (DeviceArray d : new DeviceArray[] {dp, dg, dm, dv, alias}) {
                k.release(d);
            }
        }
    }

    @Test
    void philoxMatchesTheReferenceGenerator() {
        long[] seeds = {0, 42, -7_000_000_000L};
        long[] streams = {0, 3, Long.MAX_VALUE};
        long[] counters = {0, 12_345, (1L << 32) - 2};
        int[][] shapes = {{0}, {1}, {3}, {4}, {5}, {1001}, {2, 3, 7}};
        for (long seed : seeds) {
            for (long stream : streams) {
                for (long counter : counters) {
                    for (int[] shape : shapes) {
                        int n = Shapes.sizeInt(shape);
                        String what = "seed " + seed + " stream " + stream + " counter " + counter + " n " + n;
                        float[] uf = new float[n];
                        Philox.uniformFloats(seed, stream, counter, uf, 0, n);
                        DeviceArray a = k.philoxUniform(seed, stream, counter, shape, DType.FLOAT32);
                        assertShape(a, DType.FLOAT32, shape);
                        assertArrayEquals(uf, k.toFloats(a), "uniform float32 " + what);
                        double[] ud = new double[n];
                        Philox.uniformDoubles(seed, stream, counter, ud, 0, n);
                        DeviceArray b = k.philoxUniform(seed, stream, counter, shape, DType.FLOAT64);
                        assertArrayEquals(ud, k.toDoubles(b), "uniform float64 " + what);
                        float[] nf = new float[n];
                        Philox.normalFloats(seed, stream, counter, nf, 0, n);
                        DeviceArray c = k.philoxNormal(seed, stream, counter, shape, DType.FLOAT32);
                        float[] gotF = k.toFloats(c);
                        for (int i = 0; i < n; i++) {
                            assertTrue(Math.abs(gotF[i] - nf[i]) <= Math.ulp(nf[i]),
                                    "normal float32 " + what + " element " + i + ": " + nf[i] + " vs " + gotF[i]);
                        }
                        double[] nd = new double[n];
                        Philox.normalDoubles(seed, stream, counter, nd, 0, n);
                        DeviceArray d = k.philoxNormal(seed, stream, counter, shape, DType.FLOAT64);
                        assertClose(nd, k.toDoubles(d), 1e-13, 1e-14, "normal float64 " + what);
                        for (DeviceArray x : new DeviceArray[] {a, b, c, d}) {
                            k.release(x);
                        }
                    }
                }
            }
        }
    }
}
