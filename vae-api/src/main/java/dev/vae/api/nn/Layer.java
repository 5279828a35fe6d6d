package dev.vae.api.nn;

import dev.vae.api.Tensor;

import java.util.Map;

/**
 * A differentiable function of one tensor with (possibly no) trainable parameters.
 *
 * <p>Implementations must be deterministic functions of their input and parameters, build their
 * result from {@link Tensor} operations (so gradients flow to the parameters and the input), and
 * create no caller-owned tensors in {@link #forward(Tensor)}: intermediates belong to the current
 * {@link dev.vae.api.Scope}, if any.
 */
public interface Layer extends AutoCloseable {

    /**
     * Applies the layer.
     *
     * @param x the input, not null; the accepted shapes are documented by each implementation
     * @return the output, a new tensor on the same backend (owned by the current scope, if any)
     * @throws dev.vae.api.ShapeException if {@code x} has a shape or dtype the layer cannot take
     */
    Tensor forward(Tensor x);

    /**
     * The trainable parameters, in registration order, named as PyTorch's
     * {@code named_parameters()} would name them in the equivalent module ({@code "weight"},
     * {@code "0.bias"}, {@code "fc21.weight"}). The tensors are the live parameters (not copies):
     * optimizers update them in place.
     *
     * @return an unmodifiable, ordered map from name to parameter; empty for parameter-free layers
     */
    default Map<String, Tensor> parameters() {
        return Map.of();
    }

    /**
     * Releases the parameters this layer owns (idempotent). Parameter-free layers do nothing.
     * The layer must not be used afterwards.
     */
    @Override
    default void close() {
    }
}
