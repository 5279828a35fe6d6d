/**
 * Statistics for Monte-Carlo output: {@link dev.vae.models.physics.stats.Autocorrelation}
 * (integrated autocorrelation time with Sokal's automatic windowing, effective sample size and the
 * error of a correlated mean), {@link dev.vae.models.physics.stats.ImportanceWeights} (importance
 * sampling estimates of {@code ln Z} and {@code F} with delta-method error bars, the variational
 * bound, Kish's effective sample size, reweighted observables) and
 * {@link dev.vae.models.physics.stats.Estimate} (a value with its standard error).
 */
package dev.vae.models.physics.stats;
