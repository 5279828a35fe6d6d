package dev.vae.models.physics;

import java.util.Objects;

/**
 * A named observable of a system, evaluated on the host for one configuration.
 *
 * @param name        short identifier used in reports and JSON ({@code "e"}, {@code "|m|"}, {@code "x0"})
 * @param description one line for humans
 * @param function    the value for one configuration
 */
public record Observable(String name, String description, ConfigFunction function) {
    /** Validates the components. */
    public Observable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(function, "function");
    }

    /**
     * Evaluates the observable on {@code n} configurations stored row after row.
     *
     * @param xs  {@code n * dim} values
     * @param n   number of configurations
     * @param dim coordinates per configuration
     * @return the {@code n} values
     */
    public double[] evaluate(double[] xs, int n, int dim) {
        if ((long) n * dim > xs.length) {
            throw new IllegalArgumentException("observable " + name + ": " + xs.length + " values cannot hold "
                    + n + " configurations of dimension " + dim);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = function.apply(xs, i * dim);
        }
        return out;
    }
}
