/**
 * Training a {@link dev.vae.models.vae.VAE}: the {@link dev.vae.models.train.Trainer} loop (seeded
 * shuffling, any optimizer of the API, learning-rate schedules, gradient clipping, evaluation
 * each epoch, early stop on divergence), progress reported to a {@link
 * dev.vae.models.train.TrainingListener}, and {@link dev.vae.models.train.TrainingCheckpoint}s from
 * which an interrupted run resumes to bit-identical results.
 */
package dev.vae.models.train;
