package dev.vae.backend.nd4j;

import java.nio.FloatBuffer;

/**
 * Float32 sums of a dense row-major (M, N) matrix over its rows or its columns as Java passes
 * over the native buffer, in cache-sized chunks: libnd4j's strided reductions cost several times
 * more, and OpenBLAS's {@code gemv} with a vector of ones wakes its threads for every call.
 *
 * <p>Column sums (over rows) accumulate in float32 row by row, a loop the JIT vectorises; row sums
 * (over columns, a full reduction included) accumulate in float64 and are rounded once.
 *
 * <p>An instance holds scratch arrays and is used by one thread at a time (the kernels' contract).
 */
final class HostSum {
    private static final int CHUNK = FusedAdam.CHUNK;

    private final float[] tmp = new float[CHUNK];

    /** Writes the N sums over the M rows of {@code x} to {@code r}. */
    void sumRows(FloatBuffer x, int m, int n, FloatBuffer r) {
        int xp = x.position();
        float[] acc = new float[n];
        for (int i = 0; i < m; i++) {
            int row = xp + i * n;
            for (int c0 = 0; c0 < n; c0 += CHUNK) {
                int len = Math.min(CHUNK, n - c0);
                x.get(row + c0, tmp, 0, len);
                add(acc, c0, tmp, len);
            }
        }
        r.put(r.position(), acc, 0, n);
    }

    private static void add(float[] acc, int off, float[] v, int len) {
        for (int j = 0; j < len; j++) {
            acc[off + j] += v[j];
        }
    }

    /** Writes the M sums over the N columns of each row of {@code x} to {@code r}. */
    void sumColumns(FloatBuffer x, int m, int n, FloatBuffer r) {
        int xp = x.position();
        int rp = r.position();
        for (int i = 0; i < m; i++) {
            int row = xp + i * n;
            double s = 0;
            for (int c0 = 0; c0 < n; c0 += CHUNK) {
                int len = Math.min(CHUNK, n - c0);
                x.get(row + c0, tmp, 0, len);
                s += sum(tmp, len);
            }
            r.put(rp + i, (float) s);
        }
    }

    /** @return the float64 sum of {@code v[0..len)} with four independent accumulators */
    private static double sum(float[] v, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s0 += v[j];
            s1 += v[j + 1];
            s2 += v[j + 2];
            s3 += v[j + 3];
        }
        for (; j < len; j++) {
            s0 += v[j];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
