package dev.vae.backend.jvm;

import dev.vae.api.spi.ReduceOp;

import java.util.Arrays;

/**
 * Sum and max reductions over any set of axes of a contiguous row-major array.
 *
 * <h2>Plan</h2>
 * Size-1 dimensions are dropped and adjacent dimensions that are both reduced or both kept are
 * merged, leaving alternating groups. If the innermost group is reduced (say of length L), each
 * output element combines contiguous runs of L elements, one per combination of the other reduced
 * groups (visited in row-major order). If the innermost group is kept, blocks of consecutive
 * outputs are accumulated together, element by element, over the reduced combinations in
 * row-major order.
 *
 * <h2>Determinism</h2>
 * The order of operations for every output element depends only on the shapes, never on the
 * thread count: work is split over output elements, and a contiguous run longer than
 * {@link #RUN_CHUNK} is summed as fixed chunks of that length (each with eight interleaved
 * accumulators) whose partial sums are then added in order. float32 sums accumulate in float64
 * and round once. Max propagates NaN ({@link Math#max}); the max of nothing is -infinity and
 * the sum of nothing is 0.
 */
final class Reductions {
    /** Length of the fixed chunks a long contiguous run is summed in. */
    static final int RUN_CHUNK = 1 << 14;
    /** Width of the output blocks accumulated together when the innermost axis is kept. */
    private static final int COL_BLOCK = 1024;
    /** Elements of work below which a reduction runs on the calling thread. */
    private static final int PARALLEL_WORK = 1 << 16;

    private Reductions() {
    }

    /** The collapsed reduction plan. */
    private static final class Plan {
        int outSize;
        boolean lastReduced;
        /** Innermost group length (stride 1). */
        int inner;
        /** Kept groups other than the innermost: sizes and input strides, outer to inner. */
        int[] keptDims;
        int[] keptStrides;
        /** Reduced groups other than the innermost: sizes and input strides, outer to inner. */
        int[] redDims;
        int[] redStrides;
        /** Product of {@link #redDims}. */
        int combos;
        /** Product of {@link #keptDims}. */
        int keptCount;
    }

    private static Plan plan(int[] shape, int[] axes) {
        boolean[] red = new boolean[shape.length];
        for (int a : axes) {
            red[a] = true;
        }
        int r = shape.length;
        int[] gSize = new int[r];
        boolean[] gRed = new boolean[r];
        int g = 0;
        for (int d = 0; d < r; d++) {
            if (shape[d] == 1) {
                continue;
            }
            if (g > 0 && gRed[g - 1] == red[d]) {
                gSize[g - 1] *= shape[d];
            } else {
                gSize[g] = shape[d];
                gRed[g] = red[d];
                g++;
            }
        }
        Plan p = new Plan();
        if (g == 0) {
            // every dimension has size 1: a single element, reduced or not
            p.inner = 1;
            p.lastReduced = false;
            p.keptDims = new int[0];
            p.keptStrides = new int[0];
            p.redDims = new int[0];
            p.redStrides = new int[0];
            p.combos = 1;
            p.keptCount = 1;
            p.outSize = 1;
            return p;
        }
        int[] gStride = new int[g];
        int acc = 1;
        for (int i = g - 1; i >= 0; i--) {
            gStride[i] = acc;
            acc *= gSize[i];
        }
        p.lastReduced = gRed[g - 1];
        p.inner = gSize[g - 1];
        int nk = 0;
        int nr = 0;
        for (int i = 0; i < g - 1; i++) {
            if (gRed[i]) {
                nr++;
            } else {
                nk++;
            }
        }
        p.keptDims = new int[nk];
        p.keptStrides = new int[nk];
        p.redDims = new int[nr];
        p.redStrides = new int[nr];
        nk = 0;
        nr = 0;
        for (int i = 0; i < g - 1; i++) {
            if (gRed[i]) {
                p.redDims[nr] = gSize[i];
                p.redStrides[nr++] = gStride[i];
            } else {
                p.keptDims[nk] = gSize[i];
                p.keptStrides[nk++] = gStride[i];
            }
        }
        p.combos = 1;
        for (int d : p.redDims) {
            p.combos *= d;
        }
        p.keptCount = 1;
        for (int d : p.keptDims) {
            p.keptCount *= d;
        }
        p.outSize = p.keptCount * (p.lastReduced ? 1 : p.inner);
        return p;
    }

