package dev.vae.api.optim;

import dev.vae.api.Tensor;
import dev.vae.api.spi.AdamHyper;

import java.util.List;
import java.util.Map;

/** Shared implementation of {@link Adam} and {@link AdamW} over the fused {@code adamStep} kernel. */
abstract class AbstractAdam extends Optimizer {
    static final String EXP_AVG = "exp_avg";
    static final String EXP_AVG_SQ = "exp_avg_sq";

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;

    AbstractAdam(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                 boolean decoupled) {
        super(params, lr);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got (" + beta1 + ", " + beta2 + ")");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = checkNonNegative("eps", eps);
        this.weightDecay = checkNonNegative("weight decay", weightDecay);
        this.decoupled = decoupled;
    }

    /** @return the first-moment decay β1 */
    public double beta1() {
        return beta1;
    }

    /** @return the second-moment decay β2 */
    public double beta2() {
        return beta2;
    }

    /** @return the term added to the denominator */
    public double eps() {
        return eps;
    }

    /** @return the weight decay (L2 for Adam, decoupled for AdamW) */
    public double weightDecay() {
        return weightDecay;
    }

    @Override
    protected List<String> stateNames() {
        return List.of(EXP_AVG, EXP_AVG_SQ);
    }

    @Override
    protected void update(String name, Tensor param, Tensor grad, long step) {
        Tensor m = stateOrFill(name, EXP_AVG, 0.0);
        Tensor v = stateOrFill(name, EXP_AVG_SQ, 0.0);
        Tensor g = !decoupled && weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
        AdamHyper h = new AdamHyper(learningRate(), beta1, beta2, eps, 1 - Math.pow(beta1, step),
                1 - Math.pow(beta2, step), decoupled ? weightDecay : 0.0);
        param.backend().kernels().adamStep(param.array(), g.array(), m.array(), v.array(), h);
    }
}
