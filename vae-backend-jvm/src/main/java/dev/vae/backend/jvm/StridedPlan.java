package dev.vae.backend.jvm;

/**
 * Iteration plan over a contiguous row-major output whose operands are read with arbitrary
 * (possibly zero, i.e. broadcast) element strides. Output dimensions of size 1 are dropped and
 * adjacent dimensions that are contiguous for every operand are merged, so that the innermost
 * dimension is as long as possible; the plan then visits any range of output positions as runs
 * along that innermost dimension.
 */
final class StridedPlan {
    /** Collapsed output dimensions, at least one. */
    final int[] dims;
    /** {@code strides[k][d]}: element stride of operand {@code k} along collapsed dimension {@code d}. */
    final int[][] strides;
    /** Total number of output elements. */
    final int size;

    /** A run of {@code len} output elements starting at output position {@code outPos}. */
    @FunctionalInterface
    interface RunVisitor {
        /**
         * @param offs operand offsets of the run's first element (do not keep or modify)
         * @param outPos flat output position of the run's first element
         * @param len run length
         */
        void run(int[] offs, int outPos, int len);
    }

    private StridedPlan(int[] dims, int[][] strides, int size) {
        this.dims = dims;
        this.strides = strides;
        this.size = size;
    }

    /** @return the strides of contiguous row-major {@code shape} aligned to {@code outShape}, 0 where broadcast */
    static int[] broadcastStrides(int[] shape, int[] outShape) {
        int r = outShape.length;
        int off = r - shape.length;
        int[] s = new int[r];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[off + i] = shape[i] == 1 ? 0 : acc;
            acc *= shape[i];
        }
        return s;
    }

    /** @return a plan that reads every operand broadcast (NumPy rules) to {@code outShape} */
    static StridedPlan broadcast(int[] outShape, int[]... shapes) {
        int[][] st = new int[shapes.length][];
        for (int k = 0; k < shapes.length; k++) {
            st[k] = broadcastStrides(shapes[k], outShape);
        }
        return of(outShape, st);
    }

    /**
     * @param outShape the output shape
     * @param strides per operand, element strides aligned to {@code outShape}
     * @return the collapsed plan
     */
    static StridedPlan of(int[] outShape, int[][] strides) {
        int ops = strides.length;
        int r = outShape.length;
        int size = 1;
        for (int d : outShape) {
            size *= d;
        }
        int[] dims = new int[Math.max(r, 1)];
        int[][] st = new int[ops][Math.max(r, 1)];
        int n = 0;
        for (int d = 0; d < r; d++) {
            if (outShape[d] == 1) {
                continue;
            }
            boolean merge = n > 0;
            if (merge) {
                for (int k = 0; k < ops; k++) {
                    if (st[k][n - 1] != strides[k][d] * outShape[d]) {
                        merge = false;
                        break;
                    }
                }
            }
            if (merge) {
                dims[n - 1] *= outShape[d];
                for (int k = 0; k < ops; k++) {
                    st[k][n - 1] = strides[k][d];
                }
            } else {
                dims[n] = outShape[d];
                for (int k = 0; k < ops; k++) {
                    st[k][n] = strides[k][d];
                }
                n++;
            }
        }
        if (n == 0) {
            dims[0] = 1;
            n = 1;
        }
        int[] fd = java.util.Arrays.copyOf(dims, n);
        int[][] fs = new int[ops][];
        for (int k = 0; k < ops; k++) {
            fs[k] = java.util.Arrays.copyOf(st[k], n);
        }
        return new StridedPlan(fd, fs, size);
    }

    /** @return the length of the innermost collapsed dimension */
    int inner() {
        return dims[dims.length - 1];
    }

    /** @return operand {@code k}'s stride along the innermost collapsed dimension */
    int innerStride(int k) {
        return strides[k][dims.length - 1];
    }

    /** Visits output positions {@code [start, end)} as runs along the innermost dimension, in order. */
    void forRange(int start, int end, RunVisitor v) {
        if (start >= end) {
            return;
        }
        int r = dims.length;
        int ops = strides.length;
        int[] idx = new int[r];
        int[] offs = new int[ops];
        int rem = start;
        for (int d = r - 1; d >= 0; d--) {
            idx[d] = rem % dims[d];
            rem /= dims[d];
            for (int k = 0; k < ops; k++) {
                offs[k] += idx[d] * strides[k][d];
            }
        }
        int last = r - 1;
        int inner = dims[last];
        int pos = start;
        while (pos < end) {
            int len = Math.min(inner - idx[last], end - pos);
            v.run(offs, pos, len);
            pos += len;
            if (pos >= end) {
                break;
            }
            idx[last] += len;
            for (int k = 0; k < ops; k++) {
                offs[k] += len * strides[k][last];
            }
            int d = last;
            while (d > 0 && idx[d] == dims[d]) {
                for (int k = 0; k < ops; k++) {
                    offs[k] -= dims[d] * strides[k][d];
                }
                idx[d] = 0;
                d--;
                idx[d]++;
                for (int k = 0; k < ops; k++) {
                    offs[k] += strides[k][d];
                }
            }
        }
    }
}
