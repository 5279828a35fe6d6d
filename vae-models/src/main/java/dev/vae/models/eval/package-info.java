/**
 * Honest evaluation of a trained {@link dev.vae.models.vae.VAE} on held-out data: the negative
 * ELBO per example with its reconstruction and KL parts, the KL per latent dimension, the number
 * of active latent units (Burda et al. 2016), and the importance-weighted estimate of
 * {@code −log p(x)} with k samples, computed in chunks so that memory stays bounded.
 */
package dev.vae.models.eval;
