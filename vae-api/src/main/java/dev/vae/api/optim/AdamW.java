package dev.vae.api.optim;

import dev.vae.api.Tensor;

import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019), with the semantics of
 * {@code torch.optim.AdamW} (without amsgrad): {@code p = p * (1 - lr * weight_decay)} and then the
 * {@link Adam} update with the raw gradient, both in the backend's fused
 * {@link dev.vae.api.spi.Kernels#adamStep} kernel. State: {@code exp_avg}, {@code exp_avg_sq}.
 */
public final class AdamW extends AbstractAdam {

    /**
     * PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01.
     *
     * @param params the parameters by name, not null
     * @param lr the learning rate (PyTorch's default is 1e-3), finite and {@code >= 0}
     */
    public AdamW(Map<String, Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0.01);
    }

    /**
     * @param params the parameters by name, not null
     * @param lr the learning rate, finite and {@code >= 0}
     * @param beta1 first-moment decay in [0, 1)
     * @param beta2 second-moment decay in [0, 1)
     * @param eps added to the denominator, {@code >= 0}
     * @param weightDecay decoupled weight decay coefficient, {@code >= 0}
     * @throws IllegalArgumentException for values out of range
     */
    public AdamW(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(params, lr, beta1, beta2, eps, weightDecay, true);
    }

    /** @return {@code "adamw"} */
    @Override
    public String name() {
        return "adamw";
    }
}
