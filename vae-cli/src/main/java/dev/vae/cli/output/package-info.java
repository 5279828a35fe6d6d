/**
 * What the training commands produce besides checkpoints: PNG image grids (reconstructions,
 * samples, latent traversals), XChart plots (loss curves, 2-D latent scatter), the per-epoch
 * metrics file, and the terminal progress bar. Every file is written atomically.
 */
package dev.vae.cli.output;
