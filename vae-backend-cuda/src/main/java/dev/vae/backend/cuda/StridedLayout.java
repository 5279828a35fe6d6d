package dev.vae.backend.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An iteration space (a shape) and, per operand, the element stride of each dimension: the
 * host-side half of the kernels' {@code Layout} struct. {@link #of} coalesces the space first,
 * dropping size-1 dimensions and merging neighbours that every operand walks contiguously, so a
 * same-shape operation becomes one flat dimension and a row broadcast two. Spaces still deeper
 * than {@link OpCodes#MAX_DIMS} are cut into {@link #chunks() chunks} over their leading
 * dimensions, each one kernel launch.
 */
final class StridedLayout {
    /** Ints in a packed layout: rank, shape[MAX_DIMS], stride[MAX_OPERANDS][MAX_DIMS]. */
    static final int PACKED_INTS = 1 + OpCodes.MAX_DIMS * (1 + OpCodes.MAX_OPERANDS);

    private final int[] shape;
    private final int[][] strides;

    private StridedLayout(int[] shape, int[][] strides) {
        this.shape = shape;
        this.strides = strides;
    }

    /**
     * @param shape the iteration space
     * @param strides one stride vector per operand, each as long as {@code shape}
     * @return the coalesced layout
     */
    static StridedLayout of(int[] shape, int[]... strides) {
        if (strides.length > OpCodes.MAX_OPERANDS) {
            throw new IllegalArgumentException("at most " + OpCodes.MAX_OPERANDS + " operands, got " + strides.length);
        }
        for (int[] s : strides) {
            if (s.length != shape.length) {
                throw new IllegalArgumentException("stride vector " + Arrays.toString(s) + " does not match shape "
                        + Arrays.toString(shape));
            }
        }
        int k = strides.length;
        List<Integer> dims = new ArrayList<>();
        List<int[]> st = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            int[] col = new int[k];
            for (int o = 0; o < k; o++) {
                col[o] = strides[o][d];
            }
            if (!dims.isEmpty()) {
                int last = dims.size() - 1;
                int[] prev = st.get(last);
                boolean mergeable = shape[d] != 0 && dims.get(last) != 0;
                for (int o = 0; o < k && mergeable; o++) {
                    mergeable = (long) prev[o] == (long) col[o] * shape[d];
                }
                if (mergeable) {
                    dims.set(last, dims.get(last) * shape[d]);
                    st.set(last, col);
                    continue;
                }
            }
            dims.add(shape[d]);
            st.add(col);
        }
        if (dims.isEmpty()) {
            dims.add(1);
            st.add(new int[k]);
        }
        int r = dims.size();
        int[] outShape = new int[r];
        int[][] outStrides = new int[k][r];
        for (int d = 0; d < r; d++) {
            outShape[d] = dims.get(d);
            for (int o = 0; o < k; o++) {
                outStrides[o][d] = st.get(d)[o];
            }
        }
        return new StridedLayout(outShape, outStrides);
    }

    /**
     * Strides that read an array of {@code inShape} (dense, row-major) as if broadcast to
     * {@code outShape}, NumPy style: dimensions aligned on the right, 0 where {@code inShape} has
     * size 1 or no dimension.
     */
    static int[] broadcastStrides(int[] inShape, int[] outShape) {
        int[] dense = contiguousStrides(inShape);
        int[] out = new int[outShape.length];
        int shift = outShape.length - inShape.length;
        for (int d = 0; d < outShape.length; d++) {
            int i = d - shift;
            out[d] = (i < 0 || inShape[i] == 1) ? 0 : dense[i];
        }
        return out;
    }

    /** @return row-major element strides of a dense array of {@code shape} */
    static int[] contiguousStrides(int[] shape) {
        int[] s = new int[shape.length];
        long acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = (int) acc;
            acc *= Math.max(shape[d], 1);
        }
        return s;
    }

    /** @return the coalesced rank */
    int rank() {
        return shape.length;
    }

    /** @return the coalesced shape (not a copy) */
    int[] shape() {
        return shape;
    }

    /** @return the coalesced strides of operand {@code o} (not a copy) */
    int[] strides(int o) {
        return strides[o];
    }

    /** @return the number of elements of the iteration space */
    long size() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * One kernel launch over part of the space.
     *
     * @param offsets element offset of the chunk's first element in each operand
     * @param linearOffset index of the chunk's first element in row-major order of the space (where
     *                     a dense output is written)
     * @param count elements in the chunk
     * @param packed the {@link #PACKED_INTS} ints of the kernel's {@code Layout} argument
     */
    record Chunk(long[] offsets, long linearOffset, long count, int[] packed) {
    }

    /**
     * @return the launches that cover the space: one when the rank fits {@link OpCodes#MAX_DIMS},
     *         otherwise one per index of the leading dimensions beyond it
     */
    List<Chunk> chunks() {
        int r = shape.length;
        int k = strides.length;
        int inner = Math.min(r, OpCodes.MAX_DIMS);
        int outer = r - inner;
        int[] innerShape = Arrays.copyOfRange(shape, outer, r);
        int[][] innerStrides = new int[k][];
        for (int o = 0; o < k; o++) {
            innerStrides[o] = Arrays.copyOfRange(strides[o], outer, r);
        }
        int[] packed = pack(innerShape, innerStrides);
        long innerCount = 1;
        for (int d : innerShape) {
            innerCount *= d;
        }
        List<Chunk> out = new ArrayList<>();
        if (outer == 0) {
            out.add(new Chunk(new long[k], 0, innerCount, packed));
            return out;
        }
        long outerCount = 1;
        for (int d = 0; d < outer; d++) {
            outerCount *= shape[d];
        }
        int[] idx = new int[outer];
        for (long c = 0; c < outerCount; c++) {
            long[] offsets = new long[k];
            for (int o = 0; o < k; o++) {
                long off = 0;
                for (int d = 0; d < outer; d++) {
                    off += (long) idx[d] * strides[o][d];
                }
                offsets[o] = off;
            }
            out.add(new Chunk(offsets, c * innerCount, innerCount, packed));
            for (int d = outer - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return out;
    }

    /** Packs a space of at most MAX_DIMS dimensions right-aligned, as the kernels read it. */
    static int[] pack(int[] shape, int[][] strides) {
        int r = shape.length;
        if (r > OpCodes.MAX_DIMS) {
            throw new IllegalArgumentException("rank " + r + " exceeds " + OpCodes.MAX_DIMS);
        }
        int[] p = new int[PACKED_INTS];
        p[0] = r;
        int base = OpCodes.MAX_DIMS - r;
        for (int d = 0; d < OpCodes.MAX_DIMS; d++) {
            p[1 + d] = d < base ? 1 : shape[d - base];
        }
        for (int o = 0; o < strides.length; o++) {
            for (int d = base; d < OpCodes.MAX_DIMS; d++) {
                p[1 + OpCodes.MAX_DIMS * (1 + o) + d] = strides[o][d - base];
            }
        }
        return p;
    }
}
