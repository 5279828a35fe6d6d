package dev.vae.models.vae;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.vae.api.Tensor;

/**
 * How the KL term enters the training loss, as a function of the optimisation step. With the KL
 * summed over a batch of n examples, {@code KL = Σ_n KL(q(z|x_n) || p(z))}, the term is
 * <ul>
 *   <li>{@code w(t) · β · KL} (plain VAE for β = 1, β-VAE of Higgins et al. for β > 1), or</li>
 *   <li>{@code w(t) · γ · |KL − n · C(t)|} with capacity annealing (Burgess et al. 2018):
 *       {@code C(t) = C_max · min(1, t / T_C)} nats per example,</li>
 * </ul>
 * where {@code w(t) = min(1, t / T_w)} is a linear KL warm-up over {@code T_w} steps (1 when
 * {@code T_w = 0}). With free bits λ > 0 (Kingma et al. 2016) KL is replaced by
 * {@code n · Σ_j max(λ, mean_n KL_nj)}: a latent dimension whose batch-average KL is below λ nats
 * gets no gradient pushing it further down. The reported KL is always the true one.
 *
 * @param beta           β ≥ 0 (ignored with capacity annealing)
 * @param warmupSteps    T_w ≥ 0 (0: no warm-up)
 * @param freeBits       λ ≥ 0 nats per latent dimension (0: off)
 * @param capacityGamma  γ > 0 to enable capacity annealing, 0 to disable
 * @param capacityMax    C_max ≥ 0 nats per example
 * @param capacitySteps  T_C ≥ 0 (0: C = C_max from the start)
 */
public record KlRegularizer(double beta, long warmupSteps, double freeBits, double capacityGamma,
                            double capacityMax, long capacitySteps) {
    /** Validates every field. */
    public KlRegularizer {
        check("beta", beta);
        check("free bits", freeBits);
        check("capacity gamma", capacityGamma);
        check("capacity maximum", capacityMax);
        if (warmupSteps < 0 || capacitySteps < 0) {
            throw new IllegalArgumentException("warm-up and capacity steps must be >= 0");
        }
    }

    private static void check(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be finite and >= 0, got " + v);
        }
    }

    /** @return the plain VAE: β = 1, nothing else */
    public static KlRegularizer none() {
        return new KlRegularizer(1, 0, 0, 0, 0, 0);
    }

    /** @return a β-VAE */
    public static KlRegularizer beta(double beta) {
        return new KlRegularizer(beta, 0, 0, 0, 0, 0);
    }

    /** @return capacity annealing γ·|KL − C| with C rising linearly to {@code max} over {@code steps} */
    public static KlRegularizer capacity(double gamma, double max, long steps) {
        if (!(gamma > 0)) {
            throw new IllegalArgumentException("capacity gamma must be positive, got " + gamma);
        }
        return new KlRegularizer(1, 0, 0, gamma, max, steps);
    }

    /** @return this with a linear KL warm-up over {@code steps} */
    public KlRegularizer withWarmup(long steps) {
        return new KlRegularizer(beta, steps, freeBits, capacityGamma, capacityMax, capacitySteps);
    }

    /** @return this with free bits λ nats per latent dimension */
    public KlRegularizer withFreeBits(double lambda) {
        return new KlRegularizer(beta, warmupSteps, lambda, capacityGamma, capacityMax, capacitySteps);
    }

    /** @return true if capacity annealing is on */
    public boolean usesCapacity() {
        return capacityGamma > 0;
    }

    /** @return true for the plain ELBO (β = 1, no warm-up, free bits or capacity) */
    public boolean isPlain() {
        return beta == 1 && warmupSteps == 0 && freeBits == 0 && !usesCapacity();
    }

    /** @return the warm-up weight w(t) at step {@code t} (0-based) */
    public double warmup(long step) {
        return warmupSteps == 0 ? 1.0 : Math.min(1.0, (double) step / warmupSteps);
    }

    /** @return the capacity C(t) in nats per example at step {@code t} */
    public double capacity(long step) {
        return capacitySteps == 0 ? capacityMax : capacityMax * Math.min(1.0, (double) step / capacitySteps);
    }

    /**
     * @param kl       the true KL summed over the batch (scalar)
     * @param klPerDim the KL per latent dimension averaged over the batch, shape (latent)
     * @param batch    the number of examples
     * @param step     the optimisation step (0-based)
     * @return the KL term of the loss (a differentiable scalar)
     */
    public Tensor term(Tensor kl, Tensor klPerDim, int batch, long step) {
        Tensor k = freeBits > 0 ? klPerDim.maximum(freeBits).sum().mul((double) batch) : kl;
        double w = warmup(step);
        if (usesCapacity()) {
            return k.sub(batch * capacity(step)).abs().mul(w * capacityGamma);
        }
        return k.mul(w * beta);
    }

    /** @return the settings as a JSON object */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("beta", beta);
        o.addProperty("warmup_steps", warmupSteps);
        o.addProperty("free_bits", freeBits);
        o.addProperty("capacity_gamma", capacityGamma);
        o.addProperty("capacity_max", capacityMax);
        o.addProperty("capacity_steps", capacitySteps);
        return o.toString();
    }

    /**
     * @param json settings written by {@link #toJson()}
     * @throws IllegalArgumentException if a field is missing or invalid
     */
    public static KlRegularizer fromJson(String json) {
        try {
            JsonObject o = JsonParser.parseString(json).getAsJsonObject();
            return new KlRegularizer(o.get("beta").getAsDouble(), o.get("warmup_steps").getAsLong(),
                    o.get("free_bits").getAsDouble(), o.get("capacity_gamma").getAsDouble(),
                    o.get("capacity_max").getAsDouble(), o.get("capacity_steps").getAsLong());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("KL regulariser settings are invalid: " + e.getMessage(), e);
        }
    }
}
