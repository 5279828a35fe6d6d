package dev.vae.api.spi;

/**
 * Hyper-parameters of one Adam/AdamW step, with the bias corrections already folded in.
 *
 * @param lr learning rate
 * @param beta1 first-moment decay
 * @param beta2 second-moment decay
 * @param eps added to the square root of the corrected second moment
 * @param biasCorrection1 1 - beta1^t
 * @param biasCorrection2 1 - beta2^t
 * @param weightDecay decoupled (AdamW) weight decay; 0 for plain Adam
 */
public record AdamHyper(double lr, double beta1, double beta2, double eps,
                        double biasCorrection1, double biasCorrection2, double weightDecay) {
}
