package dev.vae.conformance;

import dev.vae.api.random.Rng;

/**
 * Seeded synthetic binary data for training checks: a few random sparse prototypes, each example
 * a prototype with a fraction of its pixels flipped (MNIST-like: mostly zeros, a structure a VAE
 * can learn).
 */
final class SyntheticData {
    private SyntheticData() {
    }

    /**
     * @param n examples
     * @param dim pixels per example
     * @param prototypes number of prototypes
     * @param seed the seed
     * @return row-major values in {0, 1}, {@code n * dim} of them
     */
    static double[] binary(int n, int dim, int prototypes, long seed) {
        Rng rng = new Rng(seed, 17, 0);
        double[] protoU = rng.uniformDoubles(prototypes * dim);
        double[] pick = rng.uniformDoubles(n);
        double[] flip = rng.uniformDoubles(n * dim);
        double[] out = new double[n * dim];
        for (int i = 0; i < n; i++) {
            int p = (int) Math.min(prototypes - 1, (long) (pick[i] * prototypes));
            for (int j = 0; j < dim; j++) {
                boolean on = protoU[p * dim + j] < 0.25;
                if (flip[i * dim + j] < 0.05) {
                    on = !on;
                }
                out[i * dim + j] = on ? 1 : 0;
            }
        }
        return out;
    }
}
