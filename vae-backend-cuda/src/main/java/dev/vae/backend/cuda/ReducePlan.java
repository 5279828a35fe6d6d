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
}
