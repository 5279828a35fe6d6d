package dev.vae.models.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.vae.api.Tensor;
import dev.vae.api.optim.Adagrad;
import dev.vae.api.optim.Adam;
import dev.vae.api.optim.AdamW;
import dev.vae.api.optim.Optimizer;
import dev.vae.api.optim.RmsProp;
import dev.vae.api.optim.Sgd;

import java.util.Locale;
import java.util.Map;

/**
 * Which optimizer of the API to train with, and its settings (PyTorch's defaults otherwise).
 *
 * @param name        {@code adam}, {@code adamw}, {@code sgd}, {@code rmsprop} or {@code adagrad}
 * @param lr          the base learning rate
 * @param weightDecay L2 penalty (decoupled for AdamW)
 * @param momentum    momentum (SGD, RMSprop)
 */
public record OptimizerSpec(String name, double lr, double weightDecay, double momentum) {
    /** Validates the name and values. */
    public OptimizerSpec {
        name = name.trim().toLowerCase(Locale.ROOT);
        if (!java.util.Set.of("adam", "adamw", "sgd", "rmsprop", "adagrad").contains(name)) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "' (expected adam, adamw, sgd, rmsprop or adagrad)");
        }
        if (!(lr >= 0) || Double.isInfinite(lr) || !(weightDecay >= 0) || !(momentum >= 0)) {
            throw new IllegalArgumentException("learning rate, weight decay and momentum must be finite and >= 0");
        }
    }

    /** @return Adam with learning rate {@code lr} and PyTorch's other defaults */
    public static OptimizerSpec adam(double lr) {
        return new OptimizerSpec("adam", lr, 0, 0);
    }

    /** @return a new optimizer over {@code params} */
    public Optimizer create(Map<String, Tensor> params) {
        return switch (name) {
            case "adam" -> new Adam(params, lr, 0.9, 0.999, 1e-8, weightDecay);
            case "adamw" -> new AdamW(params, lr, 0.9, 0.999, 1e-8, weightDecay);
            case "sgd" -> new Sgd(params, lr, momentum, 0.0, weightDecay, false);
            case "rmsprop" -> new RmsProp(params, lr, 0.99, 1e-8, weightDecay, momentum, false);
            default -> new Adagrad(params, lr, 0.0, weightDecay, 0.0, 1e-10);
        };
    }

    /** @return the spec as a JSON object */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("lr", lr);
        o.addProperty("weight_decay", weightDecay);
        o.addProperty("momentum", momentum);
        return o;
    }

    /** @return the spec read from {@link #toJson()}'s output */
    public static OptimizerSpec fromJson(JsonObject o) {
        return new OptimizerSpec(o.get("name").getAsString(), o.get("lr").getAsDouble(),
                o.get("weight_decay").getAsDouble(), o.get("momentum").getAsDouble());
    }

    /** @return the spec read from a JSON string */
    public static OptimizerSpec fromJson(String json) {
        return fromJson(JsonParser.parseString(json).getAsJsonObject());
    }
}
