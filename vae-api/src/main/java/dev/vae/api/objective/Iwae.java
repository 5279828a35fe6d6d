package dev.vae.api.objective;

import dev.vae.api.ShapeException;
import dev.vae.api.Tensor;
import dev.vae.api.dist.DiagonalGaussian;
import dev.vae.api.dist.Distribution;
import dev.vae.api.random.Rng;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The importance-weighted bound (Burda et al. 2016) with {@code k} samples: per example
 * <pre>
 *   L_k(x) = log (1/k) Σ_i p(x, z_i) / q(z_i | x),   z_i ~ q(z|x) independently,
 * </pre>
 * computed stably with {@link Tensor#logSumExp} over the sample axis. {@code L_1} is the
 * single-sample ELBO (with the Monte-Carlo KL), {@code E[L_k]} increases with {@code k} and tends to
 * {@code log p(x)}: with large {@code k} it is the usual test log-likelihood estimate. The loss is
 * {@code -Σ_n L_k(x_n)} (a sum over the batch, like {@link NegativeElbo}).
 *
 * <p>Samples can be processed in chunks of {@code chunk} to bound memory (the decoder sees
 * {@code chunk * batch} latents at a time); chunking draws the noise in several requests, so the
 * values differ from an unchunked run with the same generator state. Immutable and thread-safe.
 */
public final class Iwae implements Objective {
    private final int k;
    private final int chunk;

    /**
     * @param k the number of importance samples, {@code >= 1}
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public Iwae(int k) {
        this(k, k);
    }

    /**
     * @param k the number of importance samples, {@code >= 1}
     * @param chunk the most samples evaluated at once, {@code >= 1}
     * @throws IllegalArgumentException if an argument is below 1
     */
    public Iwae(int k, int chunk) {
        if (k < 1 || chunk < 1) {
            throw new IllegalArgumentException("Iwae needs k >= 1 and chunk >= 1, got k=" + k + ", chunk=" + chunk);
        }
        this.k = k;
        this.chunk = Math.min(chunk, k);
    }

    /** @return the number of importance samples */
    public int k() {
        return k;
    }

    /** @return the most samples evaluated at once */
    public int chunk() {
        return chunk;
    }

    /**
     * The importance-weighted estimate for one batch (all tensors belong to the current scope).
     *
     * @param loss {@code -Σ_n L_k(x_n)}, a differentiable scalar
     * @param logLikelihood {@code L_k(x_n)} per example, shape {@code (batch)}, in nats
     * @param logWeights {@code log p(x_n, z_in) - log q(z_in | x_n)}, shape {@code (k, batch)}
     * @param posterior {@code q(z|x)} as returned by the encoder
     * @param batchSize the number of examples
     */
    public record Estimate(Tensor loss, Tensor logLikelihood, Tensor logWeights, DiagonalGaussian posterior,
                           int batchSize) implements Objective.Value {
    }

    /**
     * {@inheritDoc}
     *
     * <p>Draws {@code k * batch * latent} normals from {@code rng} (in one request per chunk); the
     * decoder is called with latents of shape {@code (chunk * batch, latent)}, sample-major (rows
     * {@code i * batch .. (i+1) * batch - 1} belong to sample {@code i}).
     */
    @Override
    public Estimate compute(Tensor x, Function<Tensor, DiagonalGaussian> encoder,
                            Function<Tensor, ? extends Distribution> decoder, Distribution prior, Rng rng) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(decoder, "decoder");
        Objects.requireNonNull(prior, "prior");
        Objects.requireNonNull(rng, "rng");
        if (x.rank() == 0) {
            throw new ShapeException("Iwae: x must have a batch axis, got a scalar");
        }
        int batch = x.dim(0);
        DiagonalGaussian q = Objects.requireNonNull(encoder.apply(x), "encoder returned null");
        NegativeElbo.checkPosterior(q, batch, prior);
        int latent = q.dim();
        List<Tensor> parts = new ArrayList<>();
        for (int done = 0; done < k; done += chunk) {
            int kc = Math.min(chunk, k - done);
            Tensor z = q.rsample(rng, kc);
            Tensor logPz = prior.logProb(z);
            Tensor logQz = q.logProb(z);
            Tensor flatZ = z.reshape(kc * batch, latent);
            Tensor xs = kc == 1 ? x : tile(x, kc);
            Distribution px = Objects.requireNonNull(decoder.apply(flatZ), "decoder returned null");
            Tensor logPx = px.logProb(xs);
            NegativeElbo.checkBatch("decoder log-likelihood", logPx, kc * batch);
            parts.add(logPx.reshape(kc, batch).add(logPz).sub(logQz));
        }
        Tensor logW = parts.size() == 1 ? parts.get(0) : Tensor.concat(parts, 0);
        Tensor ll = logW.logSumExp(0, false).sub(Math.log(k));
        return new Estimate(ll.sum().neg(), ll, logW, q, batch);
    }

    /** @return {@code x} of shape (batch, ...) repeated {@code kc} times along axis 0, sample-major */
    private static Tensor tile(Tensor x, int kc) {
        int[] s = x.shape();
        int[] one = new int[s.length + 1];
        int[] target = new int[s.length + 1];
        one[0] = 1;
        target[0] = kc;
        System.arraycopy(s, 0, one, 1, s.length);
        System.arraycopy(s, 0, target, 1, s.length);
        int[] flat = s.clone();
        flat[0] = kc * s[0];
        return x.reshape(one).broadcastTo(target).reshape(flat);
    }

    @Override
    public String toString() {
        return "Iwae(k=" + k + ", chunk=" + chunk + ")";
    }
}
