package dev.vae.models.vae;

import dev.vae.api.Tensor;
import dev.vae.api.dist.DiagonalGaussian;
import dev.vae.api.objective.NegativeElbo;
import dev.vae.api.random.Rng;

import java.util.Objects;

/**
 * The training loss of a {@link VAE} on one batch: the single-sample negative ELBO of {@link
 * NegativeElbo} (reconstruction {@code -Σ_n log p(x_n|z_n)} with {@code z_n ~ q(z|x_n)} and the
 * analytic KL, both summed over the batch, as in pytorch/examples), with the KL term shaped by a
 * {@link KlRegularizer}.
 */
public final class VaeLoss {
    private static final NegativeElbo ELBO = new NegativeElbo();

    private VaeLoss() {
    }

    /**
     * The loss and its parts for one batch; all tensors belong to the current scope.
     *
     * @param loss           the differentiable scalar to minimise (sum over the batch)
     * @param reconstruction {@code -Σ_n log p(x_n|z_n)}, scalar
     * @param kl             the true {@code Σ_n KL(q(z|x_n) || p(z))}, scalar
     * @param klPerDim       the KL per latent dimension averaged over the batch, (latent)
     * @param posterior      {@code q(z|x)}, shape (batch, latent)
     * @param batch          the number of examples
     */
    public record Terms(Tensor loss, Tensor reconstruction, Tensor kl, Tensor klPerDim, DiagonalGaussian posterior, int batch) {
    }

    /**
     * @param model the model
     * @param x     a batch (n, d)
     * @param rng   draws the reparameterisation noise (n × latent normals)
     * @param reg   the KL regularisation
     * @param step  the optimisation step, for warm-up and capacity schedules
     */
    public static Terms compute(VAE model, Tensor x, Rng rng, KlRegularizer reg, long step) {
        Objects.requireNonNull(reg, "reg");
        NegativeElbo.Terms t = ELBO.compute(x, model::encode, model::decode, model.prior(), rng);
        Tensor loss = reg.isPlain() ? t.loss()
                : t.reconstruction().add(reg.term(t.kl(), t.klPerDim(), t.batchSize(), step));
        return new Terms(loss, t.reconstruction(), t.kl(), t.klPerDim(), t.posterior(), t.batchSize());
    }
}
