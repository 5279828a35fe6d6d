package dev.vae.backend.jvm;

import dev.vae.api.DType;
import dev.vae.api.random.Philox;
import dev.vae.api.spi.AdamHyper;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.Compositions;
import dev.vae.api.spi.DeviceArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every fused override against its reference composition in {@link Compositions}, run on the same
 * kernels. The overrides are designed to be bit-identical, so that is what is checked; a float64
 * reference checks the values too.
 */
class FusedTest {
    private static JvmKernels k;

    @BeforeAll
    static void setUp() {
        k = new JvmKernels(2);
    }

    @AfterAll
    static void tearDown() {
        k.close();
    }

    @Test
    void scalarMatchesComposition() {
        for (DType t : DType.values()) {
            DeviceArray a = Ref.make(k, t, new int[] {Ref.SPECIALS.length + 10}, Ref.values(Ref.SPECIALS.length + 10, 3, true));
            for (BinaryOp op : BinaryOp.values()) {
                for (double s : new double[] {0.1, -2.5, 0.0, Double.NaN, Double.POSITIVE_INFINITY, 1e-40}) {
                    DeviceArray fused = k.scalar(op, a, s);
                    DeviceArray comp = Compositions.scalar(k, op, a, s);
                    Ref.assertBitEqual(k, comp, fused, "scalar " + op + " " + s + " " + t);
                }
            }
        }
    }

    @Test
    void linearMatchesComposition() {
        int[][] sizes = {{128, 784, 400}, {3, 5, 7}, {1, 1, 1}, {0, 4, 3}, {5, 0, 2}, {37, 53, 29}};
        long seed = 1;
        for (DType t : DType.values()) {
            for (int[] s : sizes) {
                DeviceArray x = Ref.make(k, t, new int[] {s[0], s[1]}, Ref.values(s[0] * s[1], seed++, false));
                DeviceArray w = Ref.make(k, t, new int[] {s[2], s[1]}, Ref.values(s[2] * s[1], seed++, false));
                DeviceArray b = Ref.make(k, t, new int[] {s[2]}, Ref.values(s[2], seed++, false));
                Ref.assertBitEqual(k, Compositions.linear(k, x, w, b), k.linear(x, w, b), "linear " + t);
                Ref.assertBitEqual(k, Compositions.linear(k, x, w, null), k.linear(x, w, null), "linear nobias " + t);
            }
            // a bias that needs broadcasting falls back to the composition
            DeviceArray x = Ref.make(k, t, new int[] {2, 3}, Ref.values(6, 9, false));
            DeviceArray w = Ref.make(k, t, new int[] {4, 3}, Ref.values(12, 10, false));
            DeviceArray b = Ref.make(k, t, new int[] {2, 1}, Ref.values(2, 11, false));
            Ref.assertBitEqual(k, Compositions.linear(k, x, w, b), k.linear(x, w, b), "linear broadcast bias " + t);
        }
    }

    @Test
    void reluBackwardMatchesComposition() {
        for (DType t : DType.values()) {
            // specials in both operands (NaN, infinities, signed zeros), lengths with vector tails,
            // and one long enough to run in parallel chunks
            for (int n : new int[] {Ref.SPECIALS.length, Ref.SPECIALS.length + 37, 200_003}) {
                DeviceArray x = Ref.make(k, t, new int[] {n}, Ref.values(n, 21, true));
                double[] gv = Ref.values(n, 22, true);
                for (int i = 0; i < Math.min(n, Ref.SPECIALS.length); i++) {
                    gv[i] = Ref.SPECIALS[(i * 7) % Ref.SPECIALS.length];
                }
                DeviceArray g = Ref.make(k, t, new int[] {n}, gv);
                DeviceArray fused = k.reluBackward(x, g);
                Ref.assertBitEqual(k, Compositions.reluBackward(k, x, g), fused, "reluBackward " + t + " n=" + n);
                double[] xd = k.toDoubles(x);
                double[] fd = k.toDoubles(fused);
                for (int i = 0; i < n; i++) {
                    double want = gv[i] * (xd[i] > 0 ? 1 : 0);
                    if (t == DType.FLOAT32) {
                        want = (float) ((float) gv[i] * (xd[i] > 0 ? 1f : 0f));
                    }
                    assertEquals(want, fd[i], 0.0, "reluBackward " + t + " @" + i);
                }
                k.release(x);
                k.release(g);
                k.release(fused);
            }
        }
    }

