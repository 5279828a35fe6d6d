/**
 * Training objectives for latent-variable models: the (β-weighted) {@link
 * dev.vae.api.objective.NegativeElbo} and the importance-weighted bound {@link
 * dev.vae.api.objective.Iwae}, both behind the {@link dev.vae.api.objective.Objective} contract.
 *
 * <p>An objective is given a batch {@code x} of shape {@code (batch, ...)}, an encoder
 * {@code x -> q(z|x)} returning a {@link dev.vae.api.dist.DiagonalGaussian} of shape
 * {@code (batch, latent)}, a decoder {@code z -> p(x|z)} taking {@code (n, latent)} and returning
 * a {@link dev.vae.api.dist.Distribution} with batch shape {@code (n)}, a prior {@code p(z)} and a
 * {@link dev.vae.api.random.Rng} for the reparameterisation noise. Losses are sums over the batch
 * (divide by the batch size for per-example values), in nats, and differentiable with respect to
 * everything the encoder and decoder depend on.
 */
package dev.vae.api.objective;
