package dev.vae.models.train;

/**
 * Progress after one optimisation step.
 *
 * @param epoch          the epoch (0-based)
 * @param batch          the batch within the epoch just done (0-based)
 * @param batchesPerEpoch batches in an epoch
 * @param step           global steps completed (1 after the first)
 * @param loss           the batch loss per example (nats)
 * @param learningRate   the learning rate used
 */
public record StepInfo(int epoch, int batch, int batchesPerEpoch, long step, double loss, double learningRate) {
}