    /** @return the input offset of kept index {@code ko} (row-major over the plan's kept groups) */
    private static int keptBase(Plan p, int ko) {
        int base = 0;
        for (int d = p.keptDims.length - 1; d >= 0; d--) {
            base += (ko % p.keptDims[d]) * p.keptStrides[d];
            ko /= p.keptDims[d];
        }
        return base;
    }

    /**
     * {@code acc[j] += a[off + j]} (widened to float64) for {@code j < n}: one exact float64
     * addition per element, vectorised on the Vector API when it is available (C2 does not
     * vectorise the plain loop: its arrays have different offsets).
     */
    private static void addTo(double[] acc, float[] a, int off, int n) {
        if (VectorSupport.AVAILABLE) {
            VectorLoops.addTo(acc, a, off, n);
            return;
        }
        for (int j = 0; j < n; j++) {
            acc[j] += a[off + j];
        }
    }

    /** float64 twin of {@link #addTo(double[], float[], int, int)}. */
    private static void addTo(double[] acc, double[] a, int off, int n) {
        if (VectorSupport.AVAILABLE) {
            VectorLoops.addTo(acc, a, off, n);
            return;
        }
        for (int j = 0; j < n; j++) {
            acc[j] += a[off + j];
        }
    }

    /** @return the input offset of reduced combination {@code c} (row-major over the reduced groups) */
    private static int comboOffset(Plan p, int c) {
        int off = 0;
        for (int d = p.redDims.length - 1; d >= 0; d--) {
            off += (c % p.redDims[d]) * p.redStrides[d];
            c /= p.redDims[d];
        }
        return off;
    }

