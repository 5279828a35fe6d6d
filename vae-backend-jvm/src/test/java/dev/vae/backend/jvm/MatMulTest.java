package dev.vae.backend.jvm;

import dev.vae.api.DType;
import dev.vae.api.spi.DeviceArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Matrix product: every transpose combination at odd sizes and sizes crossing the block sizes. */
class MatMulTest {
    private static JvmKernels k;

    @BeforeAll
    static void setUp() {
        k = new JvmKernels(2);
    }

    @AfterAll
    static void tearDown() {
        k.close();
    }

    /** (m, k, n): odd sizes, degenerate sizes, and sizes crossing KC (8/16), NC (512) and MB (64). */
    static final int[][] SIZES = {
        {37, 53, 29}, {1, 1, 1}, {1, 7, 1}, {3, 1, 5}, {5, 0, 7}, {0, 4, 3}, {3, 4, 0}, {0, 0, 0},
        {70, 130, 600}, {129, 17, 513}, {2, 1000, 3}, {65, 31, 9}, {16, 16, 16}, {1, 300, 1100}, {200, 3, 1},
    };

    @Test
    void everyTransposeCombination() {
        long seed = 5;
        for (DType t : DType.values()) {
            for (int[] s : SIZES) {
                for (int flags = 0; flags < 4; flags++) {
                    check(t, s[0], s[1], s[2], (flags & 1) != 0, (flags & 2) != 0, seed++);
                }
            }
        }
    }

    private static void check(DType t, int m, int kk, int n, boolean ta, boolean tb, long seed) {
        int[] as = ta ? new int[] {kk, m} : new int[] {m, kk};
        int[] bs = tb ? new int[] {n, kk} : new int[] {kk, n};
        DeviceArray a = Ref.make(k, t, as, Ref.values(m * kk, seed, false));
        DeviceArray b = Ref.make(k, t, bs, Ref.values(kk * n, seed + 1000, false));
        DeviceArray c = k.matmul(a, b, ta, tb);
        String what = "matmul " + t + " m=" + m + " k=" + kk + " n=" + n + " ta=" + ta + " tb=" + tb;
        assertArrayEquals(new int[] {m, n}, c.shape(), what);
        assertEquals(t, c.dtype());
        double[] abs = new double[m * n];
        double[] exp = Ref.matmul(k.toDoubles(a), as, k.toDoubles(b), bs, ta, tb, abs);
        double rel = t == DType.FLOAT32 ? 1e-6 * Math.sqrt(Math.max(1, kk)) : 1e-15 * Math.sqrt(Math.max(1, kk));
        Ref.assertCloseScaled(exp, k.toDoubles(c), abs, rel, what);
        k.release(a);
        k.release(b);
        k.release(c);
    }

    @Test
    void zeroDepthGivesZeros() {
        for (DType t : DType.values()) {
            DeviceArray a = k.full(new int[] {3, 0}, t, 1.0);
            DeviceArray b = k.full(new int[] {0, 4}, t, 1.0);
            assertArrayEquals(new double[12], k.toDoubles(k.matmul(a, b, false, false)));
            DeviceArray w = k.full(new int[] {4, 0}, t, 1.0);
            DeviceArray bias = Ref.make(k, t, new int[] {4}, new double[] {1, 2, 3, 4});
            double[] lin = k.toDoubles(k.linear(a, w, bias));
            assertArrayEquals(new double[] {1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4}, lin);
        }
    }

    @Test
    void specialValuesPropagate() {
        for (DType t : DType.values()) {
            DeviceArray a = Ref.make(k, t, new int[] {2, 2}, new double[] {1, Double.NaN, 1, 0});
            DeviceArray b = Ref.make(k, t, new int[] {2, 2}, new double[] {Double.POSITIVE_INFINITY, 1, 1, 1});
            double[] c = k.toDoubles(k.matmul(a, b, false, false));
            assertEquals(true, Double.isNaN(c[0]));
            assertEquals(true, Double.isNaN(c[1]));
            assertEquals(Double.POSITIVE_INFINITY, c[2]);
            assertEquals(1.0, c[3]);
        }
    }

