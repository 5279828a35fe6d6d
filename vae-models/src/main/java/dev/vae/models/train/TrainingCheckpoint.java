package dev.vae.models.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import dev.vae.api.Backend;
import dev.vae.api.Shapes;
import dev.vae.api.Tensor;
import dev.vae.api.nn.HostArray;
import dev.vae.api.nn.Parameters;
import dev.vae.api.optim.Optimizer;
import dev.vae.api.optim.OptimizerState;
import dev.vae.api.random.Rng;
import dev.vae.models.io.CheckpointFormatException;
import dev.vae.models.io.SafetensorsFile;
import dev.vae.models.io.SafetensorsReader;
import dev.vae.models.io.SafetensorsWriter;
import dev.vae.models.vae.VAE;
import dev.vae.models.vae.VaeConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checkpoints of a {@link VAE} and, optionally, of its training: one safetensors file holding the
 * model parameters under their PyTorch names ({@code fc1.weight}, ...), the optimizer state under
 * {@code optimizer.<parameter>.<state>} ({@code optimizer.fc1.weight.exp_avg}), and in
 * {@code __metadata__}: {@code format}, {@code model_config} (JSON), {@code parameter_names},
 * {@code optimizer}, {@code optimizer_step}, {@code optimizer_lr}, {@code optimizer_state_names},
 * {@code train_config}, {@code training_state} (epoch, batch, step, generator counters, partial
 * sums, history), and for reading convenience {@code step}, {@code epoch} and {@code backend}.
 * Values travel through host arrays, so a checkpoint written on one backend loads on any other.
 *
 * <p>In PyTorch: {@code model.load_state_dict({k: v for k, v in load_file(f).items() if not
 * k.startswith("optimizer.")})}.
 */
public final class TrainingCheckpoint {
    /** The format tag in the metadata. */
    public static final String FORMAT = "dev.vae.checkpoint/1";
    /** Prefix of optimizer state tensors. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";

    private TrainingCheckpoint() {
    }

    /**
     * What a checkpoint holds.
     *
     * @param model      the architecture
     * @param parameters the model parameters by name, in file order
     * @param optimizer  the optimizer state, or null if none was saved
     * @param train      the training settings, or null
     * @param state      the training progress, or null
     * @param metadata   the raw metadata
     */
    public record Contents(VaeConfig model, Map<String, HostArray> parameters, OptimizerState optimizer,
                           TrainConfig train, TrainingState state, Map<String, String> metadata) {
    }

