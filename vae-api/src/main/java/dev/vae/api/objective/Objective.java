package dev.vae.api.objective;

import dev.vae.api.Tensor;
import dev.vae.api.dist.DiagonalGaussian;
import dev.vae.api.dist.Distribution;
import dev.vae.api.random.Rng;

import java.util.function.Function;

/**
 * A stochastic training objective for a VAE-style model, to be minimised.
 */
public interface Objective {

    /**
     * Evaluates the objective on one batch. The tensors created belong to the current
     * {@link dev.vae.api.Scope}, if any.
     *
     * @param x the data, shape {@code (batch, ...)}, not null
     * @param encoder maps {@code x} to the posterior {@code q(z|x)} of shape {@code (batch, latent)}
     * @param decoder maps latents of shape {@code (n, latent)} to {@code p(x|z)} whose
     *                {@link Distribution#logProb} of data {@code (n, ...)} has shape {@code (n)}
     * @param prior the prior {@code p(z)}, whose {@code logProb} accepts {@code (..., latent)}
     * @param rng generator of the reparameterisation noise, advanced; not null
     * @return the loss and its parts
     * @throws dev.vae.api.ShapeException if the encoder or decoder returns a distribution of the
     *                                    wrong shape
     */
    Value compute(Tensor x, Function<Tensor, DiagonalGaussian> encoder,
                  Function<Tensor, ? extends Distribution> decoder, Distribution prior, Rng rng);

    /** The result of an objective: at least a differentiable scalar loss. */
    interface Value {
        /** @return the scalar loss to minimise (sum over the batch, nats), differentiable */
        Tensor loss();

        /** @return the number of examples the loss sums over */
        int batchSize();
    }
}