    @Test
    void exactForSmallIntegers() {
        // integer-valued products are exact in both dtypes: checks indexing independently of rounding
        for (DType t : DType.values()) {
            int m = 67;
            int kk = 45;
            int n = 530;
            double[] av = new double[m * kk];
            double[] bv = new double[kk * n];
            for (int i = 0; i < av.length; i++) {
                av[i] = (i * 7) % 11 - 5;
            }
            for (int i = 0; i < bv.length; i++) {
                bv[i] = (i * 5) % 13 - 6;
            }
            for (int flags = 0; flags < 4; flags++) {
                boolean ta = (flags & 1) != 0;
                boolean tb = (flags & 2) != 0;
                int[] as = ta ? new int[] {kk, m} : new int[] {m, kk};
                int[] bs = tb ? new int[] {n, kk} : new int[] {kk, n};
                DeviceArray a = Ref.make(k, t, as, av);
                DeviceArray b = Ref.make(k, t, bs, bv);
                double[] exp = Ref.matmul(av, as, bv, bs, ta, tb, null);
                Ref.assertBitEqual(exp, k.toDoubles(k.matmul(a, b, ta, tb)), "integer matmul " + t + " " + flags);
            }
        }
    }

    @Test
    void vectorPathRunsWhenTheModuleIsPresent() {
        // the test forks get --add-modules jdk.incubator.vector (parent pom), so the tests above
        // exercise the Vector API product
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(present, VectorSupport.AVAILABLE, VectorSupport.describe());
    }

    @Test
    void vectorAndScalarProductsAreBitIdentical() {
        // both compute every element as the same sequential fma chain over k
        assumeTrue(VectorSupport.AVAILABLE, "jdk.incubator.vector not present");
        int[][] sizes = {{37, 53, 29}, {70, 130, 600}, {129, 17, 513}, {2, 1000, 3}, {65, 31, 9}, {1, 300, 1100},
            {128, 784, 400}, {13, 400, 20}, {200, 3, 1},
            // small batch against wide weights: A read in place by the row kernel, with partial row panels
            {16, 784, 403}, {5, 600, 203}};
        for (int threads : new int[] {1, 2, 3}) {
            try (Parallel par = new Parallel(threads)) {
                MatMul vec = new MatMul(par, true);
                MatMul sca = new MatMul(par, false);
                long seed = 77;
                for (int[] s : sizes) {
                    int m = s[0];
                    int kk = s[1];
                    int n = s[2];
                    for (int flags = 0; flags < 8; flags++) {
                        boolean ta = (flags & 1) != 0;
                        boolean tb = (flags & 2) != 0;
                        boolean withBias = (flags & 4) != 0;
                        double[] av = Ref.values(m * kk, seed++, false);
                        double[] bv = Ref.values(kk * n, seed++, false);
                        double[] biasv = Ref.values(n, seed++, false);
                        float[] af = new float[av.length];
                        float[] bf = new float[bv.length];
                        float[] biasf = new float[n];
                        for (int i = 0; i < av.length; i++) {
                            af[i] = (float) av[i];
                        }
                        for (int i = 0; i < bv.length; i++) {
                            bf[i] = (float) bv[i];
                        }
                        for (int i = 0; i < n; i++) {
                            biasf[i] = (float) biasv[i];
                        }
                        String what = "m=" + m + " k=" + kk + " n=" + n + " flags=" + flags + " threads=" + threads;
                        float[] fv = new float[m * n];
                        float[] fs = new float[m * n];
                        vec.multiply(af, bf, m, n, kk, ta, tb, withBias ? biasf : null, fv);
                        sca.multiply(af, bf, m, n, kk, ta, tb, withBias ? biasf : null, fs);
                        for (int i = 0; i < fv.length; i++) {
                            assertEquals(Float.floatToRawIntBits(fs[i]), Float.floatToRawIntBits(fv[i]), what + " float32 @" + i);
                        }
                        double[] dv = new double[m * n];
                        double[] ds = new double[m * n];
                        vec.multiply(av, bv, m, n, kk, ta, tb, withBias ? biasv : null, dv);
                        sca.multiply(av, bv, m, n, kk, ta, tb, withBias ? biasv : null, ds);
                        for (int i = 0; i < dv.length; i++) {
                            assertEquals(Double.doubleToRawLongBits(ds[i]), Double.doubleToRawLongBits(dv[i]), what + " float64 @" + i);
                        }
                    }
                }
            }
        }
        assertTrue(VectorSupport.describe().startsWith("Vector API"));
    }
}
