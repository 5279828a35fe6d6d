package dev.vae.api.optim;

import dev.vae.api.Tensor;

import java.util.List;
import java.util.Map;

/**
 * RMSprop with the semantics of {@code torch.optim.RMSprop}: for each parameter with gradient
 * {@code g},
 * <pre>
 *   g = g + weight_decay * p
 *   square_avg = α square_avg + (1 - α) g²
 *   if centered: grad_avg = grad_avg + (1 - α)(g - grad_avg); avg = sqrt(square_avg - grad_avg²) + eps
 *   else:        avg = sqrt(square_avg) + eps
 *   if momentum > 0: buf = momentum buf + g / avg; p = p - lr buf
 *   else:            p = p - lr g / avg
 * </pre>
 * State: {@code square_avg}, {@code momentum_buffer} (with momentum), {@code grad_avg} (centered),
 * all zeros at the first step.
 */
public final class RmsProp extends Optimizer {
    static final String SQUARE_AVG = "square_avg";
    static final String GRAD_AVG = "grad_avg";

    private final double alpha;
    private final double eps;
    private final double weightDecay;
    private final double momentum;
    private final boolean centered;

    /**
     * PyTorch's defaults: alpha 0.99, eps 1e-8, no weight decay, no momentum, not centered.
     *
     * @param params the parameters by name, not null
     * @param lr the learning rate (PyTorch's default is 0.01), finite and {@code >= 0}
     */
    public RmsProp(Map<String, Tensor> params, double lr) {
        this(params, lr, 0.99, 1e-8, 0.0, 0.0, false);
    }

    /**
     * @param params the parameters by name, not null
     * @param lr the learning rate, finite and {@code >= 0}
     * @param alpha smoothing constant in [0, 1]
     * @param eps added to the denominator, {@code >= 0}
     * @param weightDecay L2 penalty coefficient, {@code >= 0}
     * @param momentum momentum factor, {@code >= 0}
     * @param centered normalise by the estimated variance of the gradient instead of its second moment
     * @throws IllegalArgumentException for values out of range
     */
    public RmsProp(Map<String, Tensor> params, double lr, double alpha, double eps, double weightDecay,
                   double momentum, boolean centered) {
        super(params, lr);
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        this.alpha = alpha;
        this.eps = checkNonNegative("eps", eps);
        this.weightDecay = checkNonNegative("weight decay", weightDecay);
        this.momentum = checkNonNegative("momentum", momentum);
        this.centered = centered;
    }

    /** @return {@code "rmsprop"} */
    @Override
    public String name() {
        return "rmsprop";
    }

    /** @return the smoothing constant α */
    public double alpha() {
        return alpha;
    }

    /** @return the term added to the denominator */
    public double eps() {
        return eps;
    }

    /** @return the L2 penalty coefficient */
    public double weightDecay() {
        return weightDecay;
    }

    /** @return the momentum factor */
    public double momentum() {
        return momentum;
    }

    /** @return whether the variance-centred form is used */
    public boolean centered() {
        return centered;
    }

    @Override
    protected List<String> stateNames() {
        return List.of(SQUARE_AVG, Sgd.MOMENTUM_BUFFER, GRAD_AVG);
    }

    @Override
    protected void update(String name, Tensor param, Tensor grad, long step) {
        Tensor g = weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
        Tensor sq = stateOrFill(name, SQUARE_AVG, 0.0);
        sq.assign(sq.mul(alpha).add(g.square().mul(1 - alpha)));
        Tensor avg;
        if (centered) {
            Tensor ga = stateOrFill(name, GRAD_AVG, 0.0);
            ga.assign(ga.add(g.sub(ga).mul(1 - alpha)));
            avg = sq.sub(ga.square()).sqrt().add(eps);
        } else {
            avg = sq.sqrt().add(eps);
        }
        if (momentum > 0) {
            Tensor buf = stateOrFill(name, Sgd.MOMENTUM_BUFFER, 0.0);
            buf.assign(buf.mul(momentum).add(g.div(avg)));
            param.assign(param.sub(buf.mul(learningRate())));
        } else {
            param.assign(param.sub(g.div(avg).mul(learningRate())));
        }
    }
}
