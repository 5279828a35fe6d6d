package dev.vae.api.dist;

import dev.vae.api.Tensor;
import dev.vae.api.random.Rng;

/**
 * A distribution over vectors (the last axis of a tensor) with independent components, batched over
 * the leading axes. Results are new tensors owned by the current {@link dev.vae.api.Scope}, if any.
 */
public interface Distribution {

    /**
     * Log-density (or log-mass) of {@code x}, summed over the last axis.
     *
     * @param x values of shape {@code (..., d)} broadcast-compatible with the distribution's
     *          parameters (for example {@code (k, batch, d)} against parameters
     *          {@code (batch, d)}), same backend and dtype; not null
     * @return the log-probabilities in nats, of the broadcast shape without its last axis;
     *         differentiable with respect to the parameters (and {@code x} where meaningful)
     * @throws dev.vae.api.ShapeException if {@code x} does not broadcast against the parameters
     */
    Tensor logProb(Tensor x);

    /**
     * Draws one sample per batch element; the draw is not differentiable.
     *
     * @param rng the generator, advanced by the draw; not null
     * @return a tensor of the parameters' shape (or the distribution's event shape where it has no
     *         batch), not requiring gradients
     */
    Tensor sample(Rng rng);

    /** @return the mean, of the parameters' shape; differentiable with respect to the parameters */
    Tensor mean();
}
