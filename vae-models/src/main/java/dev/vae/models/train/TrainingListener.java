package dev.vae.models.train;

import java.nio.file.Path;

/**
 * Receives training progress (the CLI draws progress bars from it; tests collect metrics). Called
 * on the training thread. A listener may stop training by throwing: the exception propagates
 * out of {@link Trainer#fit}, and the last checkpoint written stays on disk for a resume.
 */
public interface TrainingListener {
    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {
    };

    /**
     * Training starts (or resumes).
     *
     * @param epochs          epochs of the whole run
     * @param batchesPerEpoch batches per epoch
     * @param state           where training starts (epoch 0, batch 0 unless resumed)
     */
    default void onStart(int epochs, int batchesPerEpoch, TrainingState state) {
    }

    /** One optimisation step is done. */
    default void onStep(StepInfo step) {
    }

    /** An epoch (and its evaluation) is done. */
    default void onEpoch(EpochMetrics metrics) {
    }

    /** A checkpoint was written. */
    default void onCheckpoint(Path file, TrainingState state) {
    }

    /** Training ended (completed, stopped or diverged). */
    default void onFinish(TrainResult result) {
    }
}
