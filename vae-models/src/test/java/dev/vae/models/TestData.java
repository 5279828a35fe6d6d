package dev.vae.models;

import dev.vae.api.random.Rng;
import dev.vae.models.data.DataSplit;
import dev.vae.models.data.Dataset;
import dev.vae.models.data.Labels;

/** Synthetic data with a known low-dimensional structure, for fast deterministic tests. */
public final class TestData {
    private TestData() {
    }

    /** Training and test sets drawn from the same factor model (see {@link #factors}). */
    public static DataSplit split(int nTrain, int nTest, int d, int k, double scale, long seed) {
        return split(nTrain, nTest, d, k, scale, 1.0, seed);
    }

    /** Training and test sets drawn from the same factor model with factor f scaled by {@code decay^f}. */
    public static DataSplit split(int nTrain, int nTest, int d, int k, double scale, double decay, long seed) {
        return new DataSplit(factors("train", nTrain, d, k, scale, decay, seed, 1), factors("test", nTest, d, k, scale, decay, seed, 2));
    }

    /**
     * {@code n} samples of {@code d} grey values {@code sigmoid(A z + b)} driven by {@code k}
     * standard-normal factors z (A with entries of size ~{@code scale · decay^f} for factor f); labelled by the sign of
     * the first factor. The structure (A, b) depends on {@code seed} only; the samples on
     * {@code sampleStream} too.
     */
    public static Dataset factors(String name, int n, int d, int k, double scale, double decay, long seed, long sampleStream) {
        Rng rng = new Rng(seed);
        double[] a = rng.normalDoubles(d * k);
        double[] b = rng.normalDoubles(d);
        double[] z = rng.split(sampleStream).normalDoubles(n * k);
        float[] x = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double s = b[j];
                for (int f = 0; f < k; f++) {
                    s += scale * Math.pow(decay, f) * a[j * k + f] * z[i * k + f];
                }
                x[i * d + j] = (float) (1 / (1 + Math.exp(-s)));
            }
            labels[i] = z[i * k] > 0 ? 1 : 0;
        }
        return Dataset.of(name, x, n, d).withLabels(Labels.categorical("class", labels));
    }
}
