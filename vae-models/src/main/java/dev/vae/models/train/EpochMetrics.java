package dev.vae.models.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The metrics of one finished epoch. Training values are averages over the epoch's batches per
 * example (the loss including the KL regularisation as trained; reconstruction and KL the true
 * parts); test values come from the single-sample negative ELBO on the test set (NaN when the
 * epoch was not evaluated).
 *
 * @param epoch             the epoch (1-based, as printed)
 * @param step              global steps completed
 * @param trainLoss         training loss per example
 * @param trainReconstruction training reconstruction term per example
 * @param trainKl           training KL per example
 * @param testLoss          test negative ELBO per example
 * @param testReconstruction test reconstruction term per example
 * @param testKl            test KL per example
 * @param activeUnits       active latent units on the test set (-1 if not evaluated)
 * @param seconds           training seconds of the epoch (without evaluation)
 * @param evalSeconds       evaluation seconds
 * @param samplesPerSecond  training throughput
 * @param learningRate      the learning rate at the epoch's last step
 * @param backend           the backend's name
 */
public record EpochMetrics(int epoch, long step, double trainLoss, double trainReconstruction, double trainKl,
                           double testLoss, double testReconstruction, double testKl, int activeUnits,
                           double seconds, double evalSeconds, double samplesPerSecond, double learningRate,
                           String backend) {

    /** @return one JSON object (non-finite numbers written as null) */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("epoch", epoch);
        o.addProperty("step", step);
        num(o, "train_loss", trainLoss);
        num(o, "train_reconstruction", trainReconstruction);
        num(o, "train_kl", trainKl);
        num(o, "test_loss", testLoss);
        num(o, "test_reconstruction", testReconstruction);
        num(o, "test_kl", testKl);
        o.addProperty("active_units", activeUnits);
        num(o, "seconds", seconds);
        num(o, "eval_seconds", evalSeconds);
        num(o, "samples_per_second", samplesPerSecond);
        num(o, "learning_rate", learningRate);
        o.addProperty("backend", backend);
        return o;
    }

    private static void num(JsonObject o, String k, double v) {
        if (Double.isFinite(v)) {
            o.addProperty(k, v);
        } else {
            o.add(k, com.google.gson.JsonNull.INSTANCE);
        }
    }

    private static double num(JsonObject o, String k) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }

    /** @return metrics read from {@link #toJson()}'s output */
    public static EpochMetrics fromJson(JsonObject o) {
        return new EpochMetrics(o.get("epoch").getAsInt(), o.get("step").getAsLong(), num(o, "train_loss"),
                num(o, "train_reconstruction"), num(o, "train_kl"), num(o, "test_loss"), num(o, "test_reconstruction"),
                num(o, "test_kl"), o.get("active_units").getAsInt(), num(o, "seconds"), num(o, "eval_seconds"),
                num(o, "samples_per_second"), num(o, "learning_rate"), o.get("backend").getAsString());
    }

    /** @return a list of metrics as a JSON array */
    public static JsonArray toJson(List<EpochMetrics> list) {
        JsonArray a = new JsonArray();
        list.forEach(m -> a.add(m.toJson()));
        return a;
    }

    /** @return metrics read from a JSON array */
    public static List<EpochMetrics> listFromJson(JsonArray a) {
        List<EpochMetrics> out = new ArrayList<>();
        a.forEach(e -> out.add(fromJson(e.getAsJsonObject())));
        return out;
    }
}
