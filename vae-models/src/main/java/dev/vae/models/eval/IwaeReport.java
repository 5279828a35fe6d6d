package dev.vae.models.eval;

/**
 * The importance-weighted estimate of the negative log-likelihood of a data set (Burda et al.
 * 2016): {@code −log p(x) ≈ −log (1/k) Σ_i p(x, z_i) / q(z_i|x)}, {@code z_i ~ q(z|x)}, averaged
 * over the examples. It is a stochastic upper bound on {@code −log p(x)} that tightens as k grows
 * and is never above the negative ELBO estimated from the same samples (in expectation).
 *
 * @param examples         number of examples evaluated
 * @param k                importance samples per example
 * @param negLogLikelihood the importance-weighted {@code −log p(x)} per example, nats
 * @param negElbo          the negative ELBO averaged over the same k samples, per example, nats
 * @param standardError    the standard error of {@code negLogLikelihood} across examples
 */
public record IwaeReport(int examples, int k, double negLogLikelihood, double negElbo, double standardError) {
}
