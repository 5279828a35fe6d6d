package dev.vae.models.vae;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The decoder's observation model {@code p(x|z)}. */
public enum Likelihood {
    /**
     * Independent Bernoulli variables from logits (binary cross-entropy; accepts grey values in
     * [0, 1] as in the pytorch/examples VAE).
     */
    BERNOULLI,
    /** Gaussian with the decoder output as mean and a fixed variance σ² for every feature. */
    GAUSSIAN_FIXED,
    /** Gaussian with the decoder output as mean and a learned log-variance per feature. */
    GAUSSIAN_LEARNED;

    /** @return the config name ({@code bernoulli}, {@code gaussian_fixed}) */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param s a config name, case-insensitive, {@code -} or {@code _}
     * @throws IllegalArgumentException listing the valid names
     */
    public static Likelihood parse(String s) {
        String k = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Likelihood a : values()) {
            if (a.name().equals(k)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown likelihood '" + s + "' (expected one of "
                + Arrays.stream(values()).map(Likelihood::label).collect(Collectors.joining(", ")) + ")");
    }
}