    /**
     * Writes a checkpoint atomically.
     *
     * @param file      the target (replaced atomically)
     * @param model     the model
     * @param optimizer its optimizer, or null
     * @param train     the training settings, or null
     * @param state     the training progress, or null
     */
    public static void write(Path file, VAE model, Optimizer optimizer, TrainConfig train, TrainingState state) {
        Map<String, HostArray> tensors = new LinkedHashMap<>(Parameters.toHost(model.parameters()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("model_config", model.config().toJson());
        meta.put("backend", model.backend().name());
        meta.put("parameter_names", json(new ArrayList<>(tensors.keySet())));
        if (optimizer != null) {
            OptimizerState os = optimizer.exportState();
            for (Map.Entry<String, HostArray> e : os.tensors().entrySet()) {
                tensors.put(OPTIMIZER_PREFIX + e.getKey(), e.getValue());
            }
            meta.put("optimizer", os.optimizer());
            meta.put("optimizer_step", Long.toString(os.step()));
            meta.put("optimizer_lr", Double.toString(os.learningRate()));
            meta.put("optimizer_state_names", json(new ArrayList<>(os.tensors().keySet())));
        }
        if (train != null) {
            meta.put("train_config", train.toJson());
        }
        if (state != null) {
            meta.put("training_state", state.toJson());
            meta.put("step", Long.toString(state.step()));
            meta.put("epoch", Integer.toString(state.epoch()));
        }
        SafetensorsWriter.write(file, tensors, meta);
    }

    private static String json(List<String> names) {
        JsonArray a = new JsonArray();
        names.forEach(a::add);
        return a.toString();
    }

    /**
     * Reads and validates a checkpoint (the file's structure, the format, every metadata field,
     * and that the tensors are exactly the parameters and optimizer states the metadata lists).
     *
     * @throws CheckpointFormatException naming the file and the field
     */
    public static Contents read(Path file) {
        SafetensorsFile f = SafetensorsReader.read(file);
        Map<String, String> meta = f.metadata();
        String format = meta.get("format");
        if (!FORMAT.equals(format)) {
            throw new CheckpointFormatException(file, "metadata field format is " + (format == null ? "missing" : "'" + format + "'")
                    + ", expected '" + FORMAT + "'");
        }
        VaeConfig config;
        try {
            config = VaeConfig.fromJson(required(file, meta, "model_config"));
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, "metadata field model_config: " + e.getMessage());
        }
        Set<String> paramNames = names(file, meta, "parameter_names");
        Map<String, HostArray> params = new LinkedHashMap<>();
        Map<String, HostArray> optTensors = new LinkedHashMap<>();
        for (Map.Entry<String, HostArray> e : f.tensors().entrySet()) {
            String k = e.getKey();
            if (paramNames.contains(k)) {
                params.put(k, e.getValue());
            } else if (k.startsWith(OPTIMIZER_PREFIX)) {
                optTensors.put(k.substring(OPTIMIZER_PREFIX.length()), e.getValue());
            } else {
                throw new CheckpointFormatException(file, "tensor '" + k + "' is neither a listed parameter nor optimizer state");
            }
        }
        for (String p : paramNames) {
            if (!params.containsKey(p)) {
                throw new CheckpointFormatException(file, "metadata field parameter_names lists '" + p + "' but no such tensor exists");
            }
        }
        OptimizerState opt = null;
        if (meta.containsKey("optimizer")) {
            Set<String> stateNames = names(file, meta, "optimizer_state_names");
            if (!stateNames.equals(optTensors.keySet())) {
                throw new CheckpointFormatException(file, "metadata field optimizer_state_names " + stateNames
                        + " does not match the optimizer tensors " + optTensors.keySet());
            }
            try {
                opt = new OptimizerState(meta.get("optimizer"), Long.parseLong(required(file, meta, "optimizer_step")),
                        Double.parseDouble(required(file, meta, "optimizer_lr")), optTensors);
            } catch (IllegalArgumentException e) {
                throw new CheckpointFormatException(file, "metadata fields optimizer_step/optimizer_lr: " + e.getMessage());
            }
        } else if (!optTensors.isEmpty()) {
            throw new CheckpointFormatException(file, "optimizer tensors present but metadata field optimizer is missing");
        }
        TrainConfig train = null;
        TrainingState state = null;
        try {
            if (meta.containsKey("train_config")) {
                train = TrainConfig.fromJson(meta.get("train_config"), null);
            }
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, "metadata field train_config: " + e.getMessage());
        }
        try {
            if (meta.containsKey("training_state")) {
                state = TrainingState.fromJson(meta.get("training_state"));
            }
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, "metadata field training_state: " + e.getMessage());
        }
        return new Contents(config, params, opt, train, state, meta);
    }

    private static String required(Path file, Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) {
            throw new CheckpointFormatException(file, "metadata field " + key + " is missing");
        }
        return v;
    }

    private static Set<String> names(Path file, Map<String, String> meta, String key) {
        Set<String> out = new LinkedHashSet<>();
        try {
            JsonElement e = JsonParser.parseString(required(file, meta, key));
            for (JsonElement x : e.getAsJsonArray()) {
                out.add(x.getAsString());
            }
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            throw new CheckpointFormatException(file, "metadata field " + key + " is not a JSON array of names");
        }
        return out;
    }

    /**
     * Overwrites the model's parameters with the checkpoint's, after checking that the names and
     * shapes match exactly (nothing is written otherwise).
     *
     * @throws CheckpointFormatException naming the file and the first mismatching parameter
     */
    public static void loadParameters(Path file, Contents c, VAE model) {
        Map<String, Tensor> target = model.parameters();
        for (Map.Entry<String, Tensor> e : target.entrySet()) {
            HostArray h = c.parameters().get(e.getKey());
            if (h == null) {
                throw new CheckpointFormatException(file, "parameter '" + e.getKey() + "' of the model is missing from the checkpoint");
            }
            if (!Shapes.equal(h.shape(), e.getValue().shape())) {
                throw new CheckpointFormatException(file, "parameter '" + e.getKey() + "' has shape " + Shapes.format(h.shape())
                        + " in the checkpoint but " + Shapes.format(e.getValue().shape()) + " in the model");
            }
        }
        for (String k : c.parameters().keySet()) {
            if (!target.containsKey(k)) {
                throw new CheckpointFormatException(file, "checkpoint parameter '" + k + "' does not exist in the model");
            }
        }
        Parameters.load(target, c.parameters());
    }

    /**
     * Builds the checkpoint's model on {@code backend} with its parameters.
     *
     * @throws CheckpointFormatException if the checkpoint is invalid
     */
    public static VAE loadModel(Path file, Backend backend) {
        Contents c = read(file);
        VAE model = new VAE(backend, c.model(), new Rng(0));
        try {
            loadParameters(file, c, model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /**
     * Restores an optimizer's state from the checkpoint.
     *
     * @throws CheckpointFormatException if the checkpoint has no optimizer state or it does not fit
     */
    public static void loadOptimizer(Path file, Contents c, Optimizer optimizer) {
        if (c.optimizer() == null) {
            throw new CheckpointFormatException(file, "holds no optimizer state (metadata field optimizer is missing)");
        }
        try {
            optimizer.importState(c.optimizer());
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, "optimizer state: " + e.getMessage());
        }
    }
}
