package dev.vae.models.physics;

/**
 * A real function of one configuration stored in a flat array, as used for energies and
 * observables on the host: the configuration is {@code x[offset], ..., x[offset + D - 1]}.
 */
@FunctionalInterface
public interface ConfigFunction {
    /**
     * @param x      flat storage of one or more configurations
     * @param offset index of the configuration's first coordinate
     * @return the function's value at that configuration
     */
    double apply(double[] x, int offset);
}
