package dev.vae.backend.cuda;

import dev.vae.api.Shapes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The host half of the strided kernels, checked by running the kernels' index arithmetic (the
 * {@code locate} function of vae_kernels.cu, transcribed in {@link #locate}) over the packed
 * layouts and comparing with naive NumPy-style indexing.
 */
class StridedLayoutTest {

    /** Java transcription of the .cu's locate(): offsets of element i in each operand. */
    static long[] locate(int[] packed, long i, int nops) {
        int max = OpCodes.MAX_DIMS;
        int rank = packed[0];
        long[] off = new long[nops];
        for (int d = max - 1; d >= 0; d--) {
            if (d >= max - rank) {
                int s = packed[1 + d];
                long c = i % s;
                i /= s;
                for (int k = 0; k < nops; k++) {
                    off[k] += c * packed[1 + max * (1 + k) + d];
                }
            }
        }
        return off;
    }

    /** Emulates the binary kernel over all chunks: out[linear] = a[off0] + 1000 * b[off1]. */
    static double[] emulateBinary(double[] a, int[] aShape, double[] b, int[] bShape) {
        int[] out = Shapes.broadcast(aShape, bShape);
        StridedLayout l = StridedLayout.of(out, StridedLayout.broadcastStrides(aShape, out),
                StridedLayout.broadcastStrides(bShape, out));
        double[] o = new double[Shapes.sizeInt(out)];
        for (StridedLayout.Chunk c : l.chunks()) {
            for (long i = 0; i < c.count(); i++) {
                long[] off = locate(c.packed(), i, 2);
                o[(int) (c.linearOffset() + i)] = a[(int) (c.offsets()[0] + off[0])] + 1000 * b[(int) (c.offsets()[1] + off[1])];
            }
        }
        return o;
    }

    /** Naive broadcasting reference. */
    static double[] naiveBinary(double[] a, int[] aShape, double[] b, int[] bShape) {
        int[] out = Shapes.broadcast(aShape, bShape);
        int n = Shapes.sizeInt(out);
        double[] o = new double[n];
        int[] idx = new int[out.length];
        for (int i = 0; i < n; i++) {
            int rem = i;
            for (int d = out.length - 1; d >= 0; d--) {
                idx[d] = rem % out[d];
                rem /= out[d];
            }
            o[i] = a[flat(idx, aShape)] + 1000 * b[flat(idx, bShape)];
        }
        return o;
    }

    private static int flat(int[] outIdx, int[] shape) {
        int shift = outIdx.length - shape.length;
        int f = 0;
        for (int d = 0; d < shape.length; d++) {
            int c = shape[d] == 1 ? 0 : outIdx[d + shift];
            f = f * shape[d] + c;
        }
        return f;
    }

    private static double[] iota(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    @Test
    void broadcastingMatchesNaiveIndexing() {
        int[][][] cases = {
                {{2, 3, 4}, {2, 3, 4}},
                {{2, 3, 4}, {4}},
                {{2, 3, 4}, {3, 1}},
                {{2, 1, 4}, {1, 3, 1}},
                {{5}, {}},
                {{}, {}},
                {{1, 1, 7}, {7, 1}},
                {{3, 1, 2, 1, 2}, {1, 4, 1, 5, 1}},
                {{2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, {2, 1, 2, 1, 2, 1, 2, 1, 2, 1}},
                {{2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2}, {3, 1, 3, 1, 3, 1, 3, 1, 3, 1}},
        };
        for (int[][] c : cases) {
            double[] a = iota(Shapes.sizeInt(c[0]));
            double[] b = iota(Shapes.sizeInt(c[1]));
            assertArrayEquals(naiveBinary(a, c[0], b, c[1]), emulateBinary(a, c[0], b, c[1]),
                    Shapes.format(c[0]) + " with " + Shapes.format(c[1]));
        }
    }

    @Test
    void coalescesSameShapeToOneDimension() {
        int[] s = {4, 5, 6};
        int[] st = StridedLayout.contiguousStrides(s);
        StridedLayout l = StridedLayout.of(s, st, st);
        assertArrayEquals(new int[] {120}, l.shape());
        assertArrayEquals(new int[] {1}, l.strides(0));
    }

    @Test
    void rowBroadcastBecomesTwoDimensions() {
        int[] out = {8, 3, 5};
        StridedLayout l = StridedLayout.of(out, StridedLayout.contiguousStrides(out),
                StridedLayout.broadcastStrides(new int[] {5}, out));
        assertArrayEquals(new int[] {24, 5}, l.shape());
        assertArrayEquals(new int[] {0, 1}, l.strides(1));
    }

    @Test
    void scalarSpaceIsOneElement() {
        StridedLayout l = StridedLayout.of(new int[0], new int[0], new int[0]);
        assertEquals(1, l.size());
        List<StridedLayout.Chunk> chunks = l.chunks();
        assertEquals(1, chunks.size());
        assertEquals(1, chunks.get(0).count());
    }

    @Test
    void deepSpacesAreChunked() {
        int[] out = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
        int[] b = {2, 1, 2, 1, 2, 1, 2, 1, 2, 1};
        StridedLayout l = StridedLayout.of(out, StridedLayout.contiguousStrides(out), StridedLayout.broadcastStrides(b, out));
        assertEquals(10, l.rank());
        assertEquals(4, l.chunks().size());
        long total = 0;
        for (StridedLayout.Chunk c : l.chunks()) {
            total += c.count();
        }
        assertEquals(1024, total);
    }

    @Test
    void packedLayoutIsRightAligned() {
        int[] p = StridedLayout.pack(new int[] {3, 4}, new int[][] {{4, 1}, {0, 1}});
        assertEquals(StridedLayout.PACKED_INTS, p.length);
        assertEquals(2, p[0]);
        assertEquals(1, p[1]);
        assertEquals(3, p[1 + 6]);
        assertEquals(4, p[1 + 7]);
        assertEquals(4, p[1 + 8 + 6]);
        assertEquals(1, p[1 + 8 + 7]);
        assertEquals(0, p[1 + 16 + 6]);
        assertEquals(1, p[1 + 16 + 7]);
    }

    /** Permute as CudaKernels does it: operand 0 reads permuted strides, operand 1 writes dense. */
    @Test
    void permuteCopyMatchesTranspose() {
        Random r = new Random(3);
        int[][] shapes = {{2, 3, 4}, {5, 1, 3, 2}, {2, 3, 2, 3, 2, 3, 2, 3, 2, 3}};
        for (int[] shape : shapes) {
            int rank = shape.length;
            int[] axes = new int[rank];
            for (int i = 0; i < rank; i++) {
                axes[i] = i;
            }
            for (int i = rank - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = axes[i];
                axes[i] = axes[j];
                axes[j] = t;
            }
            double[] in = iota(Shapes.sizeInt(shape));
            int[] inStrides = StridedLayout.contiguousStrides(shape);
            int[] outShape = new int[rank];
            int[] src = new int[rank];
            for (int i = 0; i < rank; i++) {
                outShape[i] = shape[axes[i]];
                src[i] = inStrides[axes[i]];
            }
            double[] got = new double[in.length];
            StridedLayout l = StridedLayout.of(outShape, src, StridedLayout.contiguousStrides(outShape));
            for (StridedLayout.Chunk c : l.chunks()) {
                for (long i = 0; i < c.count(); i++) {
                    long[] off = locate(c.packed(), i, 2);
                    got[(int) (c.offsets()[1] + off[1])] = in[(int) (c.offsets()[0] + off[0])];
                }
            }
            double[] want = new double[in.length];
            int[] idx = new int[rank];
            int[] outStrides = StridedLayout.contiguousStrides(outShape);
            for (int i = 0; i < in.length; i++) {
                int rem = i;
                for (int d = rank - 1; d >= 0; d--) {
                    idx[d] = rem % shape[d];
                    rem /= shape[d];
                }
                int o = 0;
                for (int d = 0; d < rank; d++) {
                    o += idx[axes[d]] * outStrides[d];
                }
                want[o] = in[i];
            }
            assertArrayEquals(want, got, "permute " + Shapes.format(shape));
        }
    }

    /** Concat as CudaKernels does it: each part written through the full output's strides. */
    @Test
    void concatCopyMatchesNaive() {
        int[][] parts = {{2, 1, 3}, {2, 4, 3}, {2, 2, 3}};
        int axis = 1;
        int[] outShape = {2, 7, 3};
        int[] outStrides = StridedLayout.contiguousStrides(outShape);
        double[] got = new double[42];
        int at = 0;
        int base = 0;
        for (int[] p : parts) {
            StridedLayout l = StridedLayout.of(p, StridedLayout.contiguousStrides(p), outStrides);
            for (StridedLayout.Chunk c : l.chunks()) {
                for (long i = 0; i < c.count(); i++) {
                    long[] off = locate(c.packed(), i, 2);
                    got[(int) ((long) at * outStrides[axis] + c.offsets()[1] + off[1])] = base + c.offsets()[0] + off[0];
                }
            }
            at += p[axis];
            base += 100;
        }
        double[] want = new double[42];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 7; j++) {
                for (int k = 0; k < 3; k++) {
                    int part = j < 1 ? 0 : j < 5 ? 1 : 2;
                    int jj = j - (part == 0 ? 0 : part == 1 ? 1 : 5);
                    int len = parts[part][1];
                    want[(i * 7 + j) * 3 + k] = part * 100 + (i * len + jj) * 3 + k;
                }
            }
        }
        assertArrayEquals(want, got);
    }
}
