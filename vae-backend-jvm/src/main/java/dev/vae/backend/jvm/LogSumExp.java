package dev.vae.backend.jvm;

import java.util.Arrays;

/**
 * The fused log-sum-exp along one axis of a row-major array viewed as (outer, len, inner).
 *
 * <p>Per slice it computes what {@link dev.vae.api.spi.Compositions#logSumExp} computes, with the
 * same roundings: {@code m = max}; {@code mSafe = |m| < inf ? m : 0}; {@code e = exp(a - mSafe)}
 * (each rounded to the array type); {@code s} = the sum of {@code e} in exactly the order
 * {@link Reductions} uses for that shape (a contiguous slice in chunks of
 * {@link Reductions#RUN_CHUNK} with interleaved accumulators, a strided slice sequentially, both
 * in float64); result {@code log(s) + mSafe}. It is therefore bit-identical to the composition on
 * this backend, without the nine intermediate arrays.
 */
final class LogSumExp {
    /** Slices of a strided (inner > 1) reduction processed together. */
    private static final int COL_BLOCK = 1024;
    private static final int PARALLEL_WORK = 1 << 15;

    private LogSumExp() {
    }

    /** float32 log-sum-exp into {@code out} (outer * inner elements). */
    static void run(Parallel par, float[] a, int outer, int len, int inner, float[] out) {
        if (inner == 1 || len <= 1) {
            int grain = Math.max(1, PARALLEL_WORK / Math.max(1, len * inner));
            int slices = outer * inner;
            par.forRange(slices, grain, (s, e) -> {
                float[] tmp = new float[Math.min(Math.max(len, 1), Reductions.RUN_CHUNK)];
                double[] ex = new double[tmp.length];
                for (int q = s; q < e; q++) {
                    // with len <= 1 the slice is a single element (or none); inner may exceed 1
                    int o = q / inner;
                    int i = q % inner;
                    int base = o * len * inner + i;
                    out[q] = inner == 1 ? contiguous(a, base, len, tmp, ex) : single(a, base, len);
                }
            });
            return;
        }
        int blocks = (inner + COL_BLOCK - 1) / COL_BLOCK;
        int tasks = outer * blocks;
        boolean serial = (long) outer * len * inner <= PARALLEL_WORK;
        par.run(serial ? 1 : tasks, (t, w) -> {
            float[] mx = new float[Math.min(inner, COL_BLOCK)];
            double[] acc = new double[mx.length];
            double[] ex = new double[mx.length];
            int from = serial ? 0 : t;
            int to = serial ? tasks : t + 1;
            for (int q = from; q < to; q++) {
                int o = q / blocks;
                int j0 = (q % blocks) * COL_BLOCK;
                int n = Math.min(COL_BLOCK, inner - j0);
                int base = o * len * inner + j0;
                Arrays.fill(mx, 0, n, Float.NEGATIVE_INFINITY);
                for (int l = 0; l < len; l++) {
                    int off = base + l * inner;
                    for (int j = 0; j < n; j++) {
                        mx[j] = Math.max(mx[j], a[off + j]);
                    }
                }
                for (int j = 0; j < n; j++) {
                    mx[j] = Math.abs(mx[j]) < Float.POSITIVE_INFINITY ? mx[j] : 0f;
                }
                Arrays.fill(acc, 0, n, 0.0);
                for (int l = 0; l < len; l++) {
                    int off = base + l * inner;
                    for (int j = 0; j < n; j++) {
                        ex[j] = a[off + j] - mx[j];
                    }
                    for (int j = 0; j < n; j++) {
                        ex[j] = Math.exp(ex[j]);
                    }
                    for (int j = 0; j < n; j++) {
                        acc[j] += (float) ex[j];
                    }
                }
                int ob = o * inner + j0;
                for (int j = 0; j < n; j++) {
                    out[ob + j] = (float) Math.log((float) acc[j]) + mx[j];
                }
            }
        });
    }

