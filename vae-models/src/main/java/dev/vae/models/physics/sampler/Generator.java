package dev.vae.models.physics.sampler;

import dev.vae.api.Tensor;
import dev.vae.api.random.Rng;
import dev.vae.models.physics.EnergyModel;

import java.util.Map;

/**
 * A trainable generative model {@code q(x)} of a system's configurations, used as a free-energy
 * sampler: it is trained by minimising the variational free energy
 * {@code F_q = E_q[U(x) + (1/beta) ln q(x)] >= F} (or, for a latent-variable model, the joint
 * bound with an auxiliary encoder), and it draws samples with a log-density that makes importance
 * weights {@code -beta U(x) - ln q(x)} exact or extended-space exact.
 *
 * <p>Configurations follow the system's convention (spins {@code -1/+1}). Training batches are
 * built from {@link Tensor} operations so they run on any backend; callers run each one inside a
 * {@link dev.vae.api.Scope}. Implementations are not thread-safe.
 */
public interface Generator extends AutoCloseable {

    /** @return a one-line description of the architecture */
    String describe();

    /** @return a short label ({@code "made"}, {@code "latent"}) */
    String kind();

    /** @return the configuration dimension {@code D} */
    int dimension();

    /** @return the backend holding the parameters */
    dev.vae.api.Backend backend();

    /** @return the parameters' element type */
    dev.vae.api.DType dtype();

    /** @return the trainable parameters (live tensors, updated in place by optimizers) */
    Map<String, Tensor> parameters();

    /**
     * One training batch: draws {@code n} samples and builds a surrogate loss whose gradient is an
     * unbiased estimate of the gradient of the (joint) variational free energy at {@code beta}.
     *
     * @param model the system
     * @param beta  the inverse temperature of this step (annealing may lower it)
     * @param n     batch size
     * @param rng   the generator of the noise
     * @return the loss and the per-sample free-energy terms
     */
    Batch trainingBatch(EnergyModel model, double beta, int n, Rng rng);

    /**
     * The differentiable mean negative log-likelihood (or its ELBO bound) of data configurations,
     * the forward-KL data term.
     *
     * @param x   data configurations of shape {@code (n, D)} in the system's convention
     * @param rng noise for latent-variable models
     * @return a scalar tensor
     */
    Tensor dataLoss(Tensor x, Rng rng);

    /**
     * Draws samples for estimation (no gradients).
     *
     * @param n   number of samples
     * @param rng the generator of the noise
     * @return configurations and their log-densities
     */
    Draw draw(int n, Rng rng);

    /** Releases the parameters. */
    @Override
    void close();

    /**
     * A training batch.
     *
     * @param loss     the scalar surrogate loss to differentiate
     * @param terms    per-sample {@code U(x) + (1/beta) ln q} (the joint bound's integrand for
     *                 latent models), whose mean is the variational free energy estimate
     */
    record Batch(Tensor loss, double[] terms) {
    }

    /**
     * Samples for estimation.
     *
     * @param x     {@code n * D} configurations, row-major, in the system's convention
     * @param logQ  {@code ln q(x_i)}: exact for autoregressive models; for latent models the
     *              extended-space importance estimate {@code ln q_K(x_i)}, which makes the weights
     *              {@code -beta U - ln q_K} exact on the extended space
     * @param n     number of samples
     */
    record Draw(double[] x, double[] logQ, int n) {
    }
}
