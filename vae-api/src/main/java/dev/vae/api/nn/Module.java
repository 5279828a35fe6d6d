package dev.vae.api.nn;

import dev.vae.api.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Base class for layers built from named parameters and named child layers, mirroring
 * {@code torch.nn.Module}: a model registers {@code fc1}, {@code fc21}, ... in its constructor
 * and {@link #parameters()} then exposes {@code "fc1.weight"}, {@code "fc21.bias"}, ... exactly as
 * PyTorch's {@code named_parameters()} does (the module's own parameters first, then each child's
 * in registration order, recursively, prefixed by the child's name and a dot).
 *
 * <pre>{@code
 * final class Encoder extends Module {
 *     private final Linear fc1, fc21, fc22;
 *     Encoder(Backend b, Rng rng) {
 *         fc1 = register("fc1", new Linear(b, 784, 400, rng));
 *         fc21 = register("fc21", new Linear(b, 400, 20, rng));
 *         fc22 = register("fc22", new Linear(b, 400, 20, rng));
 *     }
 *     public Tensor forward(Tensor x) { return fc1.forward(x).relu(); }
 * }
 * }</pre>
 *
 * <p>{@link #close()} closes every registered child and releases every registered parameter.
 * Not thread-safe.
 */
public abstract class Module implements Layer {
    private final Map<String, Tensor> ownParameters = new LinkedHashMap<>();
    private final Map<String, Layer> children = new LinkedHashMap<>();
    private boolean closed;

    /** Creates a module with no parameters or children. */
    protected Module() {
    }

    private void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('.') >= 0) {
            throw new IllegalArgumentException("a parameter or child name must be non-empty and contain no '.', got \""
                    + name + "\"");
        }
        if (ownParameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("name \"" + name + "\" is already registered in " + getClass().getSimpleName());
        }
    }

    /**
     * Registers a parameter owned by this module under {@code name}.
     *
     * @param name non-empty, without dots, unique within this module
     * @param parameter a caller-owned tensor (not owned by a scope), not null; this module takes
     *                  ownership and releases it in {@link #close()}
     * @return {@code parameter}
     * @throws IllegalArgumentException if the name is invalid or already used
     */
    protected final Tensor registerParameter(String name, Tensor parameter) {
        checkName(name);
        ownParameters.put(name, Objects.requireNonNull(parameter, "parameter"));
        return parameter;
    }

    /**
     * Registers a child layer under {@code name}; its parameters appear as {@code name + "." + its
     * parameter name}.
     *
     * @param name non-empty, without dots, unique within this module
     * @param child not null; this module takes ownership and closes it in {@link #close()}
     * @param <L> the child's type
     * @return {@code child}
     * @throws IllegalArgumentException if the name is invalid or already used
     */
    protected final <L extends Layer> L register(String name, L child) {
        checkName(name);
        children.put(name, Objects.requireNonNull(child, "child"));
        return child;
    }

    /** @return the registered children in registration order (unmodifiable) */
    public final Map<String, Layer> children() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Built on each call: the module's own parameters in registration order, then each child's
     * parameters, prefixed.
     */
    @Override
    public Map<String, Tensor> parameters() {
        Map<String, Tensor> out = new LinkedHashMap<>(ownParameters);
        for (Map.Entry<String, Layer> c : children.entrySet()) {
            for (Map.Entry<String, Tensor> p : c.getValue().parameters().entrySet()) {
                out.put(c.getKey() + "." + p.getKey(), p.getValue());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Closes every child and releases every own parameter and its gradient (idempotent). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Layer c : children.values()) {
            c.close();
        }
        for (Tensor p : ownParameters.values()) {
            p.zeroGrad();
            p.close();
        }
    }
}
