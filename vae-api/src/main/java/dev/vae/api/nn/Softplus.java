package dev.vae.api.nn;

import dev.vae.api.Tensor;

/**
 * Element-wise {@code log(1 + e^x)} (stable for large magnitudes), like {@code torch.nn.Softplus}
 * with its default {@code beta = 1}. Any shape; no parameters.
 */
public final class Softplus implements Layer {
    /** Creates the layer. */
    public Softplus() {
    }

    /** @return {@code softplus(x)}, same shape as {@code x} (not null) */
    @Override
    public Tensor forward(Tensor x) {
        return x.softplus();
    }

    @Override
    public String toString() {
        return "Softplus()";
    }
}
