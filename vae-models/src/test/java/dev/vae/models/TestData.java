package dev.vae.models;

import dev.vae.api.random.Rng;
import dev.vae.models.data.Dataset;
import dev.vae.models.data.Labels;

/** Synthetic data with a known low-dimensional structure, for fast deterministic tests. */
public final class TestData {
    private TestData() {
    }

    /**
     * {@code n} samples of {@code d} grey values {@code sigmoid(A z + b)} driven by {@code k}
     * standard-normal factors z (A with entries of size ~{@code scale}); labelled by the sign of
     * the first factor.
     */
    public static Dataset factors(String name, int n, int d, int k, double scale, long seed) {
        Rng rng = new Rng(seed);
        double[] a = rng.normalDoubles(d * k);
        double[] b = rng.normalDoubles(d);
        double[] z = rng.normalDoubles(n * k);
        float[] x = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double s = b[j];
                for (int f = 0; f < k; f++) {
                    s += scale * a[j * k + f] * z[i * k + f];
                }
                x[i * d + j] = (float) (1 / (1 + Math.exp(-s)));
            }
            labels[i] = z[i * k] > 0 ? 1 : 0;
        }
        return Dataset.of(name, x, n, d).withLabels(Labels.categorical("class", labels));
    }
}
