/**
 * Probability distributions over the last axis of a tensor, as used by variational autoencoders:
 * the {@link dev.vae.api.dist.Distribution} contract, the reparameterisable
 * {@link dev.vae.api.dist.DiagonalGaussian} posterior, the {@link dev.vae.api.dist.Bernoulli}
 * likelihood parameterised by logits, and the {@link dev.vae.api.dist.StandardNormal} prior.
 *
 * <p>Shapes: a distribution's parameters have shape {@code (batch..., d)}; the last axis is the
 * event (one d-dimensional variable with independent components), the leading axes are the batch.
 * {@code logProb} sums over the event axis and returns the batch shape. Densities and
 * divergences are in nats. Random draws come from a {@link dev.vae.api.random.Rng}, through the
 * backend's Philox kernels, so they are reproducible on every backend.
 */
package dev.vae.api.dist;