    @Test
    void bernoulliLogProbMatchesComposition() {
        for (DType t : DType.values()) {
            int n = Ref.SPECIALS.length + 5000;
            DeviceArray l = Ref.make(k, t, new int[] {n}, Ref.values(n, 4, true));
            double[] xv = Ref.values(n, 5, false);
            for (int i = 0; i < n; i++) {
                xv[i] = i % 3 == 0 ? 0 : (i % 3 == 1 ? 1 : Math.abs(Math.sin(xv[i])));
            }
            DeviceArray x = Ref.make(k, t, new int[] {n}, xv);
            DeviceArray fused = k.bernoulliLogProb(l, x);
            Ref.assertBitEqual(k, Compositions.bernoulliLogProb(k, l, x), fused, "bernoulli " + t);
            double[] lv = k.toDoubles(l);
            double[] xd = k.toDoubles(x);
            double[] exp = new double[n];
            for (int i = 0; i < n; i++) {
                exp[i] = xd[i] * lv[i] - Ref.unary(dev.vae.api.spi.UnaryOp.SOFTPLUS, lv[i]);
            }
            double[] got = k.toDoubles(fused);
            for (int i = 0; i < n; i++) {
                double tol = 1e-6 * (Math.abs(xd[i] * lv[i]) + Math.abs(lv[i]) + 1);
                if (!Double.isNaN(exp[i]) && !Double.isInfinite(exp[i])) {
                    assertEquals(exp[i], got[i], tol, "bernoulli value " + i);
                }
            }
        }
    }

    @Test
    void gaussianKlMatchesComposition() {
        for (DType t : DType.values()) {
            int n = 7000;
            DeviceArray mu = Ref.make(k, t, new int[] {70, 100}, Ref.values(n, 6, true));
            double[] lvv = Ref.values(n, 7, false);
            DeviceArray lv = Ref.make(k, t, new int[] {70, 100}, lvv);
            DeviceArray fused = k.gaussianKlStdNormal(mu, lv);
            Ref.assertBitEqual(k, Compositions.gaussianKlStdNormal(k, mu, lv), fused, "kl " + t);
            double[] m = k.toDoubles(mu);
            double[] v = k.toDoubles(lv);
            double[] got = k.toDoubles(fused);
            for (int i = 0; i < n; i++) {
                double e = 0.5 * (Math.exp(v[i]) + m[i] * m[i] - 1 - v[i]);
                if (Double.isFinite(e)) {
                    assertEquals(e, got[i], 1e-6 * (Math.exp(v[i]) + m[i] * m[i] + 1 + Math.abs(v[i])));
                }
            }
        }
    }

    @Test
    void logSumExpMatchesComposition() {
        double inf = Double.POSITIVE_INFINITY;
        int[][] shapes = {{4, 7}, {3, 20000}, {2, 1, 5}, {0, 3}, {3, 0}, {5}, {2, 3, 4}, {1}, {6, 1}, {2, 1500, 3}};
        long seed = 20;
        for (DType t : DType.values()) {
            for (int[] shape : shapes) {
                double[] v = Ref.values(Ref.size(shape), seed++, false);
                if (shape.length == 2 && shape[0] == 4) {
                    // rows: all -inf, containing +inf, containing NaN, huge values
                    for (int j = 0; j < 7; j++) {
                        v[j] = -inf;
                        v[14 + j] = 900 + j;
                    }
                    v[7 + 2] = inf;
                    v[21 + 3] = Double.NaN;
                }
                DeviceArray a = Ref.make(k, t, shape, v);
                for (int axis = 0; axis < shape.length; axis++) {
                    for (boolean keep : new boolean[] {false, true}) {
                        DeviceArray fused = k.logSumExp(a, axis, keep);
                        DeviceArray comp = Compositions.logSumExp(k, a, axis, keep);
                        Ref.assertBitEqual(k, comp, fused, "logSumExp " + t + " " + Ref.fmt(shape) + " axis " + axis);
                        k.release(fused);
                        k.release(comp);
                    }
                }
                k.release(a);
            }
            DeviceArray rows = Ref.make(k, t, new int[] {4, 7}, Ref.values(28, 1, false));
            double[] in = k.toDoubles(rows);
            double[] got = k.toDoubles(k.logSumExp(rows, 1, false));
            for (int r = 0; r < 4; r++) {
                double s = 0;
                for (int j = 0; j < 7; j++) {
                    s += Math.exp(in[r * 7 + j]);
                }
                assertEquals(Math.log(s), got[r], 1e-6 * Math.abs(Math.log(s)) + 1e-6);
            }
        }
    }

