package dev.vae.api.optim;

import dev.vae.api.DType;
import dev.vae.api.GradMode;
import dev.vae.api.Scope;
import dev.vae.api.ShapeException;
import dev.vae.api.Shapes;
import dev.vae.api.Tensor;
import dev.vae.api.nn.HostArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Updates a fixed, named set of parameters from their gradients, in place, with the semantics of
 * the PyTorch optimizer of the same name.
 *
 * <p>Usage per training step: compute the loss, {@code loss.backward()}, {@link #step()},
 * {@link #zeroGrad()}. {@link #step()} skips parameters whose {@link Tensor#grad()} is null (they
 * are neither updated nor counted, as in PyTorch), runs all its temporaries inside its own
 * {@link Scope} with {@link GradMode} disabled, and writes the results into the parameter and
 * state tensors with {@link Tensor#assign} (or an in-place kernel), so it leaks no arrays.
 *
 * <p>State tensors are created lazily (at a parameter's first update) unless a subclass documents
 * otherwise, are caller-owned, and are released by {@link #close()}. The parameters themselves
 * are not owned by the optimizer. Not thread-safe.
 */
public abstract class Optimizer implements AutoCloseable {
    /** State name of the per-parameter step count in exported state. */
    public static final String STEP = "step";

    private final Map<String, Tensor> params;
    private final Map<String, Map<String, Tensor>> state = new LinkedHashMap<>();
    private final Map<String, Long> paramSteps = new LinkedHashMap<>();
    private double lr;
    private long stepCount;
    private boolean closed;

    /**
     * @param params the parameters, by name (iteration order is kept); names and tensors not null,
     *               tensors not released. The map is copied; the tensors are not.
     * @param lr the learning rate, finite and {@code >= 0}
     * @throws IllegalArgumentException for an invalid learning rate
     */
    protected Optimizer(Map<String, Tensor> params, double lr) {
        Objects.requireNonNull(params, "params");
        Map<String, Tensor> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "parameter name");
            Tensor t = Objects.requireNonNull(e.getValue(), "parameter " + name);
            if (t.isReleased()) {
                throw new IllegalArgumentException("parameter \"" + name + "\" has been released");
            }
            copy.put(name, t);
        }
        this.params = Collections.unmodifiableMap(copy);
        this.lr = checkNonNegative("learning rate", lr);
    }

    /**
     * Validates a hyper-parameter.
     *
     * @param what the name used in the error message
     * @param value the value to check
     * @return {@code value} if finite and {@code >= 0}
     * @throws IllegalArgumentException otherwise, naming {@code what}
     */
    protected static double checkNonNegative(String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be finite and >= 0, got " + value);
        }
        return value;
    }

    /** @return the optimizer's short name as used in checkpoints ({@code "adam"}, {@code "sgd"}, ...) */
    public abstract String name();

    /** @return the state names this optimizer keeps per parameter (besides {@link #STEP}) */
    protected abstract List<String> stateNames();

    /**
     * Updates one parameter in place. Called by {@link #step()} inside a scope with gradient
     * recording disabled; temporaries need no cleanup.
     *
     * @param name the parameter's name
     * @param param the parameter, to update in place
     * @param grad its gradient, same shape and dtype
     * @param step this parameter's update count including this update ({@code >= 1})
     */
    protected abstract void update(String name, Tensor param, Tensor grad, long step);

    /** @return the parameters by name (unmodifiable, in the order given) */
    public final Map<String, Tensor> parameters() {
        return params;
    }

    /** @return the current learning rate */
    public final double learningRate() {
        return lr;
    }

    /**
     * Sets the learning rate used by subsequent steps (for schedules).
     *
     * @param lr finite and {@code >= 0}
     * @throws IllegalArgumentException otherwise
     */
    public final void setLearningRate(double lr) {
        this.lr = checkNonNegative("learning rate", lr);
    }

    /** @return the number of completed {@link #step()} calls (restored by {@link #importState}) */
    public final long stepCount() {
        return stepCount;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(name() + " optimizer was closed");
        }
    }

    /**
     * Performs one update of every parameter that has a gradient.
     *
     * @throws IllegalStateException if the optimizer was closed
     */
    public final void step() {
        ensureOpen();
        try (Scope s = Scope.open(); GradMode.Guard g = GradMode.disable()) {
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                Tensor p = e.getValue();
                Tensor grad = p.grad();
                if (grad == null) {
                    continue;
                }
                long t = paramSteps.merge(e.getKey(), 1L, Long::sum);
                update(e.getKey(), p, grad, t);
            }
        }
        stepCount++;
    }

    /** Releases every parameter's gradient buffer ({@link Tensor#zeroGrad()}). */
    public final void zeroGrad() {
        for (Tensor p : params.values()) {
            p.zeroGrad();
        }
    }

    /**
     * @param param a parameter name
     * @param key a state name
     * @return the state tensor, or null if it does not exist (yet)
     */
    protected final Tensor state(String param, String key) {
        Map<String, Tensor> m = state.get(param);
        return m == null ? null : m.get(key);
    }

    /**
     * Returns a state tensor, creating it filled with {@code initial} (shape and dtype of the
     * parameter, caller-owned) if it does not exist.
     *
     * @param param a parameter name
     * @param key a state name from {@link #stateNames()}
     * @param initial the initial value of every element
     * @return the state tensor
     */
    protected final Tensor stateOrFill(String param, String key, double initial) {
        Tensor cur = state(param, key);
        if (cur != null) {
            return cur;
        }
        Tensor p = params.get(param);
        Tensor t = p.backend().full(initial, p.dtype(), p.shape()).untrack();
        state.computeIfAbsent(param, k -> new LinkedHashMap<>()).put(key, t);
        return t;
    }

    /**
     * Creates a state tensor holding a copy of {@code value} (caller-owned), or overwrites the
     * existing one in place.
     *
     * @param param a parameter name
     * @param key a state name from {@link #stateNames()}
     * @param value the values, shape and dtype of the parameter
     * @return the state tensor
     */
    protected final Tensor putState(String param, String key, Tensor value) {
        Tensor cur = state(param, key);
        if (cur != null) {
            cur.assign(value);
            return cur;
        }
        Tensor copy = value.detach().untrack();
        state.computeIfAbsent(param, k -> new LinkedHashMap<>()).put(key, copy);
        return copy;
    }

    /**
     * Copies the complete state to the host: step count, learning rate, and every state tensor
     * keyed {@code "<parameter>.<state name>"}, plus {@code "<parameter>.step"} for every parameter
     * that has state or has been updated.
     *
     * @return the state, independent of this optimizer
     * @throws IllegalStateException if the optimizer was closed
     */
    public final OptimizerState exportState() {
        ensureOpen();
        Map<String, HostArray> out = new LinkedHashMap<>();
        for (String p : params.keySet()) {
            Map<String, Tensor> m = state.get(p);
            long t = paramSteps.getOrDefault(p, 0L);
            if (t == 0 && (m == null || m.isEmpty())) {
                continue;
            }
            out.put(p + "." + STEP, new HostArray(DType.FLOAT64, new int[0], new double[] {t}));
            if (m != null) {
                for (Map.Entry<String, Tensor> e : m.entrySet()) {
                    out.put(p + "." + e.getKey(), HostArray.of(e.getValue()));
                }
            }
        }
        return new OptimizerState(name(), stepCount, lr, out);
    }

    /**
     * Replaces the complete state (step count, learning rate, state tensors and per-parameter step
     * counts) with {@code saved}, converting element types to the parameters'. Everything is
     * validated before anything changes.
     *
     * @param saved state exported by an optimizer of the same kind over parameters with the same
     *              names and shapes (possibly on another backend), not null
     * @throws IllegalArgumentException if the optimizer kind differs or a key names an unknown
     *                                  parameter or state, or a step is not a non-negative integer
     * @throws ShapeException if a state array's shape differs from its parameter's
     * @throws IllegalStateException if the optimizer was closed
     */
    public final void importState(OptimizerState saved) {
        ensureOpen();
        Objects.requireNonNull(saved, "saved");
        if (!saved.optimizer().equals(name())) {
            throw new IllegalArgumentException("cannot import " + saved.optimizer() + " state into a " + name() + " optimizer");
        }
        checkNonNegative("learning rate", saved.learningRate());
        List<String> names = stateNames();
        Map<String, Long> newSteps = new LinkedHashMap<>();
        for (Map.Entry<String, HostArray> e : saved.tensors().entrySet()) {
            String key = e.getKey();
            int dot = key.lastIndexOf('.');
            String p = dot < 0 ? "" : key.substring(0, dot);
            String s = dot < 0 ? key : key.substring(dot + 1);
            Tensor param = params.get(p);
            if (param == null) {
                throw new IllegalArgumentException("optimizer state \"" + key + "\" names no parameter of this optimizer");
            }
            HostArray h = e.getValue();
            if (s.equals(STEP)) {
                double v = h.size() == 1 ? h.data()[0] : -1;
                if (!(v >= 0) || v != Math.rint(v) || v > 0x1p53) {
                    throw new IllegalArgumentException("optimizer state \"" + key + "\" must be one non-negative integer");
                }
                newSteps.put(p, (long) v);
            } else if (!names.contains(s)) {
                throw new IllegalArgumentException("optimizer state \"" + key + "\": " + name() + " keeps no state \"" + s
                        + "\" (it keeps " + names + ")");
            } else if (!Shapes.equal(h.shape(), param.shape())) {
                throw new ShapeException("optimizer state \"" + key + "\" has shape " + Shapes.format(h.shape())
                        + " but the parameter has " + Shapes.format(param.shape()));
            }
        }
        releaseState();
        for (Map.Entry<String, HostArray> e : saved.tensors().entrySet()) {
            String key = e.getKey();
            int dot = key.lastIndexOf('.');
            String p = key.substring(0, dot);
            String s = key.substring(dot + 1);
            if (s.equals(STEP)) {
                continue;
            }
            Tensor param = params.get(p);
            Tensor t = e.getValue().toTensor(param.backend(), param.dtype()).untrack();
            state.computeIfAbsent(p, k -> new LinkedHashMap<>()).put(s, t);
        }
        paramSteps.clear();
        paramSteps.putAll(newSteps);
        stepCount = saved.step();
        lr = saved.learningRate();
    }

    private void releaseState() {
        for (Map<String, Tensor> m : state.values()) {
            for (Tensor t : m.values()) {
                t.close();
            }
        }
        state.clear();
    }

    /**
     * Releases every state tensor (idempotent). The optimizer cannot step afterwards; the
     * parameters are untouched.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            releaseState();
        }
    }
}
