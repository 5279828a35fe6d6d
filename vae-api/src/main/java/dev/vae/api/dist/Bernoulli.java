package dev.vae.api.dist;

import dev.vae.api.GradMode;
import dev.vae.api.ShapeException;
import dev.vae.api.Shapes;
import dev.vae.api.Tensor;
import dev.vae.api.random.Rng;

import java.util.Arrays;
import java.util.Objects;

/**
 * Independent Bernoulli variables parameterised by logits {@code l} (probability
 * {@code sigmoid(l)}), of shape {@code (batch..., d)} with rank at least 1. The log-likelihood uses
 * the backend's fused, numerically stable {@link Tensor#bernoulliLogProb} ({@code x l - softplus(l)}),
 * finite for any finite logits, and accepts targets anywhere in [0, 1] (the "continuous Bernoulli"
 * without its normaliser, as binary cross-entropy on grey-scale images).
 */
public final class Bernoulli implements Distribution {
    private final Tensor logits;

    /**
     * @param logits shape {@code (..., d)}, rank {@code >= 1}, not null
     * @throws ShapeException if the rank is 0
     */
    public Bernoulli(Tensor logits) {
        Objects.requireNonNull(logits, "logits");
        if (logits.rank() == 0) {
            throw new ShapeException("Bernoulli: logits must have rank >= 1, got a scalar");
        }
        this.logits = logits;
    }

    /** @return the logits (the tensor given to the constructor) */
    public Tensor logits() {
        return logits;
    }

    /** @return the probabilities {@code sigmoid(logits)}, differentiable */
    public Tensor probs() {
        return logits.sigmoid();
    }

    /** @return the probabilities {@code sigmoid(logits)} */
    @Override
    public Tensor mean() {
        return probs();
    }

    /**
     * {@code sum(x l - softplus(l))} over the last axis; {@code x} and the logits are broadcast to a
     * common shape first if they differ.
     */
    @Override
    public Tensor logProb(Tensor x) {
        Objects.requireNonNull(x, "x");
        int[] ls = logits.shape();
        int[] xs = x.shape();
        Tensor l = logits;
        Tensor t = x;
        if (!Arrays.equals(ls, xs)) {
            int[] b = Shapes.broadcast(ls, xs);
            if (!Arrays.equals(b, ls)) {
                l = logits.broadcastTo(b);
            }
            if (!Arrays.equals(b, xs)) {
                t = x.broadcastTo(b);
            }
        }
        return Tensor.bernoulliLogProb(l, t).sum(-1);
    }

    /**
     * Draws {@code 1} where a uniform from {@code rng} (drawn by the backend,
     * {@link dev.vae.api.Backend#rand}) is below {@code sigmoid(l)}, else {@code 0}.
     *
     * @param rng the generator, advanced by {@code size(logits)} uniforms; not null
     * @return 0/1 values of the logits' shape and dtype, not requiring gradients
     */
    @Override
    public Tensor sample(Rng rng) {
        Objects.requireNonNull(rng, "rng");
        try (GradMode.Guard g = GradMode.disable()) {
            Tensor u = logits.backend().rand(rng, logits.dtype(), logits.shape());
            return u.lt(logits.sigmoid());
        }
    }

    /**
     * @return the entropy {@code sum(softplus(l) - l sigmoid(l))} over the last axis, in nats, of
     *         shape {@code (batch...)}
     */
    public Tensor entropy() {
        return logits.softplus().sub(logits.mul(logits.sigmoid())).sum(-1);
    }

    @Override
    public String toString() {
        return "Bernoulli" + Shapes.format(logits.shape());
    }
}