    @Test
    void adamStepMatchesComposition() {
        AdamHyper[] hs = {
            new AdamHyper(1e-3, 0.9, 0.999, 1e-8, 1 - 0.9, 1 - 0.999, 0),
            new AdamHyper(3e-4, 0.8, 0.99, 1e-6, 1 - Math.pow(0.8, 5), 1 - Math.pow(0.99, 5), 0.01),
        };
        for (DType t : DType.values()) {
            for (AdamHyper h : hs) {
                int[] shape = {300, 301};
                int n = 300 * 301;
                double[] p0 = Ref.values(n, 30, false);
                double[] g0 = Ref.values(n, 31, true);
                double[] m0 = Ref.values(n, 32, false);
                double[] v0 = Ref.values(n, 33, false);
                for (int i = 0; i < n; i++) {
                    v0[i] = Math.abs(v0[i]);
                }
                DeviceArray p1 = Ref.make(k, t, shape, p0);
                DeviceArray g = Ref.make(k, t, shape, g0);
                DeviceArray m1 = Ref.make(k, t, shape, m0);
                DeviceArray v1 = Ref.make(k, t, shape, v0);
                DeviceArray p2 = Ref.make(k, t, shape, p0);
                DeviceArray m2 = Ref.make(k, t, shape, m0);
                DeviceArray v2 = Ref.make(k, t, shape, v0);
                long live = k.liveArrays();
                k.adamStep(p1, g, m1, v1, h);
                assertEquals(live, k.liveArrays(), "adamStep allocates nothing");
                Compositions.adamStep(k, p2, g, m2, v2, h);
                Ref.assertBitEqual(k, p2, p1, "adam p " + t);
                Ref.assertBitEqual(k, m2, m1, "adam m " + t);
                Ref.assertBitEqual(k, v2, v1, "adam v " + t);
                for (DeviceArray x : new DeviceArray[] {p1, g, m1, v1, p2, m2, v2}) {
                    k.release(x);
                }
            }
        }
    }

    @Test
    void philoxMatchesCompositionBitForBit() {
        int[][] shapes = {{0}, {1}, {3}, {5}, {2, 3}, {7, 11}, {333, 301}, {}};
        for (DType t : DType.values()) {
            for (int[] shape : shapes) {
                for (long counter : new long[] {0, 5, (1L << 32) - 1}) {
                    Ref.assertBitEqual(k, Compositions.philoxNormal(k, 42, 7, counter, shape, t),
                            k.philoxNormal(42, 7, counter, shape, t), "normal " + t + " " + Ref.fmt(shape));
                    Ref.assertBitEqual(k, Compositions.philoxUniform(k, -3, 1L << 40, counter, shape, t),
                            k.philoxUniform(-3, 1L << 40, counter, shape, t), "uniform " + t + " " + Ref.fmt(shape));
                }
            }
        }
        float[] direct = new float[10];
        Philox.normalFloats(1, 2, 3, direct, 0, 10);
        assertArrayEquals(direct, k.toFloats(k.philoxNormal(1, 2, 3, new int[] {10}, DType.FLOAT32)));
    }
}
