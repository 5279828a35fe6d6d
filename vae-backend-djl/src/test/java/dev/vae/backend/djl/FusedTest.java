package dev.vae.backend.djl;

import static dev.vae.backend.djl.TestSupport.arr;
import static dev.vae.backend.djl.TestSupport.assertClose;
import static dev.vae.backend.djl.TestSupport.random;
import static dev.vae.backend.djl.TestSupport.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.AdamHyper;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.Compositions;
import dev.vae.api.spi.DeviceArray;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every fused override against its reference composition in {@link Compositions}. */
class FusedTest {

    private final DjlKernels k = TestSupport.kernels();

    private static double rel(DType dt) {
        return dt == DType.FLOAT32 ? 1e-6 : 1e-14;
    }

    private void same(DeviceArray expected, DeviceArray actual, double rel, double abs, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertClose(read(k, expected), read(k, actual), rel, abs, what);
        k.release(expected);
        k.release(actual);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void linearMatchesMatmulPlusBias(DType dt) {
        int[][] sizes = {{5, 7, 3}, {128, 33, 17}, {3, 0, 4}, {0, 4, 2}, {1, 1, 1}};
        long seed = 3;
        for (int[] s : sizes) {
            DeviceArray x = arr(k, dt, random(seed++, s[0] * s[1], -1, 1), s[0], s[1]);
            DeviceArray w = arr(k, dt, random(seed++, s[2] * s[1], -1, 1), s[2], s[1]);
            DeviceArray b = arr(k, dt, random(seed++, s[2], -1, 1), s[2]);
            double abs = dt == DType.FLOAT32 ? 1e-5 : 1e-13;
            same(Compositions.linear(k, x, w, b), k.linear(x, w, b), rel(dt), abs, "linear " + dt);
            same(Compositions.linear(k, x, w, null), k.linear(x, w, null), rel(dt), abs, "linear no bias " + dt);
            k.release(x);
            k.release(w);
            k.release(b);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void bernoulliLogProbMatchesTheComposition(DType dt) {
        double[] l = {-1000, -50, -20.5, -3, -1e-6, 0, 1e-6, 0.7, 3, 19.9, 20.1, 50, 1000, Double.NaN};
        double[] x = {0, 1, 0.5, 0.25, 1, 0, 0.9, 1, 0, 1, 0.3, 1, 0, 1};
        DeviceArray la = arr(k, dt, l, 2, 7);
        DeviceArray xa = arr(k, dt, x, 2, 7);
        same(Compositions.bernoulliLogProb(k, la, xa), k.bernoulliLogProb(la, xa), rel(dt), 0, "bernoulli " + dt);
        DeviceArray le = k.full(new int[] {0, 5}, dt, 1);
        same(Compositions.bernoulliLogProb(k, le, le), k.bernoulliLogProb(le, le), 0, 0, "bernoulli empty " + dt);
        DeviceArray ls = arr(k, dt, random(9, 128 * 33, -8, 8), 128, 33);
        DeviceArray xs = arr(k, dt, random(10, 128 * 33, 0, 1), 128, 33);
        same(Compositions.bernoulliLogProb(k, ls, xs), k.bernoulliLogProb(ls, xs), rel(dt), 0, "bernoulli big " + dt);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gaussianKlMatchesTheComposition(DType dt) {
        double[] mu = {0, 1, -2, 0.5, 3, -0.1};
        double[] lv = {0, -1, 2, -10, 0.3, 5};
        DeviceArray m = arr(k, dt, mu, 2, 3);
        DeviceArray v = arr(k, dt, lv, 2, 3);
        same(Compositions.gaussianKlStdNormal(k, m, v), k.gaussianKlStdNormal(m, v), rel(dt), 0, "kl " + dt);
        DeviceArray e = k.full(new int[] {0}, dt, 0);
        same(Compositions.gaussianKlStdNormal(k, e, e), k.gaussianKlStdNormal(e, e), 0, 0, "kl empty " + dt);
        DeviceArray s = k.full(new int[0], dt, 0.5);
        same(Compositions.gaussianKlStdNormal(k, s, s), k.gaussianKlStdNormal(s, s), rel(dt), 0, "kl scalar " + dt);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void logSumExpMatchesTheCompositionWithInfinitiesAndEmptyAxes(DType dt) {
        double ninf = Double.NEGATIVE_INFINITY;
        double[] a = {1, 2, 3, 1000, 1001, 999, ninf, ninf, ninf, ninf, 0, Double.POSITIVE_INFINITY, -5, Double.NaN, 1};
        DeviceArray x = arr(k, dt, a, 5, 3);
        for (int axis = 0; axis < 2; axis++) {
            for (boolean keep : new boolean[] {false, true}) {
                same(Compositions.logSumExp(k, x, axis, keep), k.logSumExp(x, axis, keep), rel(dt), 0,
                        "logsumexp axis " + axis + " keep " + keep + " " + dt);
            }
        }
        DeviceArray e = k.full(new int[] {3, 0}, dt, 1);
        for (int axis = 0; axis < 2; axis++) {
            same(Compositions.logSumExp(k, e, axis, false), k.logSumExp(e, axis, false), 0, 0, "empty axis " + axis);
        }
        DeviceArray r3 = arr(k, dt, random(4, 24, -30, 30), 2, 3, 4);
        for (int axis = 0; axis < 3; axis++) {
            same(Compositions.logSumExp(k, r3, axis, false), k.logSumExp(r3, axis, false), rel(dt), 0, "rank 3 " + axis);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void scalarMatchesTheComposition(DType dt) {
        DeviceArray a = arr(k, dt, random(5, 12, 0.1, 3), 3, 4);
        for (BinaryOp op : BinaryOp.values()) {
            for (double s : new double[] {0.7, -2, 0, Double.NaN}) {
                same(Compositions.scalar(k, op, a, s), k.scalar(op, a, s), 0, 0, "scalar " + op + " " + s);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void adamStepMatchesTheCompositionOverSeveralSteps(DType dt) {
        int[] shape = {7, 5};
        int n = Shapes.sizeInt(shape);
        for (double wd : new double[] {0, 0.01}) {
            DeviceArray p1 = arr(k, dt, random(1, n, -1, 1), shape);
            DeviceArray m1 = k.full(shape, dt, 0);
            DeviceArray v1 = k.full(shape, dt, 0);
            DeviceArray p2 = k.cast(p1, dt);
            DeviceArray m2 = k.full(shape, dt, 0);
            DeviceArray v2 = k.full(shape, dt, 0);
            double b1 = 0.9;
            double b2 = 0.999;
            for (int t = 1; t <= 5; t++) {
                double[] gv = random(100 + t, n, -1, 1);
                gv[0] = 0;
                DeviceArray g = arr(k, dt, gv, shape);
                AdamHyper h = new AdamHyper(1e-3, b1, b2, 1e-8, 1 - Math.pow(b1, t), 1 - Math.pow(b2, t), wd);
                Compositions.adamStep(k, p1, g, m1, v1, h);
                k.adamStep(p2, g, m2, v2, h);
                k.release(g);
            }
            assertClose(read(k, m1), read(k, m2), rel(dt), 0, "adam m " + dt);
            assertClose(read(k, v1), read(k, v2), rel(dt), 0, "adam v " + dt);
            assertClose(read(k, p1), read(k, p2), rel(dt), 0, "adam p " + dt + " wd " + wd);
            for (DeviceArray d : new DeviceArray[] {p1, m1, v1, p2, m2, v2}) {
                k.release(d);
            }
        }
    }
}
