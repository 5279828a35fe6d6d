package dev.vae.models.vae;

import dev.vae.api.nn.Layer;
import dev.vae.api.nn.LeakyReLU;
import dev.vae.api.nn.ReLU;
import dev.vae.api.nn.Sigmoid;
import dev.vae.api.nn.Softplus;
import dev.vae.api.nn.Tanh;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Hidden-layer activations of the MLPs, with the names used in configs and on the command line. */
public enum Activation {
    /** {@code max(x, 0)}. */
    RELU,
    /** {@code tanh(x)}. */
    TANH,
    /** leaky ReLU with slope 0.01. */
    LEAKY_RELU,
    /** {@code log(1 + e^x)}. */
    SOFTPLUS,
    /** logistic sigmoid. */
    SIGMOID;

    /** @return a new parameter-free layer applying this activation */
    public Layer layer() {
        return switch (this) {
            case RELU -> new ReLU();
            case TANH -> new Tanh();
            case LEAKY_RELU -> new LeakyReLU(0.01);
            case SOFTPLUS -> new Softplus();
            case SIGMOID -> new Sigmoid();
        };
    }

    /** @return the config name ({@code relu}, {@code leaky_relu}) */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param s a config name, case-insensitive, {@code -} or {@code _}
     * @throws IllegalArgumentException listing the valid names
     */
    public static Activation parse(String s) {
        String k = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Activation a : values()) {
            if (a.name().equals(k)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + s + "' (expected one of "
                + Arrays.stream(values()).map(Activation::label).collect(Collectors.joining(", ")) + ")");
    }
}
