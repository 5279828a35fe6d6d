package dev.vae.cli.bench;

import dev.vae.api.random.Rng;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;

/**
 * Measures a backend's practical compute ceiling: the float32 throughput of one large square
 * matrix product ({@code n × n} by {@code n × n}, 2048 by default), the best of a few
 * repetitions after one warm-up, each waited for (see {@link AsyncBackends#sync}).
 */
public final class MatmulCeiling {
    /** The default matrix size. */
    public static final int DEFAULT_SIZE = 2048;

    private MatmulCeiling() {
    }

    /**
     * @param kernels     the backend
     * @param n           the matrix size
     * @param repetitions timed products (at least 1), after one untimed warm-up
     * @return GFLOP/s of the fastest repetition, counting {@code 2 n³} operations per product
     */
    public static double measure(Kernels kernels, int n, int repetitions) {
        if (n < 1 || repetitions < 1) {
            throw new IllegalArgumentException("matmul ceiling needs a positive size and repetitions, got " + n + " and " + repetitions);
        }
        int[] shape = {n, n};
        Rng rng = new Rng(20_48);
        DeviceArray a = kernels.fromFloats(rng.uniformFloats(n * n), shape);
        DeviceArray b = null;
        try {
            b = kernels.fromFloats(rng.uniformFloats(n * n), shape);
            long best = Long.MAX_VALUE;
            for (int r = 0; r <= repetitions; r++) {
                long t0 = System.nanoTime();
                DeviceArray c = kernels.matmul(a, b, false, false);
                try {
                    AsyncBackends.sync(kernels, c);
                } finally {
                    kernels.release(c);
                }
                long dt = System.nanoTime() - t0;
                if (r > 0) {
                    best = Math.min(best, dt);
                }
            }
            return 2.0 * n * n * (double) n / best;
        } finally {
            kernels.release(a);
            if (b != null) {
                kernels.release(b);
            }
        }
    }
}