    /**
     * Reduces float32 {@code a} (shape {@code shape}) over {@code axes} into {@code out}, whose
     * length is the number of kept elements.
     */
    static void reduce(Parallel par, ReduceOp op, float[] a, int[] shape, int[] axes, float[] out) {
        if (out.length == 0) {
            return;
        }
        if (a.length == 0) {
            Arrays.fill(out, op == ReduceOp.SUM ? 0f : Float.NEGATIVE_INFINITY);
            return;
        }
        Plan p = plan(shape, axes);
        boolean sum = op == ReduceOp.SUM;
        if (p.combos == 1 && !p.lastReduced) {
            System.arraycopy(a, 0, out, 0, out.length);
            return;
        }
        if (p.lastReduced) {
            int L = p.inner;
            if (L > RUN_CHUNK) {
                int chunks = (L + RUN_CHUNK - 1) / RUN_CHUNK;
                int per = p.combos * chunks;
                double[] partial = new double[p.outSize * per];
                int tasks = partial.length;
                par.run(a.length <= PARALLEL_WORK ? 1 : tasks, (t, w) -> {
                    int from = a.length <= PARALLEL_WORK ? 0 : t;
                    int to = a.length <= PARALLEL_WORK ? tasks : t + 1;
                    for (int q = from; q < to; q++) {
                        int o = q / per;
                        int c = (q % per) / chunks;
                        int ch = q % chunks;
                        int off = keptBase(p, o) + comboOffset(p, c) + ch * RUN_CHUNK;
                        int len = Math.min(RUN_CHUNK, L - ch * RUN_CHUNK);
                        partial[q] = sum ? sumRun(a, off, len) : maxRun(a, off, len);
                    }
                });
                for (int o = 0; o < p.outSize; o++) {
                    double acc = sum ? 0.0 : Double.NEGATIVE_INFINITY;
                    for (int q = o * per; q < (o + 1) * per; q++) {
                        acc = sum ? acc + partial[q] : Math.max(acc, partial[q]);
                    }
                    out[o] = (float) acc;
                }
                return;
            }
            int grain = Math.max(1, PARALLEL_WORK / Math.max(1, L * p.combos));
            par.forRange(p.outSize, grain, (s, e) -> {
                for (int o = s; o < e; o++) {
                    int base = keptBase(p, o);
                    double acc = sum ? 0.0 : Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < p.combos; c++) {
                        int off = base + comboOffset(p, c);
                        acc = sum ? acc + sumRun(a, off, L) : Math.max(acc, maxRun(a, off, L));
                    }
                    out[o] = (float) acc;
                }
            });
            return;
        }
        // innermost group kept: accumulate blocks of consecutive outputs together
        int L = p.inner;
        int blocks = (L + COL_BLOCK - 1) / COL_BLOCK;
        int tasks = p.keptCount * blocks;
        boolean serial = (long) a.length <= PARALLEL_WORK;
        double[][] scratch = new double[par.threads()][];
        par.run(serial ? 1 : tasks, (t, w) -> {
            double[] acc = scratch[w];
            if (acc == null) {
                acc = new double[COL_BLOCK];
                scratch[w] = acc;
            }
            int from = serial ? 0 : t;
            int to = serial ? tasks : t + 1;
            int[] idx = new int[p.redDims.length];
            for (int q = from; q < to; q++) {
                int ko = q / blocks;
                int j0 = (q % blocks) * COL_BLOCK;
                int n = Math.min(COL_BLOCK, L - j0);
                int base = keptBase(p, ko) + j0;
                Arrays.fill(acc, 0, n, sum ? 0.0 : Double.NEGATIVE_INFINITY);
                Arrays.fill(idx, 0);
                int off = base;
                for (int c = 0; c < p.combos; c++) {
                    if (sum) {
                        addTo(acc, a, off, n);
                    } else {
                        for (int j = 0; j < n; j++) {
                            acc[j] = Math.max(acc[j], a[off + j]);
                        }
                    }
                    off = advance(p, idx, off);
                }
                int ob = ko * L + j0;
                for (int j = 0; j < n; j++) {
                    out[ob + j] = (float) acc[j];
                }
            }
        });
    }

    /** The float64 twin of {@link #reduce(Parallel, ReduceOp, float[], int[], int[], float[])}. */
    static void reduce(Parallel par, ReduceOp op, double[] a, int[] shape, int[] axes, double[] out) {
        if (out.length == 0) {
            return;
        }
        if (a.length == 0) {
            Arrays.fill(out, op == ReduceOp.SUM ? 0.0 : Double.NEGATIVE_INFINITY);
            return;
        }
        Plan p = plan(shape, axes);
        boolean sum = op == ReduceOp.SUM;
        if (p.combos == 1 && !p.lastReduced) {
            System.arraycopy(a, 0, out, 0, out.length);
            return;
        }
        if (p.lastReduced) {
            int L = p.inner;
            if (L > RUN_CHUNK) {
                int chunks = (L + RUN_CHUNK - 1) / RUN_CHUNK;
                int per = p.combos * chunks;
                double[] partial = new double[p.outSize * per];
                int tasks = partial.length;
                par.run(a.length <= PARALLEL_WORK ? 1 : tasks, (t, w) -> {
                    int from = a.length <= PARALLEL_WORK ? 0 : t;
                    int to = a.length <= PARALLEL_WORK ? tasks : t + 1;
                    for (int q = from; q < to; q++) {
                        int o = q / per;
                        int c = (q % per) / chunks;
                        int ch = q % chunks;
                        int off = keptBase(p, o) + comboOffset(p, c) + ch * RUN_CHUNK;
                        int len = Math.min(RUN_CHUNK, L - ch * RUN_CHUNK);
                        partial[q] = sum ? sumRun(a, off, len) : maxRun(a, off, len);
                    }
                });
                for (int o = 0; o < p.outSize; o++) {
                    double acc = sum ? 0.0 : Double.NEGATIVE_INFINITY;
                    for (int q = o * per; q < (o + 1) * per; q++) {
                        acc = sum ? acc + partial[q] : Math.max(acc, partial[q]);
                    }
                    out[o] = acc;
                }
                return;
            }
            int grain = Math.max(1, PARALLEL_WORK / Math.max(1, L * p.combos));
            par.forRange(p.outSize, grain, (s, e) -> {
                for (int o = s; o < e; o++) {
                    int base = keptBase(p, o);
                    double acc = sum ? 0.0 : Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < p.combos; c++) {
                        int off = base + comboOffset(p, c);
                        acc = sum ? acc + sumRun(a, off, L) : Math.max(acc, maxRun(a, off, L));
                    }
                    out[o] = acc;
                }
            });
            return;
        }
        int L = p.inner;
        int blocks = (L + COL_BLOCK - 1) / COL_BLOCK;
        int tasks = p.keptCount * blocks;
        boolean serial = (long) a.length <= PARALLEL_WORK;
        double[][] scratch = new double[par.threads()][];
        par.run(serial ? 1 : tasks, (t, w) -> {
            double[] acc = scratch[w];
            if (acc == null) {
                acc = new double[COL_BLOCK];
                scratch[w] = acc;
            }
            int from = serial ? 0 : t;
            int to = serial ? tasks : t + 1;
            int[] idx = new int[p.redDims.length];
            for (int q = from; q < to; q++) {
                int ko = q / blocks;
                int j0 = (q % blocks) * COL_BLOCK;
                int n = Math.min(COL_BLOCK, L - j0);
                int base = keptBase(p, ko) + j0;
                Arrays.fill(acc, 0, n, sum ? 0.0 : Double.NEGATIVE_INFINITY);
                Arrays.fill(idx, 0);
                int off = base;
                for (int c = 0; c < p.combos; c++) {
                    if (sum) {
                        addTo(acc, a, off, n);
                    } else {
                        for (int j = 0; j < n; j++) {
                            acc[j] = Math.max(acc[j], a[off + j]);
                        }
                    }
                    off = advance(p, idx, off);
                }
                System.arraycopy(acc, 0, out, ko * L + j0, n);
            }
        });
    }

    /** Advances the reduced-combination odometer {@code idx} and returns the new offset. */
    private static int advance(Plan p, int[] idx, int off) {
        for (int d = p.redDims.length - 1; d >= 0; d--) {
            idx[d]++;
            off += p.redStrides[d];
            if (idx[d] < p.redDims[d]) {
                return off;
            }
            off -= p.redDims[d] * p.redStrides[d];
            idx[d] = 0;
        }
        return off;
    }

    /** @return the sum of {@code a[off, off+len)} in float64, with eight interleaved accumulators */
    static double sumRun(float[] a, int off, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        int i = off;
        int end = off + len;
        for (; i + 7 < end; i += 8) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
            s4 += a[i + 4];
            s5 += a[i + 5];
            s6 += a[i + 6];
            s7 += a[i + 7];
        }
        double s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        for (; i < end; i++) {
            s += a[i];
        }
        return s;
    }

    /** @return the sum of {@code a[off, off+len)}, with eight interleaved accumulators */
    static double sumRun(double[] a, int off, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        int i = off;
        int end = off + len;
        for (; i + 7 < end; i += 8) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
            s4 += a[i + 4];
            s5 += a[i + 5];
            s6 += a[i + 6];
            s7 += a[i + 7];
        }
        double s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        for (; i < end; i++) {
            s += a[i];
        }
        return s;
    }

    /** @return the max of {@code a[off, off+len)} (NaN if any is NaN, -inf if empty) */
    static double maxRun(float[] a, int off, int len) {
        float m0 = Float.NEGATIVE_INFINITY;
        float m1 = Float.NEGATIVE_INFINITY;
        float m2 = Float.NEGATIVE_INFINITY;
        float m3 = Float.NEGATIVE_INFINITY;
        int i = off;
        int end = off + len;
        for (; i + 3 < end; i += 4) {
            m0 = Math.max(m0, a[i]);
            m1 = Math.max(m1, a[i + 1]);
            m2 = Math.max(m2, a[i + 2]);
            m3 = Math.max(m3, a[i + 3]);
        }
        float m = Math.max(Math.max(m0, m1), Math.max(m2, m3));
        for (; i < end; i++) {
            m = Math.max(m, a[i]);
        }
        return m;
    }

    /** @return the max of {@code a[off, off+len)} (NaN if any is NaN, -inf if empty) */
    static double maxRun(double[] a, int off, int len) {
        double m0 = Double.NEGATIVE_INFINITY;
        double m1 = Double.NEGATIVE_INFINITY;
        double m2 = Double.NEGATIVE_INFINITY;
        double m3 = Double.NEGATIVE_INFINITY;
        int i = off;
        int end = off + len;
        for (; i + 3 < end; i += 4) {
            m0 = Math.max(m0, a[i]);
            m1 = Math.max(m1, a[i + 1]);
            m2 = Math.max(m2, a[i + 2]);
            m3 = Math.max(m3, a[i + 3]);
        }
        double m = Math.max(Math.max(m0, m1), Math.max(m2, m3));
        for (; i < end; i++) {
            m = Math.max(m, a[i]);
        }
        return m;
    }
}
