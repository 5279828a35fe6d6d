package dev.vae.models.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Per-sample labels of a {@link Dataset}: class indices (Fashion-MNIST), temperatures (Ising
 * configurations) or any other scalar. Stored as float64 so that both kinds fit without loss.
 */
public final class Labels {
    private final String name;
    private final double[] values;
    private final boolean categorical;

    private Labels(String name, double[] values, boolean categorical) {
        this.name = Objects.requireNonNull(name, "name");
        this.values = values;
        this.categorical = categorical;
    }

    /**
     * @param name   what the label means ({@code class}, {@code temperature})
     * @param values one class index per sample (non-negative)
     * @return categorical labels
     * @throws DataFormatException if an index is negative
     */
    public static Labels categorical(String name, int[] values) {
        double[] v = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0) {
                throw new DataFormatException(null, "label '" + name + "' of sample " + i + " is negative (" + values[i] + ")");
            }
            v[i] = values[i];
        }
        return new Labels(name, v, true);
    }

    /**
     * @param name   what the label means ({@code temperature})
     * @param values one finite value per sample (copied)
     * @return continuous labels
     * @throws DataFormatException if a value is not finite
     */
    public static Labels continuous(String name, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new DataFormatException(null, "label '" + name + "' of sample " + i + " is not finite (" + values[i] + ")");
            }
        }
        return new Labels(name, values.clone(), false);
    }

    /** @return what the label means */
    public String name() {
        return name;
    }

    /** @return the number of labelled samples */
    public int size() {
        return values.length;
    }

    /** @return whether the labels are class indices */
    public boolean isCategorical() {
        return categorical;
    }

    /** @return the label of sample {@code i} */
    public double get(int i) {
        return values[i];
    }

    /** @return a copy of all labels */
    public double[] values() {
        return values.clone();
    }

    /** @return the labels of samples {@code rows[i]}, in order */
    public Labels select(int[] rows) {
        double[] v = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = values[rows[i]];
        }
        return new Labels(name, v, categorical);
    }

    @Override
    public String toString() {
        return "Labels[" + name + ", " + values.length + (categorical ? " categorical" : " continuous") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels l && l.name.equals(name) && l.categorical == categorical && Arrays.equals(l.values, values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, categorical, Arrays.hashCode(values));
    }
}
