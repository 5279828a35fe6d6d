package dev.vae.models.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.vae.models.vae.KlRegularizer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of a training run. The defaults ({@link #recipe()}) are the pytorch/examples VAE
 * recipe: 10 epochs, batch 128, Adam 1e-3, constant rate, no clipping, plain ELBO, seed 1.
 *
 * @param epochs              epochs to train
 * @param batchSize           examples per step (the last partial batch of an epoch is kept)
 * @param seed                seeds shuffling, noise and evaluation (streams of one Philox key)
 * @param optimizer           the optimizer
 * @param schedule            the learning-rate schedule
 * @param clipNorm            maximum global gradient norm, 0 for no clipping
 * @param regularizer         the KL term (β, capacity, warm-up, free bits)
 * @param evalBatchSize       examples per evaluation batch
 * @param evaluate            evaluate the test set after every epoch
 * @param checkpoint          where to write checkpoints (null: none)
 * @param checkpointEverySteps also write one every this many steps (0: only after each epoch)
 */
public record TrainConfig(int epochs, int batchSize, long seed, OptimizerSpec optimizer, LrSchedule schedule,
                          double clipNorm, KlRegularizer regularizer, int evalBatchSize, boolean evaluate,
                          Path checkpoint, long checkpointEverySteps) {
    /** Validates the values. */
    public TrainConfig {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(regularizer, "regularizer");
        if (epochs < 0 || batchSize < 1 || evalBatchSize < 1 || checkpointEverySteps < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, batch sizes >= 1 and the checkpoint interval >= 0");
        }
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("gradient clipping norm must be finite and >= 0, got " + clipNorm);
        }
    }

    /** @return the pytorch/examples recipe (see the class description) */
    public static TrainConfig recipe() {
        return new TrainConfig(10, 128, 1, OptimizerSpec.adam(1e-3), new LrSchedule.Constant(), 0,
                KlRegularizer.none(), 128, true, null, 0);
    }

    /** @return this config with another number of epochs */
    public TrainConfig withEpochs(int n) {
        return new TrainConfig(n, batchSize, seed, optimizer, schedule, clipNorm, regularizer, evalBatchSize, evaluate, checkpoint, checkpointEverySteps);
    }

    /** @return this config with another batch size (training and evaluation) */
    public TrainConfig withBatchSize(int n) {
        return new TrainConfig(epochs, n, seed, optimizer, schedule, clipNorm, regularizer, n, evaluate, checkpoint, checkpointEverySteps);
    }

    /** @return this config with another seed */
    public TrainConfig withSeed(long s) {
        return new TrainConfig(epochs, batchSize, s, optimizer, schedule, clipNorm, regularizer, evalBatchSize, evaluate, checkpoint, checkpointEverySteps);
    }

    /** @return this config with another optimizer */
    public TrainConfig withOptimizer(OptimizerSpec o) {
        return new TrainConfig(epochs, batchSize, seed, o, schedule, clipNorm, regularizer, evalBatchSize, evaluate, checkpoint, checkpointEverySteps);
    }

    /** @return this config with another learning-rate schedule */
    public TrainConfig withSchedule(LrSchedule s) {
        return new TrainConfig(epochs, batchSize, seed, optimizer, s, clipNorm, regularizer, evalBatchSize, evaluate, checkpoint, checkpointEverySteps);
    }

    /** @return this config with gradient clipping at {@code norm} (0: off) */
    public TrainConfig withClipNorm(double norm) {
        return new TrainConfig(epochs, batchSize, seed, optimizer, schedule, norm, regularizer, evalBatchSize, evaluate, checkpoint, checkpointEverySteps);
    }

    /** @return this config with another KL regulariser */
    public TrainConfig withRegularizer(KlRegularizer r) {
        return new TrainConfig(epochs, batchSize, seed, optimizer, schedule, clipNorm, r, evalBatchSize, evaluate, checkpoint, checkpointEverySteps);
    }

    /** @return this config with or without evaluation after every epoch */
    public TrainConfig withEvaluation(boolean on) {
        return new TrainConfig(epochs, batchSize, seed, optimizer, schedule, clipNorm, regularizer, evalBatchSize, on, checkpoint, checkpointEverySteps);
    }

    /** @return this config writing checkpoints to {@code file}, also every {@code everySteps} steps if positive */
    public TrainConfig withCheckpoint(Path file, long everySteps) {
        return new TrainConfig(epochs, batchSize, seed, optimizer, schedule, clipNorm, regularizer, evalBatchSize, evaluate, file, everySteps);
    }

    /** @return the settings that determine the results, as JSON (the checkpoint path is left out) */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("epochs", epochs);
        o.addProperty("batch_size", batchSize);
        o.addProperty("seed", seed);
        o.add("optimizer", optimizer.toJson());
        o.addProperty("lr_schedule", schedule.spec());
        o.addProperty("clip_norm", clipNorm);
        o.add("regularizer", JsonParser.parseString(regularizer.toJson()));
        o.addProperty("eval_batch_size", evalBatchSize);
        o.addProperty("evaluate", evaluate);
        o.addProperty("checkpoint_every_steps", checkpointEverySteps);
        return o.toString();
    }

    /**
     * @param json    settings written by {@link #toJson()}
     * @param file    the checkpoint path to use (null: none)
     * @throws IllegalArgumentException if a field is missing or invalid
     */
    public static TrainConfig fromJson(String json, Path file) {
        try {
            JsonObject o = JsonParser.parseString(json).getAsJsonObject();
            return new TrainConfig(o.get("epochs").getAsInt(), o.get("batch_size").getAsInt(), o.get("seed").getAsLong(),
                    OptimizerSpec.fromJson(o.getAsJsonObject("optimizer")), LrSchedule.parse(o.get("lr_schedule").getAsString()),
                    o.get("clip_norm").getAsDouble(), KlRegularizer.fromJson(o.get("regularizer").toString()),
                    o.get("eval_batch_size").getAsInt(), o.get("evaluate").getAsBoolean(), file,
                    o.get("checkpoint_every_steps").getAsLong());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("training settings are invalid: " + e.getMessage(), e);
        }
    }
}
