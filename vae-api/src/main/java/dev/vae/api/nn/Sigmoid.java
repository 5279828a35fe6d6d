package dev.vae.api.nn;

import dev.vae.api.Tensor;

/** Element-wise logistic sigmoid, like {@code torch.nn.Sigmoid}. Any shape; no parameters. */
public final class Sigmoid implements Layer {
    /** Creates the layer. */
    public Sigmoid() {
    }

    /** @return {@code 1 / (1 + e^-x)}, same shape as {@code x} (not null) */
    @Override
    public Tensor forward(Tensor x) {
        return x.sigmoid();
    }

    @Override
    public String toString() {
        return "Sigmoid()";
    }
}
