package dev.vae.api.nn;

import dev.vae.api.Tensor;

/** Element-wise hyperbolic tangent, like {@code torch.nn.Tanh}. Any shape; no parameters. */
public final class Tanh implements Layer {
    /** Creates the layer. */
    public Tanh() {
    }

    /** @return {@code tanh(x)}, same shape as {@code x} (not null) */
    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }

    @Override
    public String toString() {
        return "Tanh()";
    }
}
