/**
 * Statistical-physics systems for the free-energy sampler and for Monte-Carlo data: the
 * {@link dev.vae.models.physics.EnergyModel} contract (batched energies, as host code and as a
 * differentiable {@link dev.vae.api.Tensor} operation, observables, and reference values of
 * {@code ln Z} where one is known), the 2-D {@link dev.vae.models.physics.IsingModel Ising model},
 * a {@link dev.vae.models.physics.GaussianMixture Gaussian mixture}, a
 * {@link dev.vae.models.physics.DoubleWell double well} and the
 * {@link dev.vae.models.physics.MullerBrown Müller–Brown potential}, and
 * {@link dev.vae.models.physics.Systems} to build them from a textual specification.
 *
 * <p>Subpackages: {@link dev.vae.models.physics.exact exact reference results} (Kaufman, Onsager,
 * quadrature), {@link dev.vae.models.physics.stats statistics} (autocorrelation times, effective
 * sample sizes, importance weights), {@link dev.vae.models.physics.mcmc Markov-chain Monte Carlo}
 * and the {@link dev.vae.models.physics.sampler free-energy sampler}.
 *
 * <p>Conventions: the Boltzmann distribution is {@code p(x) = exp(-beta U(x)) / Z(beta)}, the free
 * energy {@code F = -ln Z / beta}; Ising spins are {@code -1} and {@code +1}; a configuration of
 * dimension {@code D} is a row of {@code D} doubles (host code) or a row of an {@code (n, D)} tensor.
 */
package dev.vae.models.physics;
