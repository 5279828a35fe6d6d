package dev.vae.api.optim;

import dev.vae.api.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with the semantics of {@code torch.optim.SGD}: for each parameter
 * with gradient {@code g},
 * <pre>
 *   d = g + weight_decay * p
 *   if momentum != 0:
 *       buf = d                                     (first step of this parameter)
 *       buf = momentum * buf + (1 - dampening) * d  (later steps)
 *       d = nesterov ? d + momentum * buf : buf
 *   p = p - lr * d
 * </pre>
 * State: {@code momentum_buffer} (only with momentum).
 */
public final class Sgd extends Optimizer {
    static final String MOMENTUM_BUFFER = "momentum_buffer";

    private final double momentum;
    private final double dampening;
    private final double weightDecay;
    private final boolean nesterov;

    /**
     * Plain SGD: no momentum, no weight decay.
     *
     * @param params the parameters by name, not null
     * @param lr the learning rate, finite and {@code >= 0}
     */
    public Sgd(Map<String, Tensor> params, double lr) {
        this(params, lr, 0.0, 0.0, 0.0, false);
    }

    /**
     * @param params the parameters by name, not null
     * @param lr the learning rate, finite and {@code >= 0}
     * @param momentum momentum factor, {@code >= 0}
     * @param dampening dampening of the momentum, {@code >= 0}
     * @param weightDecay L2 penalty coefficient, {@code >= 0}
     * @param nesterov Nesterov momentum; requires {@code momentum > 0} and {@code dampening == 0}
     * @throws IllegalArgumentException for values out of range
     */
    public Sgd(Map<String, Tensor> params, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        super(params, lr);
        this.momentum = checkNonNegative("momentum", momentum);
        this.dampening = checkNonNegative("dampening", dampening);
        this.weightDecay = checkNonNegative("weight decay", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
        this.nesterov = nesterov;
    }

    /** @return {@code "sgd"} */
    @Override
    public String name() {
        return "sgd";
    }

    /** @return the momentum factor */
    public double momentum() {
        return momentum;
    }

    /** @return the dampening */
    public double dampening() {
        return dampening;
    }

    /** @return the L2 penalty coefficient */
    public double weightDecay() {
        return weightDecay;
    }

    /** @return whether Nesterov momentum is used */
    public boolean nesterov() {
        return nesterov;
    }

    @Override
    protected List<String> stateNames() {
        return List.of(MOMENTUM_BUFFER);
    }

    @Override
    protected void update(String name, Tensor param, Tensor grad, long step) {
        Tensor d = weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
        if (momentum != 0) {
            Tensor buf = state(name, MOMENTUM_BUFFER);
            if (buf == null) {
                buf = putState(name, MOMENTUM_BUFFER, d);
            } else {
                buf.assign(buf.mul(momentum).add(d.mul(1 - dampening)));
            }
            d = nesterov ? d.add(buf.mul(momentum)) : buf;
        }
        param.assign(param.sub(d.mul(learningRate())));
    }
}
