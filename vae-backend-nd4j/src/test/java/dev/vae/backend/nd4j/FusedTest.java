package dev.vae.backend.nd4j;

import dev.vae.api.DType;
import dev.vae.api.spi.AdamHyper;
import dev.vae.api.spi.Compositions;
import dev.vae.api.spi.DeviceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fused kernels this backend overrides, against {@link Compositions} on the same backend. */
class FusedTest extends KernelTestBase {
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double NAN = Double.NaN;

    private static double tol(DType t) {
        return t == DType.FLOAT32 ? 2e-6 : 1e-14;
    }

    private static double norm(double[] v) {
        double m = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                m = Math.max(m, Math.abs(x));
            }
        }
        return m;
    }

    private static void assertSame(String what, DeviceArray composed, DeviceArray fused, DType t) {
        assertArrayEquals(composed.shape(), fused.shape(), what + " shape");
        assertEquals(composed.dtype(), fused.dtype(), what + " dtype");
        double[] c = k.toDoubles(composed);
        Ref.assertClose(what, c, k.toDoubles(fused), Ref.atol(t) + tol(t) * norm(c), tol(t));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void linearMatchesComposition(DType t) {
        for (int[] nio : new int[][] {{7, 5, 3}, {1, 1, 1}, {128, 33, 17}, {4, 0, 3}, {0, 5, 3}, {3, 5, 0}}) {
            int n = nio[0];
            int in = nio[1];
            int out = nio[2];
            DeviceArray x = make(t, Ref.random(1, n * in, -1, 1), n, in);
            DeviceArray w = make(t, Ref.random(2, out * in, -1, 1), out, in);
            DeviceArray b = make(t, Ref.random(3, out, -1, 1), out);
            assertSame("linear " + n + "x" + in + "x" + out, Compositions.linear(k, x, w, b), k.linear(x, w, b), t);
            assertSame("linear no bias", Compositions.linear(k, x, w, null), k.linear(x, w, null), t);
            // a permuted weight view
            DeviceArray wt = make(t, Ref.random(4, out * in, -1, 1), in, out);
            DeviceArray wv = k.permute(wt, new int[] {1, 0});
            assertSame("linear view", Compositions.linear(k, x, wv, b), k.linear(x, wv, b), t);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void bernoulliLogProbMatchesComposition(DType t) {
        double[] l = {80, -80, 100, -100, 800, -800, 20, -20, 40, -40, 0, 1e-8, 1e30, -1e30, INF, -INF, 3, -3, 0.5, -0.5};
        double[] x = Ref.random(5, l.length, 0, 1);
        x[0] = 1;
        x[1] = 0;
        x[2] = 0.5;
        DeviceArray la = make(t, l, 4, 5);
        DeviceArray xa = make(t, x, 4, 5);
        assertSame("bernoulliLogProb", Compositions.bernoulliLogProb(k, la, xa), k.bernoulliLogProb(la, xa), t);
        DeviceArray lv = k.permute(make(t, Ref.random(6, 20, -5, 5), 5, 4), new int[] {1, 0});
        assertSame("bernoulliLogProb views", Compositions.bernoulliLogProb(k, lv, xa), k.bernoulliLogProb(lv, xa), t);
        DeviceArray e = make(t, new double[0], 0, 4);
        assertArrayEquals(new int[] {0, 4}, k.bernoulliLogProb(e, e).shape());
        // broadcasting operands fall back to the composition
        DeviceArray row = make(t, Ref.random(7, 5, 0, 1), 5);
        assertSame("bernoulliLogProb broadcast", Compositions.bernoulliLogProb(k, la, row), k.bernoulliLogProb(la, row), t);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gaussianKlMatchesComposition(DType t) {
        double[] mu = Ref.random(8, 30, -3, 3);
        double[] lv = Ref.random(9, 30, -6, 4);
        lv[0] = -40;
        lv[1] = 30;
        mu[2] = 1e10;
        DeviceArray m = make(t, mu, 5, 6);
        DeviceArray l = make(t, lv, 5, 6);
        assertSame("gaussianKl", Compositions.gaussianKlStdNormal(k, m, l), k.gaussianKlStdNormal(m, l), t);
        DeviceArray ms = k.slice(make(t, Ref.random(10, 60, -3, 3), 5, 12), 1, 3, 9);
        assertSame("gaussianKl views", Compositions.gaussianKlStdNormal(k, ms, l), k.gaussianKlStdNormal(ms, l), t);
        DeviceArray e = make(t, new double[0], 3, 0);
        assertArrayEquals(new int[] {3, 0}, k.gaussianKlStdNormal(e, e).shape());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void logSumExpMatchesComposition(DType t) {
        double ninf = Double.NEGATIVE_INFINITY;
        double[] v = {
            1, 2, 3, 4, 5,
            ninf, ninf, ninf, ninf, ninf,
            1000, 1000, -1000, 0, 1,
            INF, 1, 2, 3, 4,
            NAN, 1, 2, 3, 4,
            -1e30, 1e30, 0, 0, 0,
        };
        DeviceArray a = make(t, v, 6, 5);
        for (int axis = 0; axis < 2; axis++) {
            for (boolean keep : new boolean[] {false, true}) {
                assertSame("logSumExp axis " + axis + " keep " + keep, Compositions.logSumExp(k, a, axis, keep),
                        k.logSumExp(a, axis, keep), t);
            }
        }
        DeviceArray r3 = k.permute(make(t, Ref.random(11, 60, -20, 20), 3, 4, 5), new int[] {1, 2, 0});
        for (int axis = 0; axis < 3; axis++) {
            assertSame("logSumExp rank-3 view axis " + axis, Compositions.logSumExp(k, r3, axis, false), k.logSumExp(r3, axis, false), t);
        }
        DeviceArray r1 = make(t, new double[] {0.5, -1, 2}, 3);
        assertSame("logSumExp rank-1", Compositions.logSumExp(k, r1, 0, false), k.logSumExp(r1, 0, false), t);
        DeviceArray e = make(t, new double[0], 3, 0);
        Ref.assertClose("empty axis", new double[] {ninf, ninf, ninf}, read(k.logSumExp(e, 1, false), 3), 0, 0);
        assertArrayEquals(new int[] {1, 0}, k.logSumExp(e, 0, true).shape());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void adamStepMatchesComposition(DType t) {
        for (double wd : new double[] {0, 0.01}) {
            AdamHyper h = new AdamHyper(1e-3, 0.9, 0.999, 1e-8, 1 - Math.pow(0.9, 3), 1 - Math.pow(0.999, 3), wd);
            double[] p = Ref.random(12, 40, -1, 1);
            double[] g = Ref.random(13, 40, -1, 1);
            double[] m = Ref.random(14, 40, -0.1, 0.1);
            double[] v = Ref.random(15, 40, 0, 0.01);
            g[0] = 0;
            v[0] = 0;
            m[0] = 0;
            int[] shape = {5, 8};
            DeviceArray[] fused = {make(t, p, shape), make(t, g, shape), make(t, m, shape), make(t, v, shape)};
            DeviceArray[] comp = {make(t, p, shape), make(t, g, shape), make(t, m, shape), make(t, v, shape)};
            k.adamStep(fused[0], fused[1], fused[2], fused[3], h);
            Compositions.adamStep(k, comp[0], comp[1], comp[2], comp[3], h);
            String[] names = {"param", "grad", "m", "v"};
            for (int i = 0; i < 4; i++) {
                assertSame("adam " + names[i] + " wd=" + wd, comp[i], fused[i], t);
            }
            Ref.assertClose("grad untouched", Ref.round(g, t), k.toDoubles(fused[1]), 0, 0);
        }
        DeviceArray e = make(t, new double[0], 0);
        k.adamStep(e, e, e, e, new AdamHyper(1e-3, 0.9, 0.999, 1e-8, 0.1, 0.001, 0));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reluBackwardMatchesComposition(DType t) {
        double[] x = {0, -0.0, 1e-30, -1e-30, NAN, INF, -INF, -1, -2, -3, 2, 3, NAN, 0, 0.5, -0.5};
        double[] g = {1, -1, 2, 3, 4, -5, 6, NAN, INF, -INF, INF, NAN, NAN, -INF, -7, 8};
        DeviceArray xa = make(t, x, 4, 4);
        DeviceArray ga = make(t, g, 4, 4);
        double[] expected = new double[16];
        for (int i = 0; i < 16; i++) {
            expected[i] = g[i] * (x[i] > 0 ? 1 : 0);
        }
        Ref.assertClose("reluBackward", expected, k.toDoubles(k.reluBackward(xa, ga)), 0, 0);
        assertSame("reluBackward", Compositions.reluBackward(k, xa, ga), k.reluBackward(xa, ga), t);
        // a transposed x and a sliced g
        DeviceArray xt = k.permute(xa, new int[] {1, 0});
        DeviceArray gs = k.slice(make(t, Ref.random(5, 24, -1, 1), 6, 4), 0, 1, 5);
        assertSame("reluBackward views", Compositions.reluBackward(k, xt, gs), k.reluBackward(xt, gs), t);
        DeviceArray r0 = k.reluBackward(make(t, new double[] {0.5}), make(t, new double[] {-2}));
        Ref.assertClose("reluBackward rank 0", new double[] {-2}, k.toDoubles(r0), 0, 0);
        assertArrayEquals(new int[] {0, 3}, k.reluBackward(make(t, new double[0], 0, 3), make(t, new double[0], 0, 3)).shape());
    }

    /**
     * Hyper-parameters on both sides of the native {@code adam_updater} path's limits (betas whose
     * complement rounds differently in float32, betas near 1,
     * learning rates that vanish in float32, bias corrections unrelated to any iteration), rank 0
     * and a NaN/inf gradient: always the composition's result.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void adamStepEdgeHyperParametersMatchComposition(DType t) {
        AdamHyper[] hypers = {
            new AdamHyper(1e-3, 0.9, 0.999, 1e-8, 0.1, 0.001, 0),
            // betas whose 1 - b is the same whether b or 1 - b is rounded: the native path in float32 too
            new AdamHyper(1e-3, 0.5, 0.75, 1e-8, 0.5, 0.25, 0),
            new AdamHyper(1e-3, 0.875, 0.9375, 1e-6, 0.2, 0.1, 0.05),
            new AdamHyper(1e-3, 0.9, 0.999, 1e-8, 0.37, 0.9, 0.2),
            new AdamHyper(1e-2, 0, 0, 1e-8, 1, 1, 0),
            new AdamHyper(1e-3, 0.9, 1 - 1e-12, 1e-8, 0.5, 1e-9, 0),
            new AdamHyper(1e-3, 1, 0.999, 1e-8, 0.5, 0.002, 0),
            new AdamHyper(1e-50, 0.9, 0.999, 1e-8, 0.1, 0.001, 0),
            new AdamHyper(0, 0.9, 0.999, 1e-8, 0.1, 0.001, 0.1),
            new AdamHyper(-1e-3, 0.9, 0.999, 0, 0.1, 0.001, 0),
        };
        for (AdamHyper h : hypers) {
            for (int[] shape : new int[][] {{6}, {}}) {
                int n = shape.length == 0 ? 1 : shape[0];
                double[] p = Arrays.copyOf(Ref.random(21, 6, -1, 1), n);
                double[] g = Arrays.copyOf(Ref.random(22, 6, -1, 1), n);
                double[] m = Arrays.copyOf(Ref.random(23, 6, -0.1, 0.1), n);
                double[] v = Arrays.copyOf(Ref.random(24, 6, 0, 0.01), n);
                if (n > 1) {
                    g[1] = NAN;
                    g[2] = INF;
                    g[3] = 0;
                    m[3] = 0;
                    v[3] = 0;
                }
                DeviceArray[] fused = {make(t, p, shape), make(t, g, shape), make(t, m, shape), make(t, v, shape)};
                DeviceArray[] comp = {make(t, p, shape), make(t, g, shape), make(t, m, shape), make(t, v, shape)};
                k.adamStep(fused[0], fused[1], fused[2], fused[3], h);
                Compositions.adamStep(k, comp[0], comp[1], comp[2], comp[3], h);
                String[] names = {"param", "grad", "m", "v"};
                for (int i = 0; i < 4; i++) {
                    assertSame("adam " + names[i] + " " + h + " rank " + shape.length, comp[i], fused[i], t);
                }
            }
        }
    }

    @Test
    void adamStepOnViewsUpdatesTheBase() {
        DType t = DType.FLOAT32;
        AdamHyper h = new AdamHyper(0.1, 0.9, 0.999, 1e-8, 0.1, 0.001, 0);
        DeviceArray base = make(t, Ref.random(1, 12, -1, 1), 3, 4);
        DeviceArray ref = make(t, k.toDoubles(base), 3, 4);
        DeviceArray view = k.permute(base, new int[] {1, 0});
        DeviceArray refView = k.permute(ref, new int[] {1, 0});
        DeviceArray g = make(t, Ref.random(2, 12, -1, 1), 4, 3);
        DeviceArray m1 = make(t, new double[12], 4, 3);
        DeviceArray v1 = make(t, new double[12], 4, 3);
        DeviceArray m2 = make(t, new double[12], 4, 3);
        DeviceArray v2 = make(t, new double[12], 4, 3);
        k.adamStep(view, g, m1, v1, h);
        Compositions.adamStep(k, refView, g, m2, v2, h);
        assertSame("param through a view", ref, base, t);
    }
}
