package dev.vae.models.vae;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import dev.vae.api.DType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The architecture of a {@link VAE}: input size, hidden sizes of the encoder and decoder MLPs,
 * latent size, activation, likelihood, parameter naming and element type. Serialised as JSON into
 * checkpoints ({@link #toJson()}, {@link #fromJson(String)}).
 *
 * @param inputDim            features per sample d
 * @param encoderHidden       hidden layer sizes from the input to the heads (may be empty)
 * @param decoderHidden       hidden layer sizes from the latent to the output (may be empty)
 * @param latentDim           latent size
 * @param activation          hidden activation
 * @param likelihood          observation model
 * @param observationVariance σ² of the Gaussian likelihoods (fixed value, or the learned one's
 *                            initial value); ignored for Bernoulli
 * @param naming              parameter naming scheme
 * @param dtype               element type of the parameters
 * @param sampleShape         the shape of one sample for display (product d), e.g. 28 × 28
 */
public record VaeConfig(int inputDim, List<Integer> encoderHidden, List<Integer> decoderHidden, int latentDim,
                        Activation activation, Likelihood likelihood, double observationVariance,
                        ParameterNaming naming, DType dtype, int[] sampleShape) {
    /** The format tag stored in JSON. */
    public static final String FORMAT = "vae-mlp/1";

    /** Validates every field. */
    public VaeConfig {
        encoderHidden = List.copyOf(encoderHidden);
        decoderHidden = List.copyOf(decoderHidden);
        sampleShape = sampleShape == null ? new int[] {inputDim} : sampleShape.clone();
        if (inputDim < 1 || latentDim < 1) {
            throw new IllegalArgumentException("input and latent sizes must be positive, got " + inputDim + " and " + latentDim);
        }
        for (int h : encoderHidden) {
            if (h < 1) {
                throw new IllegalArgumentException("encoder hidden sizes must be positive: " + encoderHidden);
            }
        }
        for (int h : decoderHidden) {
            if (h < 1) {
                throw new IllegalArgumentException("decoder hidden sizes must be positive: " + decoderHidden);
            }
        }
        if (activation == null || likelihood == null || naming == null || dtype == null) {
            throw new IllegalArgumentException("activation, likelihood, naming and dtype must be given");
        }
        if (!(observationVariance > 0) || Double.isInfinite(observationVariance)) {
            throw new IllegalArgumentException("observation variance must be positive and finite, got " + observationVariance);
        }
        if (naming == ParameterNaming.PYTORCH_EXAMPLES && (encoderHidden.size() != 1 || decoderHidden.size() != 1)) {
            throw new IllegalArgumentException("the pytorch-examples naming (fc1, fc21, fc22, fc3, fc4) needs exactly one hidden "
                    + "layer on each side, got " + encoderHidden + " and " + decoderHidden);
        }
        long p = 1;
        for (int s : sampleShape) {
            p *= s;
        }
        if (p != inputDim) {
            throw new IllegalArgumentException("sample shape " + Arrays.toString(sampleShape) + " does not hold " + inputDim + " features");
        }
    }

    /**
     * The pytorch/examples VAE: 784-400-20, ReLU, Bernoulli decoder, names fc1 ... fc4.
     */
    public static VaeConfig pytorchExamples() {
        return new VaeConfig(784, List.of(400), List.of(400), 20, Activation.RELU, Likelihood.BERNOULLI, 1.0,
                ParameterNaming.PYTORCH_EXAMPLES, DType.FLOAT32, new int[] {28, 28});
    }

    /**
     * An MLP VAE with mirrored hidden sizes, ReLU, Bernoulli likelihood, float32, and the naming
     * of pytorch/examples for one hidden layer or {@link ParameterNaming#SEQUENTIAL} otherwise.
     */
    public static VaeConfig mlp(int inputDim, List<Integer> hidden, int latentDim) {
        List<Integer> rev = new ArrayList<>(hidden);
        java.util.Collections.reverse(rev);
        return new VaeConfig(inputDim, hidden, rev, latentDim, Activation.RELU, Likelihood.BERNOULLI, 1.0,
                hidden.size() == 1 ? ParameterNaming.PYTORCH_EXAMPLES : ParameterNaming.SEQUENTIAL, DType.FLOAT32, null);
    }

    /** @return a copy of the sample shape */
    @Override
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /** @return this config with another activation */
    public VaeConfig withActivation(Activation a) {
        return new VaeConfig(inputDim, encoderHidden, decoderHidden, latentDim, a, likelihood, observationVariance, naming, dtype, sampleShape);
    }

    /** @return this config with another likelihood and observation variance */
    public VaeConfig withLikelihood(Likelihood l, double variance) {
        return new VaeConfig(inputDim, encoderHidden, decoderHidden, latentDim, activation, l, variance, naming, dtype, sampleShape);
    }

    /** @return this config with another naming scheme */
    public VaeConfig withNaming(ParameterNaming n) {
        return new VaeConfig(inputDim, encoderHidden, decoderHidden, latentDim, activation, likelihood, observationVariance, n, dtype, sampleShape);
    }

    /** @return this config with another element type */
    public VaeConfig withDtype(DType t) {
        return new VaeConfig(inputDim, encoderHidden, decoderHidden, latentDim, activation, likelihood, observationVariance, naming, t, sampleShape);
    }

    /** @return this config with another sample shape */
    public VaeConfig withSampleShape(int... shape) {
        return new VaeConfig(inputDim, encoderHidden, decoderHidden, latentDim, activation, likelihood, observationVariance, naming, dtype, shape);
    }

    /** @return the config as one JSON object */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("input_dim", inputDim);
        o.add("encoder_hidden", ints(encoderHidden));
        o.add("decoder_hidden", ints(decoderHidden));
        o.addProperty("latent_dim", latentDim);
        o.addProperty("activation", activation.label());
        o.addProperty("likelihood", likelihood.label());
        o.addProperty("observation_variance", observationVariance);
        o.addProperty("naming", naming.name().toLowerCase(Locale.ROOT));
        o.addProperty("dtype", dtype.label());
        o.add("sample_shape", ints(Arrays.stream(sampleShape).boxed().toList()));
        return o.toString();
    }

    private static JsonArray ints(List<Integer> v) {
        JsonArray a = new JsonArray();
        v.forEach(a::add);
        return a;
    }

    /**
     * @param json a config written by {@link #toJson()}
     * @throws IllegalArgumentException naming the missing or invalid field
     */
    public static VaeConfig fromJson(String json) {
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException("model config is not a JSON object");
            }
            o = e.getAsJsonObject();
        } catch (JsonParseException e) {
            String m = String.valueOf(e.getMessage());
            throw new IllegalArgumentException("model config is not valid JSON: " + (m.contains("\n") ? m.substring(0, m.indexOf('\n')) : m));
        }
        String format = string(o, "format");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("model config format '" + format + "' is not " + FORMAT);
        }
        try {
            return new VaeConfig(integer(o, "input_dim"), intList(o, "encoder_hidden"), intList(o, "decoder_hidden"),
                    integer(o, "latent_dim"), Activation.parse(string(o, "activation")), Likelihood.parse(string(o, "likelihood")),
                    number(o, "observation_variance"),
                    ParameterNaming.valueOf(string(o, "naming").toUpperCase(Locale.ROOT)),
                    DType.valueOf(string(o, "dtype").toUpperCase(Locale.ROOT)),
                    intList(o, "sample_shape").stream().mapToInt(Integer::intValue).toArray());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model config: " + e.getMessage(), e);
        }
    }

    private static JsonElement field(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("model config lacks field '" + name + "'");
        }
        return e;
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = field(o, name);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException("model config field '" + name + "' is not a string");
        }
        return e.getAsString();
    }

    private static double number(JsonObject o, String name) {
        JsonElement e = field(o, name);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("model config field '" + name + "' is not a number");
        }
        return e.getAsDouble();
    }

    private static int integer(JsonObject o, String name) {
        double v = number(o, name);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("model config field '" + name + "' is not an integer");
        }
        return (int) v;
    }

    private static List<Integer> intList(JsonObject o, String name) {
        JsonElement e = field(o, name);
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException("model config field '" + name + "' is not an array");
        }
        List<Integer> out = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) {
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber() || x.getAsDouble() != Math.rint(x.getAsDouble())) {
                throw new IllegalArgumentException("model config field '" + name + "' holds a non-integer");
            }
            out.add(x.getAsInt());
        }
        return out;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VaeConfig c && c.toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return "VaeConfig" + toJson();
    }
}
