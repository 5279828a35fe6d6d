package dev.vae.api.nn;

import dev.vae.api.Tensor;

/**
 * Element-wise {@code x} where positive and {@code slope * x} elsewhere, like
 * {@code torch.nn.LeakyReLU(negative_slope)}. Any shape; no parameters.
 */
public final class LeakyReLU implements Layer {
    private final double slope;

    /** The PyTorch default, slope 0.01. */
    public LeakyReLU() {
        this(0.01);
    }

    /**
     * @param slope the slope for non-positive inputs; finite
     * @throws IllegalArgumentException if {@code slope} is not finite
     */
    public LeakyReLU(double slope) {
        if (!Double.isFinite(slope)) {
            throw new IllegalArgumentException("LeakyReLU slope must be finite, got " + slope);
        }
        this.slope = slope;
    }

    /** @return the negative slope */
    public double slope() {
        return slope;
    }

    /** @return the activation of {@code x} (not null), same shape */
    @Override
    public Tensor forward(Tensor x) {
        return x.leakyRelu(slope);
    }

    @Override
    public String toString() {
        return "LeakyReLU(negative_slope=" + slope + ")";
    }
}
