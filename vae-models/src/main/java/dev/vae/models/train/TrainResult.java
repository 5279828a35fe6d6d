package dev.vae.models.train;

import java.nio.file.Path;
import java.util.List;

/**
 * How a call to {@link Trainer#fit} ended.
 *
 * @param status     completed, stopped on request, or diverged
 * @param message    one line for the user (why training stopped, where the checkpoint is)
 * @param history    the metrics of every finished epoch of the run (including epochs before a resume)
 * @param state      the progress when training ended
 * @param checkpoint the last checkpoint written (null if none)
 */
public record TrainResult(Status status, String message, List<EpochMetrics> history, TrainingState state, Path checkpoint) {
    /** Copies the history. */
    public TrainResult {
        history = List.copyOf(history);
    }

    /** How training ended. */
    public enum Status {
        /** All epochs ran. */
        COMPLETED,
        /** {@link Trainer#requestStop()} was called; a checkpoint was written if configured. */
        STOPPED,
        /** The loss or the gradient norm became NaN or infinite; the model holds the last finite state. */
        DIVERGED
    }
}
