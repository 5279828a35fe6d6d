package dev.vae.api.optim;

import dev.vae.api.Tensor;

import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) with the semantics of {@code torch.optim.Adam} (without amsgrad): for
 * each parameter with gradient {@code g} at its step {@code t},
 * <pre>
 *   g = g + weight_decay * p                      (L2 penalty, if weight_decay != 0)
 *   m = β1 m + (1 - β1) g;   v = β2 v + (1 - β2) g²
 *   p = p - lr * (m / (1 - β1^t)) / (sqrt(v / (1 - β2^t)) + eps)
 * </pre>
 * through the backend's fused {@link dev.vae.api.spi.Kernels#adamStep} kernel. State:
 * {@code exp_avg} (m) and {@code exp_avg_sq} (v), zeros at the first step.
 */
public final class Adam extends AbstractAdam {

    /**
     * PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay.
     *
     * @param params the parameters by name, not null
     * @param lr the learning rate (PyTorch's default is 1e-3), finite and {@code >= 0}
     */
    public Adam(Map<String, Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0.0);
    }

    /**
     * @param params the parameters by name, not null
     * @param lr the learning rate, finite and {@code >= 0}
     * @param beta1 first-moment decay in [0, 1)
     * @param beta2 second-moment decay in [0, 1)
     * @param eps added to the denominator, {@code >= 0}
     * @param weightDecay L2 penalty coefficient added to the gradient, {@code >= 0}
     * @throws IllegalArgumentException for values out of range
     */
    public Adam(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(params, lr, beta1, beta2, eps, weightDecay, false);
    }

    /** @return {@code "adam"} */
    @Override
    public String name() {
        return "adam";
    }
}
