/**
 * Models, training, evaluation, data and checkpoints built on {@code vae-api} only: the
 * {@link dev.vae.models.vae VAE and β-VAE}, the {@link dev.vae.models.train trainer}, honest
 * {@link dev.vae.models.eval evaluation} (test ELBO, importance-weighted log-likelihood, active
 * units), {@link dev.vae.models.data data readers} and {@link dev.vae.models.io safetensors
 * checkpoints}. No class here imports a backend; every computation goes through
 * {@link dev.vae.api.Tensor}.
 */
package dev.vae.models;
