/**
 * The free-energy sampler: {@link dev.vae.models.physics.sampler.Generator generators} trained to
 * approximate a Boltzmann distribution by minimising the variational free energy (reverse KL),
 * needing only samples from the model and the energy, and the estimates made from them.
 *
 * <ul>
 *   <li>{@link dev.vae.models.physics.sampler.LatentGenerator}: VAE parts (prior, decoder,
 *       auxiliary encoder) trained on the joint variational free energy, reparameterised for
 *       continuous states and by the score function for spins;</li>
 *   <li>{@link dev.vae.models.physics.sampler.MadeGenerator}: an autoregressive network of
 *       {@link dev.vae.models.physics.sampler.MaskedLinear masked layers} with an exact
 *       log-density (the variational autoregressive network);</li>
 *   <li>{@link dev.vae.models.physics.sampler.FreeEnergyTrainer}: Adam with beta-annealing, a
 *       cosine learning-rate schedule and an optional forward-KL data term on Monte-Carlo
 *       configurations;</li>
 *   <li>{@link dev.vae.models.physics.sampler.FreeEnergyEstimator} and
 *       {@link dev.vae.models.physics.sampler.FreeEnergyReport}: the variational bound, the
 *       importance-sampling free energy with its error bar, effective sample sizes, reweighted
 *       observables and an independence Metropolis–Hastings chain.</li>
 * </ul>
 */
package dev.vae.models.physics.sampler;
