package dev.vae.models.eval;

/**
 * The single-sample negative ELBO of a data set, per example, and latent-usage statistics.
 *
 * @param examples              number of examples evaluated
 * @param loss                  negative ELBO per example, nats ({@code reconstruction + kl})
 * @param reconstruction        {@code −E_q[log p(x|z)]} per example (one sample of z), nats
 * @param kl                    {@code KL(q(z|x) || p(z))} per example, nats
 * @param klPerDim              KL per latent dimension averaged over the examples, nats
 * @param posteriorMeanVariance {@code Var_x(E_q[z_j])} per latent dimension
 * @param activeUnits           number of dimensions whose variance exceeds the threshold
 * @param activityThreshold     the threshold used (0.01 in Burda et al.)
 */
public record ElboReport(int examples, double loss, double reconstruction, double kl, double[] klPerDim,
                         double[] posteriorMeanVariance, int activeUnits, double activityThreshold) {
    /** Copies the arrays. */
    public ElboReport {
        klPerDim = klPerDim.clone();
        posteriorMeanVariance = posteriorMeanVariance.clone();
    }

    /** @return a copy of the KL per dimension */
    @Override
    public double[] klPerDim() {
        return klPerDim.clone();
    }

    /** @return a copy of the posterior-mean variance per dimension */
    @Override
    public double[] posteriorMeanVariance() {
        return posteriorMeanVariance.clone();
    }
}
