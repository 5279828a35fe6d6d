package dev.vae.api.optim;

import dev.vae.api.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Adagrad with the semantics of {@code torch.optim.Adagrad}: for each parameter with gradient
 * {@code g} at its step {@code t},
 * <pre>
 *   g = g + weight_decay * p
 *   clr = lr / (1 + (t - 1) lr_decay)
 *   sum = sum + g²
 *   p = p - clr g / (sqrt(sum) + eps)
 * </pre>
 * State: {@code sum}, created for every parameter at construction filled with the initial
 * accumulator value (as in PyTorch).
 */
public final class Adagrad extends Optimizer {
    static final String SUM = "sum";

    private final double lrDecay;
    private final double weightDecay;
    private final double initialAccumulatorValue;
    private final double eps;

    /**
     * PyTorch's defaults: no learning-rate decay, no weight decay, initial accumulator 0, eps 1e-10.
     *
     * @param params the parameters by name, not null
     * @param lr the learning rate (PyTorch's default is 0.01), finite and {@code >= 0}
     */
    public Adagrad(Map<String, Tensor> params, double lr) {
        this(params, lr, 0.0, 0.0, 0.0, 1e-10);
    }

    /**
     * @param params the parameters by name, not null
     * @param lr the learning rate, finite and {@code >= 0}
     * @param lrDecay learning-rate decay per step, {@code >= 0}
     * @param weightDecay L2 penalty coefficient, {@code >= 0}
     * @param initialAccumulatorValue starting value of {@code sum}, {@code >= 0}
     * @param eps added to the denominator, {@code >= 0}
     * @throws IllegalArgumentException for values out of range
     */
    public Adagrad(Map<String, Tensor> params, double lr, double lrDecay, double weightDecay,
                   double initialAccumulatorValue, double eps) {
        super(params, lr);
        this.lrDecay = checkNonNegative("lr decay", lrDecay);
        this.weightDecay = checkNonNegative("weight decay", weightDecay);
        this.initialAccumulatorValue = checkNonNegative("initial accumulator value", initialAccumulatorValue);
        this.eps = checkNonNegative("eps", eps);
        for (String name : params.keySet()) {
            stateOrFill(name, SUM, initialAccumulatorValue);
        }
    }

    /** @return {@code "adagrad"} */
    @Override
    public String name() {
        return "adagrad";
    }

    /** @return the learning-rate decay */
    public double lrDecay() {
        return lrDecay;
    }

    /** @return the L2 penalty coefficient */
    public double weightDecay() {
        return weightDecay;
    }

    /** @return the initial accumulator value */
    public double initialAccumulatorValue() {
        return initialAccumulatorValue;
    }

    /** @return the term added to the denominator */
    public double eps() {
        return eps;
    }

    @Override
    protected List<String> stateNames() {
        return List.of(SUM);
    }

    @Override
    protected void update(String name, Tensor param, Tensor grad, long step) {
        Tensor g = weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
        double clr = learningRate() / (1 + (step - 1) * lrDecay);
        Tensor sum = stateOrFill(name, SUM, initialAccumulatorValue);
        sum.assign(sum.add(g.square()));
        param.assign(param.sub(g.div(sum.sqrt().add(eps)).mul(clr)));
    }
}
