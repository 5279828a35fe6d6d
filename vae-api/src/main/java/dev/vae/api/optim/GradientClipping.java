package dev.vae.api.optim;

import dev.vae.api.GradMode;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;

import java.util.Map;

/**
 * Gradient clipping in place on parameters' {@link Tensor#grad() gradients}, like
 * {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}. Parameters without a
 * gradient are ignored. Temporaries are released before returning.
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /**
     * Scales all gradients together so that their global L2 norm is at most {@code maxNorm}: with
     * {@code total = sqrt(Σ_p ||grad_p||²)}, every gradient is multiplied by
     * {@code maxNorm / (total + 1e-6)} when that factor is below 1 (otherwise nothing changes).
     * When {@code total} is not finite the gradients are left unchanged and the caller should
     * skip the step.
     *
     * @param params the parameters by name, not null
     * @param maxNorm the largest allowed norm, finite and {@code >= 0}
     * @return the total norm before clipping (0 if no parameter has a gradient)
     * @throws IllegalArgumentException for an invalid {@code maxNorm}
     */
    public static double clipGlobalNorm(Map<String, Tensor> params, double maxNorm) {
        Optimizer.checkNonNegative("maxNorm", maxNorm);
        try (Scope s = Scope.open(); GradMode.Guard g = GradMode.disable()) {
            double sumSq = 0;
            for (Tensor p : params.values()) {
                Tensor grad = p.grad();
                if (grad != null) {
                    sumSq += grad.square().sum().item();
                }
            }
            double total = Math.sqrt(sumSq);
            double coef = maxNorm / (total + 1e-6);
            if (Double.isFinite(total) && coef < 1) {
                for (Tensor p : params.values()) {
                    Tensor grad = p.grad();
                    if (grad != null) {
                        grad.assign(grad.mul(coef));
                    }
                }
            }
            return total;
        }
    }

    /**
     * Clamps every gradient element to {@code [-clipValue, clipValue]}.
     *
     * @param params the parameters by name, not null
     * @param clipValue finite and {@code >= 0}
     * @throws IllegalArgumentException for an invalid {@code clipValue}
     */
    public static void clipValue(Map<String, Tensor> params, double clipValue) {
        Optimizer.checkNonNegative("clipValue", clipValue);
        try (Scope s = Scope.open(); GradMode.Guard g = GradMode.disable()) {
            for (Tensor p : params.values()) {
                Tensor grad = p.grad();
                if (grad != null) {
                    grad.assign(grad.maximum(-clipValue).minimum(clipValue));
                }
            }
        }
    }
}
