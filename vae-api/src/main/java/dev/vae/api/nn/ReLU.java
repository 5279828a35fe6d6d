package dev.vae.api.nn;

import dev.vae.api.Tensor;

/** Element-wise {@code max(x, 0)}, like {@code torch.nn.ReLU}. Any shape; no parameters. */
public final class ReLU implements Layer {
    /** Creates the layer. */
    public ReLU() {
    }

    /** @return {@code max(x, 0)}, same shape as {@code x} (not null) */
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }

    @Override
    public String toString() {
        return "ReLU()";
    }
}
