/**
 * Markov-chain Monte Carlo for the {@link dev.vae.models.physics physics systems}, the baseline of
 * the free-energy sampler and a source of training data: single-spin Metropolis and Wolff
 * cluster updates for the Ising model ({@link dev.vae.models.physics.mcmc.IsingMonteCarlo}),
 * random-walk Metropolis and the Metropolis-adjusted Langevin algorithm (MALA, with forces from
 * the API's automatic differentiation) for continuous systems
 * ({@link dev.vae.models.physics.mcmc.ContinuousMonteCarlo}), and the independence
 * Metropolis–Hastings chain ({@link dev.vae.models.physics.mcmc.IndependenceMetropolis}) that turns
 * importance-weighted proposals into asymptotically exact samples. Chains record observables in
 * {@link dev.vae.models.physics.mcmc.ChainSamples}, which reports autocorrelation times, effective
 * sample sizes and error bars. All randomness comes from {@link dev.vae.api.random.Rng}, so runs
 * are reproducible from a seed.
 */
package dev.vae.models.physics.mcmc;
