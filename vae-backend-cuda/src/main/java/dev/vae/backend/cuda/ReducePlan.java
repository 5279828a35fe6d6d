package dev.vae.backend.cuda;

/**
 * How a reduction over a set of axes maps onto the kernels' {@code (outer, reduced, inner)}
 * blocks: when the reduced axes are adjacent once size-1 axes are ignored, the input is read in
 * place as {@code outer × reduced × inner}; otherwise it is first permuted so that every reduced
 * axis comes last ({@code inner = 1}).
 *
 * @param permutation axes order for the preliminary permute, or null when none is needed
 * @param outer product of the kept axes before the reduced block
 * @param reduced product of the reduced axes
 * @param inner product of the kept axes after the reduced block
 */
record ReducePlan(int[] permutation, long outer, long reduced, long inner) {

    /**
     * @param shape input shape
     * @param axes distinct, sorted, in-range axes to reduce
     * @return the plan
     */
    static ReducePlan of(int[] shape, int[] axes) {
        boolean[] red = new boolean[shape.length];
        for (int a : axes) {
            red[a] = true;
        }
        // runs of reduced axes among the axes of size != 1
        int runs = 0;
        boolean inRun = false;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            if (red[d] && !inRun) {
                runs++;
            }
            inRun = red[d];
        }
        if (runs <= 1) {
            int first = -1;
            int last = -1;
            for (int d = 0; d < shape.length; d++) {
                if (red[d] && shape[d] != 1) {
                    if (first < 0) {
                        first = d;
                    }
                    last = d;
                }
            }
            long outer = 1;
            long reduced = 1;
            long inner = 1;
            for (int d = 0; d < shape.length; d++) {
                if (red[d]) {
                    reduced *= shape[d];
                } else if (first >= 0 && d > last) {
                    inner *= shape[d];
                } else if (first < 0) {
                    outer *= shape[d];
                } else if (d < first) {
                    outer *= shape[d];
                } else {
                    inner *= shape[d];
                }
            }
            return new ReducePlan(null, outer, reduced, inner);
        }
        int[] perm = new int[shape.length];
        int j = 0;
        long outer = 1;
        long reduced = 1;
        for (int d = 0; d < shape.length; d++) {
            if (!red[d]) {
                perm[j++] = d;
                outer *= shape[d];
            }
        }
        for (int d = 0; d < shape.length; d++) {
            if (red[d]) {
                perm[j++] = d;
                reduced *= shape[d];
            }
        }
        return new ReducePlan(perm, outer, reduced, 1);
    }

    /**
     * How a reduced axis is cut into segments, each reduced by one work item of a first pass whose
     * partial results a second pass reduces.
     *
     * @param count number of segments (1: a single pass)
     * @param length elements per segment (the last may be shorter); {@code count * length >= reduced}
     */
    record Segments(int count, int length) {
    }

    /**
     * Splits the reduced axis when {@code items} work items (threads) would leave a device that
     * wants {@code target} of them idle and the axis is longer than {@code minReduced}; segments
     * are at least {@code minLength} long.
     */
    static Segments segments(long items, long reduced, long target, long minReduced, long minLength) {
        if (items >= target || reduced <= minReduced) {
            return new Segments(1, (int) reduced);
        }
        long count = Math.min((target + items - 1) / items, reduced / minLength);
        count = Math.max(1, count);
        long length = (reduced + count - 1) / count;
        count = (reduced + length - 1) / length;
        return new Segments((int) count, (int) length);
    }
}
