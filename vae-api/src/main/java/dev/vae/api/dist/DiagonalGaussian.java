package dev.vae.api.dist;

import dev.vae.api.GradMode;
import dev.vae.api.ShapeException;
import dev.vae.api.Shapes;
import dev.vae.api.Tensor;
import dev.vae.api.random.Rng;

import java.util.Objects;

/**
 * A Gaussian with diagonal covariance, {@code N(mu, diag(exp(logvar)))}, parameterised by its mean
 * and log-variance of the same shape {@code (batch..., d)} (rank at least 1). The usual VAE
 * posterior {@code q(z|x)}: sampling is reparameterised so that gradients flow to {@code mu} and
 * {@code logvar}, and the KL divergence to a standard normal uses the backend's fused kernel.
 */
public final class DiagonalGaussian implements Distribution {
    /** {@code log(2 pi)}. */
    static final double LOG_2PI = Math.log(2 * Math.PI);

    private final Tensor mu;
    private final Tensor logvar;

    /**
     * @param mu the mean, shape {@code (..., d)} with rank {@code >= 1}, not null
     * @param logvar the log-variance in nats, same shape, backend and dtype, not null
     * @throws ShapeException if the shapes or dtypes differ or the rank is 0
     */
    public DiagonalGaussian(Tensor mu, Tensor logvar) {
        Objects.requireNonNull(mu, "mu");
        Objects.requireNonNull(logvar, "logvar");
        if (mu.rank() == 0 || !Shapes.equal(mu.shape(), logvar.shape()) || mu.dtype() != logvar.dtype()) {
            throw new ShapeException("DiagonalGaussian: mu " + mu.dtype().label() + Shapes.format(mu.shape())
                    + " and logvar " + logvar.dtype().label() + Shapes.format(logvar.shape())
                    + " must have one shape of rank >= 1 and one dtype");
        }
        if (mu.backend() != logvar.backend()) {
            throw new IllegalArgumentException("DiagonalGaussian: mu and logvar live on different backends");
        }
        this.mu = mu;
        this.logvar = logvar;
    }

    /** @return the mean (the tensor given to the constructor) */
    public Tensor mu() {
        return mu;
    }

    /** @return the log-variance (the tensor given to the constructor) */
    public Tensor logvar() {
        return logvar;
    }

    /** @return the parameters' shape {@code (batch..., d)} */
    public int[] shape() {
        return mu.shape();
    }

    /** @return the event size {@code d} (the last dimension) */
    public int dim() {
        return mu.dim(-1);
    }

    /** @return the standard deviation {@code exp(logvar / 2)}, differentiable */
    public Tensor std() {
        return logvar.mul(0.5).exp();
    }

    /** @return the variance {@code exp(logvar)}, differentiable */
    public Tensor variance() {
        return logvar.exp();
    }

    /** @return {@link #mu()} */
    @Override
    public Tensor mean() {
        return mu;
    }

    /**
     * A reparameterised sample {@code mu + exp(logvar/2) * eps} with {@code eps ~ N(0, I)} drawn by
     * the backend from {@code rng} ({@link dev.vae.api.Backend#randn}); differentiable with respect
     * to {@code mu} and {@code logvar}.
     *
     * @param rng the generator, advanced by {@code size(mu)} normals; not null
     * @return a tensor of the parameters' shape
     */
    public Tensor rsample(Rng rng) {
        Objects.requireNonNull(rng, "rng");
        Tensor eps = mu.backend().randn(rng, mu.dtype(), mu.shape());
        return mu.add(std().mul(eps));
    }

    /**
     * {@code k} reparameterised samples stacked on a new leading axis, with one draw of
     * {@code k * size(mu)} normals (so {@code rsample(rng, 1)} uses exactly the noise of
     * {@link #rsample(Rng)}, with a leading axis of size 1).
     *
     * @param rng the generator; not null
     * @param k the number of samples, {@code >= 1}
     * @return a tensor of shape {@code (k, batch..., d)}
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public Tensor rsample(Rng rng, int k) {
        Objects.requireNonNull(rng, "rng");
        if (k < 1) {
            throw new IllegalArgumentException("rsample: k must be >= 1, got " + k);
        }
        int[] s = mu.shape();
        int[] ks = new int[s.length + 1];
        ks[0] = k;
        System.arraycopy(s, 0, ks, 1, s.length);
        Tensor eps = mu.backend().randn(rng, mu.dtype(), ks);
        return mu.add(std().mul(eps));
    }

    /** A sample (the same noise as {@link #rsample(Rng)}) that does not require gradients. */
    @Override
    public Tensor sample(Rng rng) {
        try (GradMode.Guard g = GradMode.disable()) {
            return rsample(rng);
        }
    }

    /**
     * {@code log N(x; mu, exp(logvar))} summed over the last axis:
     * {@code -1/2 sum((x-mu)^2 exp(-logvar) + logvar + log 2pi)}.
     */
    @Override
    public Tensor logProb(Tensor x) {
        Objects.requireNonNull(x, "x");
        Tensor quad = x.sub(mu).square().mul(logvar.neg().exp());
        return quad.add(logvar).add(LOG_2PI).sum(-1).mul(-0.5);
    }

    /**
     * @return the differential entropy {@code 1/2 sum(1 + log 2pi + logvar)} over the last axis, in
     *         nats, of shape {@code (batch...)}
     */
    public Tensor entropy() {
        return logvar.add(1.0 + LOG_2PI).sum(-1).mul(0.5);
    }

    /**
     * Element-wise {@code KL(N(mu_i, var_i) || N(0, 1)) = (var + mu^2 - 1 - logvar) / 2} through the
     * backend's fused kernel, not summed: the per-dimension KL used by free-bits objectives and to
     * count active latent units.
     *
     * @return a tensor of the parameters' shape, in nats
     */
    public Tensor klPerDimToStandardNormal() {
        return Tensor.gaussianKlStdNormal(mu, logvar);
    }

    /** @return {@code KL(this || N(0, I))} summed over the last axis, shape {@code (batch...)}, in nats */
    public Tensor klToStandardNormal() {
        return klPerDimToStandardNormal().sum(-1);
    }

    /**
     * Analytic element-wise {@code KL(N(mu1_i, var1_i) || N(mu2_i, var2_i))}, not summed:
     * {@code 1/2 (lv2 - lv1 + (exp(lv1) + (mu1 - mu2)^2) exp(-lv2) - 1)}.
     *
     * @param other broadcast-compatible parameters, same backend and dtype; not null
     * @return the divergence per component in nats, of the broadcast shape
     * @throws ShapeException if the shapes do not broadcast
     */
    public Tensor klPerDim(DiagonalGaussian other) {
        Objects.requireNonNull(other, "other");
        Tensor ratio = logvar.exp().add(mu.sub(other.mu).square()).mul(other.logvar.neg().exp());
        return ratio.add(other.logvar.sub(logvar)).sub(1.0).mul(0.5);
    }

    /**
     * Analytic {@code KL(this || other)} between diagonal Gaussians, summed over the last axis.
     *
     * @param other broadcast-compatible parameters, same backend and dtype; not null
     * @return the divergence in nats, of the broadcast shape without its last axis
     * @throws ShapeException if the shapes do not broadcast
     */
    public Tensor kl(DiagonalGaussian other) {
        return klPerDim(other).sum(-1);
    }

    @Override
    public String toString() {
        return "DiagonalGaussian" + Shapes.format(mu.shape());
    }
}
