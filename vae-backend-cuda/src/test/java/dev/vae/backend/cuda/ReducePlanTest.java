package dev.vae.backend.cuda;

import dev.vae.api.Shapes;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reduction planning: (outer, reduced, inner) blocks, permutations and segmentation. */
class ReducePlanTest {

    @Test
    void trailingAxesAreInnerRows() {
        ReducePlan p = ReducePlan.of(new int[] {4, 5, 6}, new int[] {1, 2});
        assertNull(p.permutation());
        assertEquals(4, p.outer());
        assertEquals(30, p.reduced());
        assertEquals(1, p.inner());
    }

    @Test
    void leadingAxisIsAColumnReduction() {
        ReducePlan p = ReducePlan.of(new int[] {100, 7}, new int[] {0});
        assertNull(p.permutation());
        assertEquals(1, p.outer());
        assertEquals(100, p.reduced());
        assertEquals(7, p.inner());
    }

    @Test
    void sizeOneAxesDoNotSplitARun() {
        ReducePlan p = ReducePlan.of(new int[] {3, 1, 4, 5}, new int[] {0, 2});
        assertNull(p.permutation());
        assertEquals(1, p.outer());
        assertEquals(12, p.reduced());
        assertEquals(5, p.inner());
    }

    @Test
    void separatedAxesArePermutedLast() {
        ReducePlan p = ReducePlan.of(new int[] {2, 3, 4}, new int[] {0, 2});
        assertArrayEquals(new int[] {1, 0, 2}, p.permutation());
        assertEquals(3, p.outer());
        assertEquals(8, p.reduced());
        assertEquals(1, p.inner());
    }

    @Test
    void zeroSizeReducedAxis() {
        ReducePlan p = ReducePlan.of(new int[] {3, 0}, new int[] {1});
        assertEquals(0, p.reduced());
        assertEquals(3, p.outer() * p.inner());
    }

    /** Every plan, applied on the host, reduces exactly like a naive sum over the axes. */
    @Test
    void plansReduceLikeNaiveSums() {
        int[][] shapes = {{2, 3, 4}, {3, 1, 4, 5}, {2, 3, 2, 3}, {6}, {1, 1, 3}};
        for (int[] shape : shapes) {
            int rank = shape.length;
            for (int mask = 1; mask < (1 << rank); mask++) {
                int[] axes = axesOf(mask, rank);
                double[] in = new double[Shapes.sizeInt(shape)];
                for (int i = 0; i < in.length; i++) {
                    in[i] = (i * 7919) % 101;
                }
                double[] want = naive(in, shape, axes);
                double[] got = viaPlan(in, shape, axes);
                assertArrayEquals(want, got, Shapes.format(shape) + " over " + Arrays.toString(axes));
            }
        }
    }

    @Test
    void segmentsCoverTheAxis() {
        for (long reduced : new long[] {300, 16385, 100_000, 1_000_003, 50_000_000}) {
            for (long items : new long[] {1, 32, 256, 7 * 32, 100_000}) {
                ReducePlan.Segments s = ReducePlan.segments(items, reduced, 132 * 2048, 256, 64);
                assertTrue((long) s.count() * s.length() >= reduced, "cover " + reduced + "/" + items);
                assertTrue((long) (s.count() - 1) * s.length() < reduced, "no empty segment " + reduced + "/" + items);
                assertTrue(s.count() == 1 || s.length() >= 64);
            }
        }
        assertEquals(1, ReducePlan.segments(1_000_000, 1000, 1000, 256, 64).count());
    }

    private static int[] axesOf(int mask, int rank) {
        return java.util.stream.IntStream.range(0, rank).filter(d -> (mask & (1 << d)) != 0).toArray();
    }

    private static double[] naive(double[] in, int[] shape, int[] axes) {
        int[] out = Shapes.reduced(shape, axes, true);
        double[] o = new double[Shapes.sizeInt(out)];
        int[] idx = new int[shape.length];
        for (int i = 0; i < in.length; i++) {
            int rem = i;
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d] = rem % shape[d];
                rem /= shape[d];
            }
            int f = 0;
            for (int d = 0; d < shape.length; d++) {
                f = f * out[d] + (out[d] == 1 ? 0 : idx[d]);
            }
            o[f] += in[i];
        }
        return o;
    }

    private static double[] viaPlan(double[] in, int[] shape, int[] axes) {
        ReducePlan p = ReducePlan.of(shape, axes);
        double[] src = in;
        if (p.permutation() != null) {
            int[] perm = p.permutation();
            int[] strides = StridedLayout.contiguousStrides(shape);
            int[] outShape = new int[shape.length];
            for (int i = 0; i < perm.length; i++) {
                outShape[i] = shape[perm[i]];
            }
            src = new double[in.length];
            int[] idx = new int[shape.length];
            for (int i = 0; i < in.length; i++) {
                int rem = i;
                for (int d = shape.length - 1; d >= 0; d--) {
                    idx[d] = rem % outShape[d];
                    rem /= outShape[d];
                }
                int f = 0;
                for (int d = 0; d < shape.length; d++) {
                    f += idx[d] * strides[perm[d]];
                }
                src[i] = in[f];
            }
        }
        int o = (int) p.outer();
        int r = (int) p.reduced();
        int n = (int) p.inner();
        double[] out = new double[o * n];
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < r; b++) {
                for (int c = 0; c < n; c++) {
                    out[a * n + c] += src[(a * r + b) * n + c];
                }
            }
        }
        return out;
    }
}
