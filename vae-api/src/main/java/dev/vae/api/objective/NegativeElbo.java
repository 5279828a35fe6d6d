package dev.vae.api.objective;

import dev.vae.api.ShapeException;
import dev.vae.api.Shapes;
import dev.vae.api.Tensor;
import dev.vae.api.dist.DiagonalGaussian;
import dev.vae.api.dist.Distribution;
import dev.vae.api.dist.StandardNormal;
import dev.vae.api.random.Rng;

import java.util.Objects;
import java.util.function.Function;

/**
 * The negative evidence lower bound with a β weight on the KL term (β-VAE; β = 1 is the plain
 * VAE), estimated with one reparameterised sample {@code z ~ q(z|x)} per example:
 * <pre>
 *   loss = sum_n [ -log p(x_n | z_n) ] + β sum_n KL(q(z|x_n) || p(z))
 * </pre>
 * The KL term is analytic ({@link KlMode#ANALYTIC}, the default) for a {@link StandardNormal}
 * prior (through the fused kernel) or a {@link DiagonalGaussian} prior, or the single-sample
 * Monte-Carlo estimate {@code log q(z|x) - log p(z)} with the same {@code z}
 * ({@link KlMode#MONTE_CARLO}, for any prior).
 *
 * <p>Optional free bits (Kingma et al. 2016): with {@code λ > 0} the KL term of the loss becomes
 * {@code β · batch · Σ_j max(λ, mean_n KL_nj)}, so that a latent dimension whose KL (averaged
 * over the batch) is below {@code λ} nats gets no gradient pushing it further down. The reported
 * {@link Terms#kl()} is always the true KL. Immutable and thread-safe.
 */
public final class NegativeElbo implements Objective {

    /** How the KL term is computed. */
    public enum KlMode {
        /** Closed form; requires a {@link StandardNormal} or {@link DiagonalGaussian} prior. */
        ANALYTIC,
        /** {@code log q(z|x) - log p(z)} at the sampled {@code z}; any prior. */
        MONTE_CARLO
    }

    private final double beta;
    private final double freeBits;
    private final KlMode mode;

    /** The plain VAE objective: β = 1, analytic KL, no free bits. */
    public NegativeElbo() {
        this(1.0);
    }

    /**
     * @param beta the KL weight, finite and {@code >= 0}
     * @throws IllegalArgumentException if {@code beta} is negative or not finite
     */
    public NegativeElbo(double beta) {
        this(beta, 0.0, KlMode.ANALYTIC);
    }

