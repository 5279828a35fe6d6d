/**
 * The physics commands: {@code vae mcmc} (Monte-Carlo configurations as {@code .npy} for
 * {@code vae train}), {@code vae free-energy} (train a free-energy sampler and report every
 * estimate beside the exact value and an MCMC baseline) and {@code vae quickstart} (the README's
 * first command: MCMC across the Ising transition, a VAE on the configurations, the latent code
 * against temperature, and the free-energy sampler on a small lattice), with their plots.
 */
package dev.vae.cli.physics;
