package dev.vae.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Owns the tensors created on this thread while it is the innermost open scope, and releases
 * their backend arrays when closed. A training step runs inside one:
 * <pre>{@code
 * try (Scope s = Scope.open()) {
 *     Tensor loss = model.loss(batch);
 *     loss.backward();
 *     optimizer.step();
 *     lossValue = loss.item();
 * } // every intermediate array of the step is released here
 * }</pre>
 * Tensors created outside any scope (parameters, optimizer state, data sets) are owned by the
 * caller and released with {@link Tensor#close()}. A tensor that must outlive its scope is moved
 * to the enclosing one (or made caller-owned) with {@link #keep(Tensor)}. Scopes nest and must be
 * closed in reverse order of opening, on the thread that opened them.
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private final Scope parent;
    private final Thread thread;
    private List<Tensor> owned = new ArrayList<>();
    private boolean closed;

    private Scope(Scope parent) {
        this.parent = parent;
        this.thread = Thread.currentThread();
    }

    /** Opens a scope nested in the current one and makes it current. */
    public static Scope open() {
        Scope s = new Scope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** @return the innermost open scope of this thread, or null if none */
    public static Scope current() {
        return CURRENT.get();
    }

    /** Registers a newly created tensor with the current scope (if any). */
    static void register(Tensor t) {
        Scope s = CURRENT.get();
        if (s != null) {
            s.owned.add(t);
            t.owner = s;
        }
    }

    /**
     * Moves {@code t} out of this scope into the enclosing one, or makes it caller-owned when this
     * is the outermost scope. Returns {@code t} for chaining.
     *
     * @throws IllegalStateException if {@code t} is not owned by this scope
     */
    public <T extends Tensor> T keep(T t) {
        if (t.owner != this) {
            throw new IllegalStateException("tensor " + Shapes.format(t.shape()) + " is not owned by this scope");
        }
        t.owner = parent;
        if (parent != null) {
            parent.owned.add(t);
        }
        return t;
    }

    /** @return the number of tensors this scope currently owns */
    public int size() {
        int n = 0;
        for (Tensor t : owned) {
            if (t.owner == this) {
                n++;
            }
        }
        return n;
    }

    /** Releases every tensor still owned by this scope and makes the enclosing scope current. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("a scope must be closed on the thread that opened it");
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("scopes must be closed innermost first");
        }
        closed = true;
        CURRENT.set(parent);
        List<Tensor> list = owned;
        owned = null;
        RuntimeException first = null;
        for (int i = list.size() - 1; i >= 0; i--) {
            Tensor t = list.get(i);
            if (t.owner == this) {
                t.owner = null;
                try {
                    t.close();
                } catch (RuntimeException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