    /**
     * @param beta the KL weight, finite and {@code >= 0}
     * @param freeBits the free-bits threshold λ in nats per latent dimension, finite and
     *                 {@code >= 0}; 0 disables it; {@code > 0} requires {@link KlMode#ANALYTIC}
     * @param mode how the KL is computed, not null
     * @throws IllegalArgumentException for invalid values
     */
    public NegativeElbo(double beta, double freeBits, KlMode mode) {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
        }
        if (!(freeBits >= 0) || Double.isInfinite(freeBits)) {
            throw new IllegalArgumentException("freeBits must be finite and >= 0, got " + freeBits);
        }
        this.mode = Objects.requireNonNull(mode, "mode");
        if (freeBits > 0 && mode != KlMode.ANALYTIC) {
            throw new IllegalArgumentException("free bits need the analytic per-dimension KL (KlMode.ANALYTIC)");
        }
        this.beta = beta;
        this.freeBits = freeBits;
    }

    /** @return the KL weight β */
    public double beta() {
        return beta;
    }

    /** @return the free-bits threshold λ in nats (0 if disabled) */
    public double freeBits() {
        return freeBits;
    }

    /** @return how the KL term is computed */
    public KlMode klMode() {
        return mode;
    }

    /**
     * The parts of the negative ELBO for one batch (all tensors belong to the current scope).
     *
     * @param loss {@code reconstruction + β kl} (with free bits applied, if enabled): a
     *             differentiable scalar
     * @param reconstruction {@code -sum_n log p(x_n | z_n)}, a scalar
     * @param kl {@code sum_n KL(q(z|x_n) || p(z))} (analytic or single-sample estimate), a scalar
     * @param klPerDim the analytic KL per latent dimension averaged over the batch, shape
     *                 {@code (latent)}; null when the prior has no closed form
     * @param posterior {@code q(z|x)} as returned by the encoder
     * @param z the reparameterised sample, shape {@code (batch, latent)}
     * @param batchSize the number of examples
     */
    public record Terms(Tensor loss, Tensor reconstruction, Tensor kl, Tensor klPerDim,
                        DiagonalGaussian posterior, Tensor z, int batchSize) implements Objective.Value {
    }

    /**
     * {@inheritDoc}
     *
     * <p>Draws {@code batch * latent} normals from {@code rng}.
     *
     * @throws IllegalArgumentException in {@link KlMode#ANALYTIC} mode with a prior that has no
     *                                  closed-form KL
     */
    @Override
    public Terms compute(Tensor x, Function<Tensor, DiagonalGaussian> encoder,
                         Function<Tensor, ? extends Distribution> decoder, Distribution prior, Rng rng) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(decoder, "decoder");
        Objects.requireNonNull(prior, "prior");
        Objects.requireNonNull(rng, "rng");
        if (x.rank() == 0) {
            throw new ShapeException("NegativeElbo: x must have a batch axis, got a scalar");
        }
        int batch = x.dim(0);
        DiagonalGaussian q = Objects.requireNonNull(encoder.apply(x), "encoder returned null");
        checkPosterior(q, batch, prior);
        Tensor z = q.rsample(rng);
        Distribution px = Objects.requireNonNull(decoder.apply(z), "decoder returned null");
        Tensor logPx = px.logProb(x);
        checkBatch("decoder log-likelihood", logPx, batch);
        Tensor reconstruction = logPx.sum().neg();

        Tensor perElement = analyticPerDim(q, prior);
        Tensor klPerDim = perElement == null ? null : perElement.mean(false, 0);
        Tensor kl;
        if (mode == KlMode.ANALYTIC) {
            if (perElement == null) {
                throw new IllegalArgumentException("NegativeElbo: the prior " + prior.getClass().getSimpleName()
                        + " has no closed-form KL; use KlMode.MONTE_CARLO");
            }
            kl = perElement.sum();
        } else {
            kl = q.logProb(z).sub(prior.logProb(z)).sum();
        }
        Tensor klTerm = freeBits > 0 ? klPerDim.maximum(freeBits).sum().mul((double) batch) : kl;
        Tensor loss = reconstruction.add(klTerm.mul(beta));
        return new Terms(loss, reconstruction, kl, klPerDim, q, z, batch);
    }

    /** @return the element-wise analytic KL, shape (batch, latent), or null if there is no closed form */
    static Tensor analyticPerDim(DiagonalGaussian q, Distribution prior) {
        if (prior instanceof StandardNormal) {
            return q.klPerDimToStandardNormal();
        }
        if (prior instanceof DiagonalGaussian p) {
            Tensor k = q.klPerDim(p);
            if (!Shapes.equal(k.shape(), q.shape())) {
                throw new ShapeException("NegativeElbo: prior " + Shapes.format(p.shape()) + " does not fit posterior "
                        + Shapes.format(q.shape()));
            }
            return k;
        }
        return null;
    }

    static void checkPosterior(DiagonalGaussian q, int batch, Distribution prior) {
        int[] s = q.shape();
        if (s.length != 2 || s[0] != batch) {
            throw new ShapeException("encoder returned a posterior of shape " + Shapes.format(s)
                    + ", expected (" + batch + ", latent)");
        }
        if (prior instanceof StandardNormal sn && sn.dim() != s[1]) {
            throw new ShapeException("prior " + sn + " does not fit posterior " + Shapes.format(s));
        }
    }

    static void checkBatch(String what, Tensor t, int batch) {
        int[] s = t.shape();
        if (s.length != 1 || s[0] != batch) {
            throw new ShapeException(what + " has shape " + Shapes.format(s) + ", expected (" + batch + ")");
        }
    }

    @Override
    public String toString() {
        return "NegativeElbo(beta=" + beta + ", freeBits=" + freeBits + ", kl=" + mode + ")";
    }
}
