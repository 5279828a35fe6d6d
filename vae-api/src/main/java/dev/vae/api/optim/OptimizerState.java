package dev.vae.api.optim;

import dev.vae.api.nn.HostArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An optimizer's complete state on the host, for checkpoints and for moving training between
 * processes or backends.
 *
 * <p>{@code tensors} is keyed {@code "<parameter name>.<state name>"} with PyTorch's state names:
 * {@code exp_avg}, {@code exp_avg_sq} (Adam, AdamW), {@code momentum_buffer} (SGD, RMSprop),
 * {@code square_avg}, {@code grad_avg} (RMSprop), {@code sum} (Adagrad), and {@code step}, the
 * parameter's own update count as a float64 scalar (as in PyTorch, a parameter that had no
 * gradient at some step was not updated and did not count it). Values are exact: float32 state
 * round-trips bit for bit.
 *
 * @param optimizer the optimizer's {@link Optimizer#name() name}, such as {@code "adam"}, not null
 * @param step the number of {@link Optimizer#step()} calls, {@code >= 0}
 * @param learningRate the current learning rate
 * @param tensors the state arrays, in parameter order; copied into an unmodifiable map, not null
 */
public record OptimizerState(String optimizer, long step, double learningRate, Map<String, HostArray> tensors) {

    /**
     * Validates the components and copies the map.
     *
     * @param optimizer the optimizer's name, not null
     * @param step the number of steps, {@code >= 0}
     * @param learningRate the learning rate
     * @param tensors the state arrays, not null
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code step} is negative
     */
    public OptimizerState {
        Objects.requireNonNull(optimizer, "optimizer");
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(tensors, "tensors")));
    }
}
