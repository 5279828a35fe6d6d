package dev.vae.backend.jvm;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.ReduceOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sum and max over every subset of axes, keepDims both ways, both dtypes, against the reference. */
class ReduceTest {
    private static JvmKernels k;

    @BeforeAll
    static void setUp() {
        k = new JvmKernels(2);
    }

    @AfterAll
    static void tearDown() {
        k.close();
    }

    static final int[][] SHAPES = {
        {}, {5}, {1}, {0}, {2, 3}, {2, 3, 4}, {1, 3, 1}, {0, 3}, {3, 0, 2}, {2, 1, 3, 1, 2}, {4, 1, 6}, {3, 5, 2, 4},
    };

    /** @return every sorted subset of {@code [0, rank)}, the empty one included */
    static List<int[]> subsets(int rank) {
        List<int[]> out = new ArrayList<>();
        for (int mask = 0; mask < (1 << rank); mask++) {
            int[] ax = new int[Integer.bitCount(mask)];
            int j = 0;
            for (int d = 0; d < rank; d++) {
                if ((mask & (1 << d)) != 0) {
                    ax[j++] = d;
                }
            }
            out.add(ax);
        }
        return out;
    }

    private static void check(ReduceOp op, DType t, int[] shape, int[] axes, boolean keep, double[] vals) {
        DeviceArray a = Ref.make(k, t, shape, vals);
        DeviceArray r = k.reduce(op, a, axes, keep);
        String what = op + " " + t + " " + Ref.fmt(shape) + " axes " + Ref.fmt(axes) + " keep=" + keep;
        assertArrayEquals(Shapes.reduced(shape, axes, keep), r.shape(), what);
        assertEquals(t, r.dtype());
        double[] in = k.toDoubles(a);
        double[] exp = Ref.reduce(op, in, shape, axes);
        double[] got = k.toDoubles(r);
        if (op == ReduceOp.MAX) {
            Ref.assertClose(exp, got, t, 0, 0, what);
        } else {
            double[] abs = Ref.reduceAbs(in, shape, axes);
            double[] tol = new double[abs.length];
            for (int i = 0; i < tol.length; i++) {
                // float64 summation error, plus (float32) the single final rounding: half an ulp
                tol[i] = 1e-15 * Math.sqrt(Math.max(1, in.length)) * abs[i]
                        + (t == DType.FLOAT32 ? 6e-8 * Math.abs(exp[i]) : 0);
            }
            Ref.assertCloseScaled(exp, got, tol, 1.0, what);
        }
        k.release(a);
        k.release(r);
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void everyAxisSubset(ReduceOp op) {
        long seed = 1;
        for (DType t : DType.values()) {
            for (int[] shape : SHAPES) {
                double[] vals = Ref.values(Ref.size(shape), seed++, false);
                for (int[] axes : subsets(shape.length)) {
                    check(op, t, shape, axes, false, vals);
                    check(op, t, shape, axes, true, vals);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void largeArraysUseChunksAndThreads(ReduceOp op) {
        int[][] shapes = {{70001}, {3, 40001}, {300, 400}, {200, 150, 3}, {2, 20000, 2}};
        long seed = 7;
        for (DType t : DType.values()) {
            for (int[] shape : shapes) {
                double[] vals = Ref.values(Ref.size(shape), seed++, false);
                for (int[] axes : subsets(shape.length)) {
                    if (axes.length > 0) {
                        check(op, t, shape, axes, false, vals);
                    }
                }
            }
        }
    }

    @Test
    void identitiesOfEmptyReductions() {
        for (DType t : DType.values()) {
            DeviceArray a = k.full(new int[] {0, 3}, t, 1.0);
            assertArrayEquals(new double[] {0, 0, 0}, k.toDoubles(k.reduce(ReduceOp.SUM, a, new int[] {0}, false)));
            assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
                    k.toDoubles(k.reduce(ReduceOp.MAX, a, new int[] {0}, true)));
            assertEquals(0, k.reduce(ReduceOp.SUM, a, new int[] {1}, false).shape()[0]);
            assertArrayEquals(new double[] {0.0}, k.toDoubles(k.reduce(ReduceOp.SUM, a, new int[] {0, 1}, false)));
        }
    }

    @Test
    void maxPropagatesNaN() {
        for (DType t : DType.values()) {
            double[] v = {1, 2, Double.NaN, 4, 5, 6, 7, 8, 9, 10, 11, 12};
            DeviceArray a = Ref.make(k, t, new int[] {3, 4}, v);
            double[] r0 = k.toDoubles(k.reduce(ReduceOp.MAX, a, new int[] {0}, false));
            assertEquals(9, r0[0]);
            assertEquals(true, Double.isNaN(r0[2]));
            double[] r1 = k.toDoubles(k.reduce(ReduceOp.MAX, a, new int[] {1}, false));
            assertEquals(true, Double.isNaN(r1[0]));
            assertEquals(8, r1[1]);
            double[] all = k.toDoubles(k.reduce(ReduceOp.MAX, a, new int[] {0, 1}, false));
            assertEquals(true, Double.isNaN(all[0]));
        }
    }

    @Test
    void float32SumAccumulatesInDouble() {
        // 2^24 + many ones: a float accumulator would stall at 2^24
        int n = 50000;
        float[] f = new float[n];
        f[0] = 16777216f;
        for (int i = 1; i < n; i++) {
            f[i] = 1f;
        }
        DeviceArray a = k.fromFloats(f, new int[] {n});
        assertEquals(16777216.0 + (n - 1), k.toDoubles(k.reduce(ReduceOp.SUM, a, new int[] {0}, false))[0], 2.0);
    }
}