    private static float contiguous(float[] a, int base, int len, float[] tmp, double[] ex) {
        float m = (float) Reductions.maxRun(a, base, len);
        float ms = Math.abs(m) < Float.POSITIVE_INFINITY ? m : 0f;
        double acc = 0.0;
        for (int c0 = 0; c0 < len; c0 += Reductions.RUN_CHUNK) {
            int n = Math.min(Reductions.RUN_CHUNK, len - c0);
            int off = base + c0;
            // float subtraction, then exp in float64 through a buffer (see FloatLoops), then round
            for (int l = 0; l < n; l++) {
                ex[l] = a[off + l] - ms;
            }
            for (int l = 0; l < n; l++) {
                ex[l] = Math.exp(ex[l]);
            }
            for (int l = 0; l < n; l++) {
                tmp[l] = (float) ex[l];
            }
            acc += Reductions.sumRun(tmp, 0, n);
        }
        return (float) Math.log((float) acc) + ms;
    }

    private static float single(float[] a, int base, int len) {
        if (len == 0) {
            return Float.NEGATIVE_INFINITY;
        }
        float m = a[base];
        float ms = Math.abs(m) < Float.POSITIVE_INFINITY ? m : 0f;
        float e = (float) Math.exp(a[base] - ms);
        return (float) Math.log(e) + ms;
    }

    /** float64 log-sum-exp into {@code out} (outer * inner elements). */
    static void run(Parallel par, double[] a, int outer, int len, int inner, double[] out) {
        if (inner == 1 || len <= 1) {
            int grain = Math.max(1, PARALLEL_WORK / Math.max(1, len * inner));
            int slices = outer * inner;
            par.forRange(slices, grain, (s, e) -> {
                double[] tmp = new double[Math.min(Math.max(len, 1), Reductions.RUN_CHUNK)];
                for (int q = s; q < e; q++) {
                    int o = q / inner;
                    int i = q % inner;
                    int base = o * len * inner + i;
                    out[q] = inner == 1 ? contiguous(a, base, len, tmp) : single(a, base, len);
                }
            });
            return;
        }
        int blocks = (inner + COL_BLOCK - 1) / COL_BLOCK;
        int tasks = outer * blocks;
        boolean serial = (long) outer * len * inner <= PARALLEL_WORK;
        par.run(serial ? 1 : tasks, (t, w) -> {
            double[] mx = new double[Math.min(inner, COL_BLOCK)];
            double[] acc = new double[mx.length];
            int from = serial ? 0 : t;
            int to = serial ? tasks : t + 1;
            for (int q = from; q < to; q++) {
                int o = q / blocks;
                int j0 = (q % blocks) * COL_BLOCK;
                int n = Math.min(COL_BLOCK, inner - j0);
                int base = o * len * inner + j0;
                Arrays.fill(mx, 0, n, Double.NEGATIVE_INFINITY);
                for (int l = 0; l < len; l++) {
                    int off = base + l * inner;
                    for (int j = 0; j < n; j++) {
                        mx[j] = Math.max(mx[j], a[off + j]);
                    }
                }
                for (int j = 0; j < n; j++) {
                    mx[j] = Math.abs(mx[j]) < Double.POSITIVE_INFINITY ? mx[j] : 0.0;
                }
                Arrays.fill(acc, 0, n, 0.0);
                for (int l = 0; l < len; l++) {
                    int off = base + l * inner;
                    for (int j = 0; j < n; j++) {
                        acc[j] += Math.exp(a[off + j] - mx[j]);
                    }
                }
                int ob = o * inner + j0;
                for (int j = 0; j < n; j++) {
                    out[ob + j] = Math.log(acc[j]) + mx[j];
                }
            }
        });
    }

    private static double contiguous(double[] a, int base, int len, double[] tmp) {
        double m = Reductions.maxRun(a, base, len);
        double ms = Math.abs(m) < Double.POSITIVE_INFINITY ? m : 0.0;
        double acc = 0.0;
        for (int c0 = 0; c0 < len; c0 += Reductions.RUN_CHUNK) {
            int n = Math.min(Reductions.RUN_CHUNK, len - c0);
            int off = base + c0;
            for (int l = 0; l < n; l++) {
                tmp[l] = Math.exp(a[off + l] - ms);
            }
            acc += Reductions.sumRun(tmp, 0, n);
        }
        return Math.log(acc) + ms;
    }

    private static double single(double[] a, int base, int len) {
        if (len == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        double m = a[base];
        double ms = Math.abs(m) < Double.POSITIVE_INFINITY ? m : 0.0;
        return Math.log(Math.exp(a[base] - ms)) + ms;
    }
}
