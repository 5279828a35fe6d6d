package dev.vae.models.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.util.List;

/**
 * Where a training run stands: enough, together with the parameters and the optimizer state, to
 * resume it so that it ends bit-identical to an uninterrupted run.
 *
 * @param epoch          the current epoch (0-based; equal to the number of epochs when done)
 * @param batch          batches already done in the current epoch
 * @param step           global optimisation steps done
 * @param shuffleCounter the shuffling generator's counter at the start of the current epoch
 *                       (the epoch's permutation is drawn again from there on resume)
 * @param noiseCounter   the noise generator's counter (reparameterisation samples)
 * @param lossSum        sum of the batch losses of the current epoch so far
 * @param reconstructionSum sum of the batch reconstruction terms of the current epoch so far
 * @param klSum          sum of the batch KL terms of the current epoch so far
 * @param epochSeconds   training seconds spent in the current epoch so far
 * @param history        metrics of the finished epochs
 */
public record TrainingState(int epoch, int batch, long step, long shuffleCounter, long noiseCounter, double lossSum,
                            double reconstructionSum, double klSum, double epochSeconds, List<EpochMetrics> history) {
    /** Copies the history. */
    public TrainingState {
        history = List.copyOf(history);
    }

    /** @return the state before the first step */
    public static TrainingState initial() {
        return new TrainingState(0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());
    }

    /** @return the state as JSON (numbers written exactly: Java's double printing round-trips) */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("epoch", epoch);
        o.addProperty("batch", batch);
        o.addProperty("step", step);
        o.addProperty("shuffle_counter", shuffleCounter);
        o.addProperty("noise_counter", noiseCounter);
        o.addProperty("loss_sum", Double.toString(lossSum));
        o.addProperty("reconstruction_sum", Double.toString(reconstructionSum));
        o.addProperty("kl_sum", Double.toString(klSum));
        o.addProperty("epoch_seconds", epochSeconds);
        o.add("history", EpochMetrics.toJson(history));
        return o.toString();
    }

    /**
     * @param json a state written by {@link #toJson()}
     * @throws IllegalArgumentException if a field is missing or invalid
     */
    public static TrainingState fromJson(String json) {
        try {
            JsonObject o = JsonParser.parseString(json).getAsJsonObject();
            JsonArray h = o.getAsJsonArray("history");
            TrainingState s = new TrainingState(o.get("epoch").getAsInt(), o.get("batch").getAsInt(), o.get("step").getAsLong(),
                    o.get("shuffle_counter").getAsLong(), o.get("noise_counter").getAsLong(),
                    Double.parseDouble(o.get("loss_sum").getAsString()), Double.parseDouble(o.get("reconstruction_sum").getAsString()),
                    Double.parseDouble(o.get("kl_sum").getAsString()), o.get("epoch_seconds").getAsDouble(),
                    EpochMetrics.listFromJson(h));
            if (s.epoch < 0 || s.batch < 0 || s.step < 0) {
                throw new IllegalArgumentException("negative epoch, batch or step");
            }
            return s;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("training state is invalid: " + e.getMessage(), e);
        }
    }
}
