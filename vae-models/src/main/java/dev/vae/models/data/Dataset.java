package dev.vae.models.data;

import dev.vae.api.Backend;
import dev.vae.api.Tensor;
import dev.vae.api.random.Rng;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable data set: a float32 feature matrix of shape (n, d) in row-major order, the shape of
 * one sample (e.g. 28 × 28 for images, L × L for a spin lattice; its product is d), optional
 * {@link Labels} and a name. Values are finite (checked on construction). Any source (IDX images,
 * {@code .npy}, CSV, a Monte-Carlo simulation) produces one of these.
 */
public final class Dataset {
    private final String name;
    private final int size;
    private final int dim;
    private final float[] features;
    private final int[] sampleShape;
    private final Labels labels;

    private Dataset(String name, float[] features, int size, int dim, int[] sampleShape, Labels labels) {
        this.name = name;
        this.features = features;
        this.size = size;
        this.dim = dim;
        this.sampleShape = sampleShape;
        this.labels = labels;
    }

    /**
     * Wraps a feature matrix (not copied: the caller gives up the array).
     *
     * @param name     a short name used in messages and reports
     * @param features n × d values in row-major order
     * @param n        number of samples
     * @param d        number of features per sample
     * @throws DataFormatException if the sizes disagree or a value is not finite
     */
    public static Dataset of(String name, float[] features, int n, int d) {
        Objects.requireNonNull(name, "name");
        if (n < 0 || d <= 0 || (long) n * d != features.length) {
            throw new DataFormatException(null, "dataset '" + name + "': " + features.length
                    + " values do not form a (" + n + ", " + d + ") matrix");
        }
        int bad = firstNonFinite(features);
        if (bad >= 0) {
            throw new DataFormatException(null, "dataset '" + name + "': non-finite value " + features[bad]
                    + " at sample " + bad / d + ", feature " + bad % d);
        }
        return new Dataset(name, features, n, d, new int[] {d}, null);
    }

    /** @return the index of the first NaN or infinite value, or -1 if all are finite */
    static int firstNonFinite(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param shape the shape of one sample, whose product must be d
     * @return this data set with another sample shape (features shared)
     */
    public Dataset withSampleShape(int... shape) {
        long p = 1;
        for (int s : shape) {
            if (s <= 0) {
                throw new IllegalArgumentException("sample shape " + Arrays.toString(shape) + " has a non-positive dimension");
            }
            p *= s;
        }
        if (p != dim) {
            throw new IllegalArgumentException("sample shape " + Arrays.toString(shape) + " does not hold " + dim + " features");
        }
        return new Dataset(name, features, size, dim, shape.clone(), labels);
    }

    /**
     * @param l labels for every sample, or null for none
     * @return this data set with labels (features shared)
     */
    public Dataset withLabels(Labels l) {
        if (l != null && l.size() != size) {
            throw new DataFormatException(null, "dataset '" + name + "': " + l.size() + " labels for " + size + " samples");
        }
        return new Dataset(name, features, size, dim, sampleShape, l);
    }

    /** @return this data set under another name (features shared) */
    public Dataset withName(String newName) {
        return new Dataset(Objects.requireNonNull(newName), features, size, dim, sampleShape, labels);
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return the number of samples n */
    public int size() {
        return size;
    }

    /** @return the number of features per sample d */
    public int dim() {
        return dim;
    }

    /** @return the shape of one sample (product d) */
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /** @return the labels, if any */
    public Optional<Labels> labels() {
        return Optional.ofNullable(labels);
    }

    /** @return feature {@code j} of sample {@code i} */
    public float get(int i, int j) {
        return features[i * dim + j];
    }

    /** @return a copy of sample {@code i}'s features */
    public float[] row(int i) {
        return Arrays.copyOfRange(features, i * dim, (i + 1) * dim);
    }

    /** @return a copy of samples {@code [from, to)} in row-major order */
    public float[] rows(int from, int to) {
        return Arrays.copyOfRange(features, from * dim, to * dim);
    }

    /** @return the features as a float32 tensor of shape (n, d) on {@code backend} (caller-owned unless a scope is open) */
    public Tensor toTensor(Backend backend) {
        return backend.tensor(features, size, dim);
    }

    /** @return the first {@code n} samples (or all, if fewer) */
    public Dataset head(int n) {
        int m = Math.min(n, size);
        return new Dataset(name, rows(0, m), m, dim, sampleShape, labels == null ? null : labels.select(range(m)));
    }

    /** @return samples {@code rows[i]}, in order */
    public Dataset select(int[] rows) {
        float[] f = new float[rows.length * dim];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(features, rows[i] * dim, f, i * dim, dim);
        }
        return new Dataset(name, f, rows.length, dim, sampleShape, labels == null ? null : labels.select(rows));
    }

    /** @return every feature multiplied by {@code factor} (e.g. 1/255 for byte images) */
    public Dataset scaled(float factor) {
        float[] f = new float[features.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = features[i] * factor;
        }
        return new Dataset(name, f, size, dim, sampleShape, labels);
    }

    /**
     * A fixed Bernoulli binarisation: each feature in [0, 1] becomes 1 with that probability,
     * drawn once from {@code rng}.
     */
    public Dataset binarized(Rng rng) {
        float[] u = rng.uniformFloats(features.length);
        float[] f = new float[features.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = u[i] < features[i] ? 1f : 0f;
        }
        return new Dataset(name + "-binarized", f, size, dim, sampleShape, labels);
    }

    /** @return the smallest and largest feature value ({@code [0, 0]} when empty) */
    public float[] range() {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : features) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return features.length == 0 ? new float[] {0, 0} : new float[] {lo, hi};
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ", n=" + size + ", d=" + dim + ", sample " + Arrays.toString(sampleShape)
                + (labels == null ? "" : ", " + labels) + "]";
    }
}
