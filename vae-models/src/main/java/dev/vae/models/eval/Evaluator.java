package dev.vae.models.eval;

import dev.vae.api.GradMode;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.objective.Iwae;
import dev.vae.api.random.Rng;
import dev.vae.models.vae.KlRegularizer;
import dev.vae.models.vae.VAE;
import dev.vae.models.vae.VaeLoss;

/**
 * Evaluates a {@link VAE} on a data set held on its backend (shape (n, d)), in consecutive
 * batches, without recording gradients; every batch runs in its own scope.
 */
public final class Evaluator {
    /** Burda et al.'s activity threshold for {@code Var_x(E_q[z_j])}. */
    public static final double ACTIVITY_THRESHOLD = 0.01;

    private Evaluator() {
    }

    private static void check(Tensor data, int batchSize) {
        if (data.rank() != 2 || data.dim(0) == 0) {
            throw new IllegalArgumentException("evaluation needs a non-empty (n, d) data tensor");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
    }

    /**
     * The single-sample negative ELBO (as pytorch/examples' test loss: one z per example, summed
     * over the data and divided by n), its parts, the KL per dimension and the active units.
     *
     * @param model     the model
     * @param data      (n, d) on the model's backend
     * @param batchSize examples per batch
     * @param rng       draws the latent samples (advanced)
     */
    public static ElboReport elbo(VAE model, Tensor data, int batchSize, Rng rng) {
        check(data, batchSize);
        int n = data.dim(0);
        int latent = model.config().latentDim();
        double loss = 0;
        double rec = 0;
        double kl = 0;
        double[] klDim = new double[latent];
        double[] muSum = new double[latent];
        double[] muSq = new double[latent];
        double[][] mus = new double[n][];
        try (GradMode.Guard g = GradMode.disable()) {
            for (int s = 0; s < n; s += batchSize) {
                int e = Math.min(n, s + batchSize);
                try (Scope scope = Scope.open()) {
                    Tensor x = data.slice(0, s, e);
                    VaeLoss.Terms t = VaeLoss.compute(model, x, rng, KlRegularizer.none(), 0);
                    loss += t.loss().item();
                    rec += t.reconstruction().item();
                    kl += t.kl().item();
                    double[] kd = t.klPerDim().toDoubles();
                    for (int j = 0; j < latent; j++) {
                        klDim[j] += kd[j] * (e - s);
                    }
                    double[] mu = t.posterior().mu().toDoubles();
                    for (int i = 0; i < e - s; i++) {
                        mus[s + i] = java.util.Arrays.copyOfRange(mu, i * latent, (i + 1) * latent);
                        for (int j = 0; j < latent; j++) {
                            muSum[j] += mus[s + i][j];
                        }
                    }
                }
            }
        }
        double[] var = new double[latent];
        int active = 0;
        for (int j = 0; j < latent; j++) {
            double mean = muSum[j] / n;
            for (double[] m : mus) {
                double dlt = m[j] - mean;
                muSq[j] += dlt * dlt;
            }
            var[j] = muSq[j] / n;
            klDim[j] /= n;
            if (var[j] > ACTIVITY_THRESHOLD) {
                active++;
            }
        }
        return new ElboReport(n, loss / n, rec / n, kl / n, klDim, var, active, ACTIVITY_THRESHOLD);
    }

    /**
     * The importance-weighted estimate of {@code −log p(x)} per example.
     *
     * @param model     the model
     * @param data      (n, d) on the model's backend
     * @param batchSize examples per batch
     * @param k         importance samples per example
     * @param chunk     the most samples decoded at once (the decoder sees chunk × batchSize rows)
     * @param rng       draws the samples (advanced)
     */
    public static IwaeReport iwae(VAE model, Tensor data, int batchSize, int k, int chunk, Rng rng) {
        check(data, batchSize);
        Iwae objective = new Iwae(k, chunk);
        int n = data.dim(0);
        double sum = 0;
        double sumSq = 0;
        double elbo = 0;
        try (GradMode.Guard g = GradMode.disable()) {
            for (int s = 0; s < n; s += batchSize) {
                int e = Math.min(n, s + batchSize);
                try (Scope scope = Scope.open()) {
                    Tensor x = data.slice(0, s, e);
                    Iwae.Estimate est = objective.compute(x, model::encode, model::decode, model.prior(), rng);
                    for (double ll : est.logLikelihood().toDoubles()) {
                        sum += ll;
                        sumSq += ll * ll;
                    }
                    elbo += est.logWeights().mean().item() * (e - s);
                }
            }
        }
        double mean = sum / n;
        double variance = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : 0;
        return new IwaeReport(n, k, -mean, -elbo / n, Math.sqrt(variance / n));
    }
}
