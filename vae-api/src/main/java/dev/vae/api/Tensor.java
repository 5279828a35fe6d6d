package dev.vae.api;

import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ReduceOp;
import dev.vae.api.spi.UnaryOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * An n-dimensional array on a {@link Backend} with reverse-mode automatic differentiation.
 *
 * <p>Shapes follow NumPy: row-major, broadcasting for element-wise operations, a zero-length shape
 * for scalars, zero-size dimensions allowed. Every operation validates shapes and dtypes when it is
 * built and throws {@link ShapeException} naming the operation and the shapes. Operands must live
 * on the same backend and share a dtype.
 *
 * <p>Differentiation: a tensor created with {@link #requiresGrad(boolean) requiresGrad} is a leaf;
 * operations on tensors that require gradients record a backward function (unless
 * {@link GradMode} is disabled), and {@link #backward()} on a scalar accumulates d(this)/d(leaf)
 * into each leaf's {@link #grad()}. Every gradient is written once, here, in terms of backend
 * kernels, so all backends differentiate identically.
 *
 * <p>Memory: a tensor created while a {@link Scope} is open belongs to it and is released when the
 * scope closes; otherwise the caller owns it and releases it with {@link #close()}. Using a
 * released tensor throws {@link IllegalStateException}.
 */
public class Tensor implements AutoCloseable {
    private final Backend backend;
    private final int[] shape;
    private final DType dtype;
    private DeviceArray data;
    private boolean requiresGrad;
    private Tensor grad;
    private Node node;
    Scope owner;

    /** Wraps a freshly created backend array and registers it with the current scope. */
    Tensor(Backend backend, DeviceArray data) {
        this.backend = backend;
        this.data = data;
        this.shape = data.shape().clone();
        this.dtype = data.dtype();
        Scope.register(this);
    }

    // ------------------------------------------------------------------ basics

    /** @return the backend holding this tensor */
    public Backend backend() {
        return backend;
    }

    /** @return a copy of the shape */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the size of dimension {@code axis} (negative counts from the end) */
    public int dim(int axis) {
        return shape[Shapes.axis(axis, shape.length)];
    }

    /** @return the number of dimensions */
    public int rank() {
        return shape.length;
    }

    /** @return the number of elements */
    public long size() {
        return Shapes.size(shape);
    }

    /** @return the element type */
    public DType dtype() {
        return dtype;
    }

    /**
     * The backend array (for backends and tests).
     *
     * @throws IllegalStateException if released
     */
    public DeviceArray array() {
        if (data == null) {
            throw new IllegalStateException("tensor " + Shapes.format(shape) + " was used after it was released "
                    + "(its scope closed or close() was called); keep it with Scope.keep(...)");
        }
        return data;
    }

    /** @return true once the backend array has been released */
    public boolean isReleased() {
        return data == null;
    }

    /** @return whether gradients flow to or through this tensor */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks this tensor as a leaf that accumulates gradients (or stops doing so).
     *
     * @return this
     */
    public Tensor requiresGrad(boolean on) {
        if (node != null) {
            throw new IllegalStateException("requiresGrad can only be set on leaf tensors");
        }
        this.requiresGrad = on;
        return this;
    }

    /** @return the accumulated gradient of a leaf, or null if none has been computed */
    public Tensor grad() {
        return grad;
    }

    /** Releases this leaf's gradient buffer (optimizers call this in {@code zeroGrad}). */
    public void zeroGrad() {
        if (grad != null) {
            grad.close();
            grad = null;
        }
    }

    /** Replaces the gradient buffer (caller-owned tensor of this shape and dtype), e.g. when restoring. */
    public void setGrad(Tensor g) {
        if (g != null) {
            checkSameShape("setGrad", g);
        }
        zeroGrad();
        this.grad = g;
    }

    /** Makes this tensor owned by its caller rather than by a scope; returns this. */
    public Tensor untrack() {
        if (owner != null) {
            owner = null;
        }
        return this;
    }

    /** Releases the backend array and this leaf's gradient buffer (idempotent). */
    @Override
    public void close() {
        zeroGrad();
        if (data != null) {
            backend.kernels().release(data);
            data = null;
        }
        node = null;
    }

    @Override
    public String toString() {
        return "Tensor" + Shapes.format(shape) + " " + dtype.label() + " on " + backend.name()
                + (requiresGrad ? " requiresGrad" : "") + (data == null ? " released" : "");
    }

    // ------------------------------------------------------------------ host transfer

    /** @return the elements in row-major order as float32 */
    public float[] toFloats() {
        return kernels().toFloats(array());
    }

    /** @return the elements in row-major order as float64 */
    public double[] toDoubles() {
        return kernels().toDoubles(array());
    }

    /**
     * @return the single element of a one-element tensor as a double
     * @throws ShapeException if the tensor does not have exactly one element
     */
    public double item() {
        if (size() != 1) {
            throw new ShapeException("item() needs a single-element tensor, got shape " + Shapes.format(shape));
        }
        return toDoubles()[0];
    }

    // ------------------------------------------------------------------ autodiff machinery

    /** Backward function of one recorded operation. */
    @FunctionalInterface
    interface BackwardFn {
        /** @return the gradient for each input (null where an input needs none) */
        Tensor[] apply(Tensor gradOut);
    }

    private static final class Node {
        final Tensor[] inputs;
        final BackwardFn fn;

        Node(Tensor[] inputs, BackwardFn fn) {
            this.inputs = inputs;
            this.fn = fn;
        }
    }

    private Kernels kernels() {
        return backend.kernels();
    }

    private Tensor wrap(DeviceArray a) {
        return new Tensor(backend, a);
    }

    /** Records {@code fn} on {@code out} if any input needs gradients and grad mode is on. */
    private static Tensor record(Tensor out, BackwardFn fn, Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return out;
        }
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad) {
                out.requiresGrad = true;
                out.node = new Node(inputs, fn);
                return out;
            }
        }
        return out;
    }

    /**
     * Computes the gradient of this scalar with respect to every leaf it depends on, adding it to
     * each leaf's {@link #grad()} (gradients accumulate until {@link #zeroGrad()}).
     *
     * @throws ShapeException if this tensor is not a single element
     */
    public void backward() {
        if (size() != 1) {
            throw new ShapeException("backward() needs a single-element tensor, got shape " + Shapes.format(shape));
        }
        try (Scope s = Scope.open()) {
            backward(backend.full(1.0, dtype, shape));
        }
    }

    /**
     * Back-propagates {@code seed} (d loss / d this, same shape as this) through the graph. Every
     * intermediate gradient is released before this returns; only the leaves' accumulated
     * {@link #grad()} buffers (caller-owned) remain.
     */
    public void backward(Tensor seed) {
        checkSameShape("backward", seed);
        if (!requiresGrad) {
            throw new IllegalStateException("backward() on a tensor that does not require gradients");
        }
        List<Tensor> order = new ArrayList<>();
        topoSort(this, new IdentityHashMap<>(), order);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(this, seed);
        // gradient intermediates are never visible to callers: release them when done
        Map<Tensor, Boolean> adopted = new IdentityHashMap<>();
        try (Scope s = Scope.open(); GradMode.Guard g = GradMode.disable()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor gt = grads.remove(t);
                if (gt == null) {
                    continue;
                }
                if (t.node == null) {
                    t.accumulate(gt, s, adopted);
                    continue;
                }
                Tensor[] gin = t.node.fn.apply(gt);
                Tensor[] in = t.node.inputs;
                for (int j = 0; j < in.length; j++) {
                    if (in[j] == null || !in[j].requiresGrad || gin[j] == null) {
                        continue;
                    }
                    Tensor prev = grads.get(in[j]);
                    grads.put(in[j], prev == null ? gin[j] : prev.add(gin[j]));
                }
            }
        }
    }

    private static void topoSort(Tensor root, Map<Tensor, Boolean> seen, List<Tensor> order) {
        // iterative post-order DFS (graphs can be deep)
        ArrayList<Object[]> stack = new ArrayList<>();
        stack.add(new Object[] {root, 0});
        seen.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] top = stack.get(stack.size() - 1);
            Tensor t = (Tensor) top[0];
            int idx = (Integer) top[1];
            Tensor[] in = t.node == null ? new Tensor[0] : t.node.inputs;
            if (idx < in.length) {
                top[1] = idx + 1;
                Tensor c = in[idx];
                if (c != null && c.requiresGrad && !seen.containsKey(c)) {
                    seen.put(c, Boolean.TRUE);
                    stack.add(new Object[] {c, 0});
                }
            } else {
                stack.remove(stack.size() - 1);
                order.add(t);
            }
        }
    }

    /**
     * Adds {@code g} to this leaf's gradient. The first gradient of a leaf is adopted rather than
     * copied when it is an intermediate of this backward pass ({@code pass} owns it) that no other
     * leaf has adopted: nothing outside the pass can see it, and the kernels' copy-on-write rule
     * keeps any array it shares storage with unaffected by later in-place updates. Otherwise (the
     * caller's seed, or one tensor reaching two leaves) the gradient is copied.
     */
    private void accumulate(Tensor g, Scope pass, Map<Tensor, Boolean> adopted) {
        if (!Arrays.equals(g.shape, shape)) {
            throw new IllegalStateException("internal: gradient shape " + Shapes.format(g.shape)
                    + " for leaf " + Shapes.format(shape));
        }
        if (grad == null) {
            if (g.owner == pass && g != this && adopted.putIfAbsent(g, Boolean.TRUE) == null) {
                g.untrack();
                grad = g;
                return;
            }
            Tensor copy = wrap(kernels().scalar(BinaryOp.ADD, g.array(), 0.0));
            copy.untrack();
            grad = copy;
        } else {
            Tensor sum = grad.add(g);
            kernels().assign(grad.array(), sum.array());
            if (sum.owner == null) {
                sum.close();
            }
        }
    }

    // ------------------------------------------------------------------ checks

    private void checkSame(String op, Tensor o) {
        if (o.backend != backend) {
            throw new IllegalArgumentException(op + ": operands live on different backends ("
                    + backend.name() + " and " + o.backend.name() + ")");
        }
        if (o.dtype != dtype) {
            throw new ShapeException(op + ": dtype mismatch, " + dtype.label() + Shapes.format(shape)
                    + " and " + o.dtype.label() + Shapes.format(o.shape));
        }
    }

    private void checkSameShape(String op, Tensor o) {
        checkSame(op, o);
        if (!Arrays.equals(shape, o.shape)) {
            throw new ShapeException(op + ": shapes differ, " + Shapes.format(shape) + " and " + Shapes.format(o.shape));
        }
    }

    private int[] broadcastWith(String op, Tensor o) {
        checkSame(op, o);
        try {
            return Shapes.broadcast(shape, o.shape);
        } catch (ShapeException e) {
            throw new ShapeException(op + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ broadcasting helpers

    /**
     * Sums {@code g} down to {@code target} shape (the adjoint of broadcasting).
     */
    static Tensor unbroadcast(Tensor g, int[] target) {
        if (Arrays.equals(g.shape, target)) {
            return g;
        }
        int lead = g.shape.length - target.length;
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < g.shape.length; i++) {
            if (i < lead || (target[i - lead] == 1 && g.shape[i] != 1)) {
                axes.add(i);
            }
        }
        int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
        Tensor s = g.wrap(g.kernels().reduce(ReduceOp.SUM, g.array(), ax, false));
        return Arrays.equals(s.shape, target) ? s : s.reshape(target);
    }

    /** @return this tensor broadcast to {@code target} (a new array) */
    public Tensor broadcastTo(int... target) {
        int[] b = Shapes.broadcast(shape, target);
        if (!Arrays.equals(b, target)) {
            throw new ShapeException("broadcastTo: " + Shapes.format(shape) + " cannot be broadcast to " + Shapes.format(target));
        }
        DeviceArray zeros = kernels().full(target, dtype, 0.0);
        try {
            Tensor out = wrap(kernels().binary(BinaryOp.ADD, zeros, array()));
            return record(out, g -> new Tensor[] {unbroadcast(g, shape)}, this);
        } finally {
            kernels().release(zeros);
        }
    }

    // ------------------------------------------------------------------ element-wise binary

    private Tensor binary(BinaryOp op, Tensor o) {
        int[] outShape = broadcastWith(op.name().toLowerCase(java.util.Locale.ROOT), o);
        Tensor out = wrap(kernels().binary(op, array(), o.array()));
        assert Arrays.equals(out.shape, outShape);
        return out;
    }

    /** @return {@code this + o} with broadcasting */
    public Tensor add(Tensor o) {
        Tensor a = this;
        return record(binary(BinaryOp.ADD, o), g -> new Tensor[] {unbroadcast(g, a.shape), unbroadcast(g, o.shape)}, this, o);
    }

    /** @return {@code this - o} with broadcasting */
    public Tensor sub(Tensor o) {
        Tensor a = this;
        return record(binary(BinaryOp.SUB, o), g -> new Tensor[] {unbroadcast(g, a.shape), o.requiresGrad ? unbroadcast(g.neg(), o.shape) : null}, this, o);
    }

    /** @return {@code this * o} with broadcasting */
    public Tensor mul(Tensor o) {
        Tensor a = this;
        return record(binary(BinaryOp.MUL, o), g -> new Tensor[] {
                a.requiresGrad ? unbroadcast(g.mul(o), a.shape) : null,
                o.requiresGrad ? unbroadcast(g.mul(a), o.shape) : null}, this, o);
    }

    /** @return {@code this / o} with broadcasting */
    public Tensor div(Tensor o) {
        Tensor a = this;
        Tensor out = binary(BinaryOp.DIV, o);
        return record(out, g -> new Tensor[] {
                a.requiresGrad ? unbroadcast(g.div(o), a.shape) : null,
                o.requiresGrad ? unbroadcast(g.mul(out).div(o).neg(), o.shape) : null}, this, o);
    }

    /** @return {@code this ^ o} with broadcasting ({@code d/do} uses {@code log(this)}) */
    public Tensor pow(Tensor o) {
        Tensor a = this;
        Tensor out = binary(BinaryOp.POW, o);
        return record(out, g -> new Tensor[] {
                a.requiresGrad ? unbroadcast(g.mul(o).mul(a.pow(o.sub(1.0))), a.shape) : null,
                o.requiresGrad ? unbroadcast(g.mul(out).mul(a.log()), o.shape) : null}, this, o);
    }

    /** Element-wise maximum; the gradient goes to {@code this} where {@code this >= o}, else to {@code o}. */
    public Tensor maximum(Tensor o) {
        Tensor a = this;
        return record(binary(BinaryOp.MAX, o), g -> {
            Tensor mask = a.ge(o);
            return new Tensor[] {
                    a.requiresGrad ? unbroadcast(g.mul(mask), a.shape) : null,
                    o.requiresGrad ? unbroadcast(g.mul(mask.rsub(1.0)), o.shape) : null};
        }, this, o);
    }

    /** Element-wise minimum; the gradient goes to {@code this} where {@code this <= o}, else to {@code o}. */
    public Tensor minimum(Tensor o) {
        Tensor a = this;
        return record(binary(BinaryOp.MIN, o), g -> {
            Tensor mask = a.le(o);
            return new Tensor[] {
                    a.requiresGrad ? unbroadcast(g.mul(mask), a.shape) : null,
                    o.requiresGrad ? unbroadcast(g.mul(mask.rsub(1.0)), o.shape) : null};
        }, this, o);
    }

    /** @return 1 where {@code this > o}, else 0 (no gradient) */
    public Tensor gt(Tensor o) {
        return binary(BinaryOp.GT, o);
    }

    /** @return 1 where {@code this >= o}, else 0 (no gradient) */
    public Tensor ge(Tensor o) {
        return binary(BinaryOp.GE, o);
    }

    /** @return 1 where {@code this < o}, else 0 (no gradient) */
    public Tensor lt(Tensor o) {
        return binary(BinaryOp.LT, o);
    }

    /** @return 1 where {@code this <= o}, else 0 (no gradient) */
    public Tensor le(Tensor o) {
        return binary(BinaryOp.LE, o);
    }

    /** @return 1 where {@code this == o}, else 0 (no gradient) */
    public Tensor eq(Tensor o) {
        return binary(BinaryOp.EQ, o);
    }

    // ------------------------------------------------------------------ scalar operands

    private Tensor scalarOp(BinaryOp op, double s) {
        return wrap(kernels().scalar(op, array(), s));
    }

    /** @return {@code this + s} */
    public Tensor add(double s) {
        return record(scalarOp(BinaryOp.ADD, s), g -> new Tensor[] {g}, this);
    }

    /** @return {@code this - s} */
    public Tensor sub(double s) {
        return record(scalarOp(BinaryOp.SUB, s), g -> new Tensor[] {g}, this);
    }

    /** @return {@code s - this} */
    public Tensor rsub(double s) {
        return neg().add(s);
    }

    /** @return {@code this * s} */
    public Tensor mul(double s) {
        return record(scalarOp(BinaryOp.MUL, s), g -> new Tensor[] {g.mul(s)}, this);
    }

    /** @return {@code this / s} */
    public Tensor div(double s) {
        return record(scalarOp(BinaryOp.DIV, s), g -> new Tensor[] {g.div(s)}, this);
    }

    /** @return {@code this ^ p} for a constant exponent */
    public Tensor pow(double p) {
        Tensor a = this;
        return record(scalarOp(BinaryOp.POW, p), g -> new Tensor[] {g.mul(a.pow(p - 1).mul(p))}, this);
    }

    /** @return element-wise {@code max(this, s)} (gradient where {@code this >= s}) */
    public Tensor maximum(double s) {
        Tensor a = this;
        return record(scalarOp(BinaryOp.MAX, s), g -> new Tensor[] {g.mul(a.scalarOp(BinaryOp.GE, s))}, this);
    }

    /** @return element-wise {@code min(this, s)} (gradient where {@code this <= s}) */
    public Tensor minimum(double s) {
        Tensor a = this;
        return record(scalarOp(BinaryOp.MIN, s), g -> new Tensor[] {g.mul(a.scalarOp(BinaryOp.LE, s))}, this);
    }

    /** @return 1 where {@code this > s}, else 0 */
    public Tensor gt(double s) {
        return scalarOp(BinaryOp.GT, s);
    }

    /** @return 1 where {@code this < s}, else 0 */
    public Tensor lt(double s) {
        return scalarOp(BinaryOp.LT, s);
    }

    /** @return 1 where {@code this >= s}, else 0 */
    public Tensor ge(double s) {
        return scalarOp(BinaryOp.GE, s);
    }

    /** @return 1 where {@code this <= s}, else 0 */
    public Tensor le(double s) {
        return scalarOp(BinaryOp.LE, s);
    }

    // ------------------------------------------------------------------ element-wise unary

    private Tensor unary(UnaryOp op) {
        return wrap(kernels().unary(op, array()));
    }

    /** @return {@code -this} */
    public Tensor neg() {
        return record(unary(UnaryOp.NEG), g -> new Tensor[] {g.neg()}, this);
    }

    /** @return {@code e^this} */
    public Tensor exp() {
        Tensor out = unary(UnaryOp.EXP);
        return record(out, g -> new Tensor[] {g.mul(out)}, this);
    }

    /** @return natural logarithm */
    public Tensor log() {
        Tensor a = this;
        return record(unary(UnaryOp.LOG), g -> new Tensor[] {g.div(a)}, this);
    }

    /** @return {@code log(1 + this)} */
    public Tensor log1p() {
        Tensor a = this;
        return record(unary(UnaryOp.LOG1P), g -> new Tensor[] {g.div(a.add(1.0))}, this);
    }

    /** @return {@code e^this - 1} */
    public Tensor expm1() {
        Tensor a = this;
        return record(unary(UnaryOp.EXPM1), g -> new Tensor[] {g.mul(a.exp())}, this);
    }

    /** @return square root */
    public Tensor sqrt() {
        Tensor out = unary(UnaryOp.SQRT);
        return record(out, g -> new Tensor[] {g.div(out).mul(0.5)}, this);
    }

    /** @return {@code |this|} (gradient {@code sign(this)}, 0 at 0) */
    public Tensor abs() {
        Tensor a = this;
        return record(unary(UnaryOp.ABS), g -> new Tensor[] {g.mul(a.sign())}, this);
    }

    /** @return -1, 0 or 1 (no gradient) */
    public Tensor sign() {
        return unary(UnaryOp.SIGN);
    }

    /** @return hyperbolic tangent */
    public Tensor tanh() {
        Tensor out = unary(UnaryOp.TANH);
        return record(out, g -> new Tensor[] {g.mul(out.square().rsub(1.0))}, this);
    }

    /** @return logistic sigmoid */
    public Tensor sigmoid() {
        Tensor out = unary(UnaryOp.SIGMOID);
        return record(out, g -> new Tensor[] {g.mul(out.mul(out.rsub(1.0)))}, this);
    }

    /** @return {@code max(this, 0)} (gradient 1 where {@code this > 0}) */
    public Tensor relu() {
        Tensor a = this;
        return record(unary(UnaryOp.RELU),
                g -> new Tensor[] {a.wrap(a.kernels().reluBackward(a.array(), g.array()))}, this);
    }

    /** @return {@code this} where positive, {@code slope * this} elsewhere */
    public Tensor leakyRelu(double slope) {
        Tensor pos = gt(0.0);
        Tensor factor = pos.mul(1.0 - slope).add(slope);
        return mul(factor);
    }

    /** @return {@code log(1 + e^this)}, stable for large magnitudes */
    public Tensor softplus() {
        Tensor a = this;
        return record(unary(UnaryOp.SOFTPLUS), g -> new Tensor[] {g.mul(a.unary(UnaryOp.SIGMOID))}, this);
    }

    /** @return {@code this * this} */
    public Tensor square() {
        Tensor a = this;
        return record(unary(UnaryOp.SQUARE), g -> new Tensor[] {g.mul(a).mul(2.0)}, this);
    }

    /** @return {@code 1 / this} */
    public Tensor reciprocal() {
        Tensor out = unary(UnaryOp.RECIPROCAL);
        return record(out, g -> new Tensor[] {g.mul(out.square()).neg()}, this);
    }

    // ------------------------------------------------------------------ selection

    /**
     * @return {@code cond != 0 ? a : b} with broadcasting of all three; gradients flow to
     *         {@code a} and {@code b} (not {@code cond})
     */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        a.checkSame("where", b);
        a.checkSame("where", cond);
        int[] s = Shapes.broadcast(Shapes.broadcast(cond.shape, a.shape), b.shape);
        Tensor out = a.wrap(a.kernels().where(cond.array(), a.array(), b.array()));
        assert Arrays.equals(out.shape, s);
        return record(out, g -> {
            Tensor zero = a.backend.full(0.0, a.dtype);
            return new Tensor[] {null,
                    a.requiresGrad ? unbroadcast(where(cond, g, zero), a.shape) : null,
                    b.requiresGrad ? unbroadcast(where(cond, zero, g), b.shape) : null};
        }, cond, a, b);
    }

    // ------------------------------------------------------------------ reductions

    /** @return the sum over all elements (a scalar) */
    public Tensor sum() {
        return sum(false);
    }

    /** @return the sum over {@code axes} (all axes if none given) */
    public Tensor sum(boolean keepDims, int... axes) {
        int[] ax = Shapes.axes(axes, shape.length);
        Tensor a = this;
        Tensor out = wrap(kernels().reduce(ReduceOp.SUM, array(), ax, keepDims));
        return record(out, g -> new Tensor[] {g.reshape(Shapes.reduced(a.shape, ax, true)).broadcastTo(a.shape)}, this);
    }

    /** @return the sum over one axis, dropping it */
    public Tensor sum(int axis) {
        return sum(false, axis);
    }

    /** @return the mean over {@code axes} (all axes if none given) */
    public Tensor mean(boolean keepDims, int... axes) {
        int[] ax = Shapes.axes(axes, shape.length);
        long n = 1;
        for (int a : ax) {
            n *= shape[a];
        }
        return sum(keepDims, ax).div((double) n);
    }

    /** @return the mean over all elements */
    public Tensor mean() {
        return mean(false);
    }

    /**
     * @return the maximum over {@code axes} (all if none); the gradient is shared equally among
     *         tied maxima
     */
    public Tensor max(boolean keepDims, int... axes) {
        int[] ax = Shapes.axes(axes, shape.length);
        Tensor a = this;
        Tensor out = wrap(kernels().reduce(ReduceOp.MAX, array(), ax, keepDims));
        return record(out, g -> {
            int[] kept = Shapes.reduced(a.shape, ax, true);
            Tensor mask = a.eq(out.reshape(kept));
            Tensor count = mask.sum(true, ax);
            return new Tensor[] {mask.mul(g.reshape(kept).div(count))};
        }, this);
    }

    /**
     * Stable {@code log(sum(exp(this), axis))}; the gradient is the softmax along {@code axis}.
     */
    public Tensor logSumExp(int axis, boolean keepDims) {
        int ax = Shapes.axis(axis, shape.length);
        Tensor a = this;
        Tensor out = wrap(kernels().logSumExp(array(), ax, keepDims));
        return record(out, g -> {
            int[] kept = Shapes.reduced(a.shape, new int[] {ax}, true);
            // an all -inf slice has log-sum-exp -inf and zero gradient: shift it by 0, not -inf
            Tensor lse = out.reshape(kept);
            Tensor lseSafe = where(lse.abs().lt(Double.POSITIVE_INFINITY), lse, a.backend.full(0.0, a.dtype));
            Tensor softmax = a.sub(lseSafe).exp();
            return new Tensor[] {softmax.mul(g.reshape(kept))};
        }, this);
    }

    // ------------------------------------------------------------------ linear algebra

    /** @return the 2-D matrix product {@code this @ o} */
    public Tensor matmul(Tensor o) {
        return matmul(o, false, false);
    }

    /**
     * @return the 2-D product {@code op(this) @ op(o)}, {@code op} transposing when its flag is set
     */
    public Tensor matmul(Tensor o, boolean transA, boolean transB) {
        checkSame("matmul", o);
        if (shape.length != 2 || o.shape.length != 2) {
            throw new ShapeException("matmul needs 2-D operands, got " + Shapes.format(shape) + " and " + Shapes.format(o.shape));
        }
        int k1 = transA ? shape[0] : shape[1];
        int k2 = transB ? o.shape[1] : o.shape[0];
        if (k1 != k2) {
            throw new ShapeException("matmul: inner dimensions differ, " + Shapes.format(shape) + (transA ? "^T" : "")
                    + " @ " + Shapes.format(o.shape) + (transB ? "^T" : ""));
        }
        Tensor a = this;
        Tensor out = wrap(kernels().matmul(array(), o.array(), transA, transB));
        return record(out, g -> {
            Tensor ga = null;
            Tensor gb = null;
            if (a.requiresGrad) {
                ga = transA ? o.matmulRaw(g, transB, true) : g.matmulRaw(o, false, !transB);
            }
            if (o.requiresGrad) {
                gb = transB ? g.matmulRaw(a, true, transA) : a.matmulRaw(g, !transA, false);
            }
            return new Tensor[] {ga, gb};
        }, this, o);
    }

    private Tensor matmulRaw(Tensor o, boolean ta, boolean tb) {
        return wrap(kernels().matmul(array(), o.array(), ta, tb));
    }

    /**
     * Dense layer {@code this @ w^T + b} through the backend's fused kernel.
     *
     * @param w weight of shape (out, in)
     * @param b bias of shape (out) or null
     * @return shape (n, out) for this of shape (n, in)
     */
    public Tensor linear(Tensor w, Tensor b) {
        checkSame("linear", w);
        if (shape.length != 2 || w.shape.length != 2 || shape[1] != w.shape[1]) {
            throw new ShapeException("linear: input " + Shapes.format(shape) + " does not fit weight " + Shapes.format(w.shape)
                    + " (expected input (n, " + (w.shape.length == 2 ? w.shape[1] : "?") + "))");
        }
        if (b != null) {
            checkSame("linear", b);
            if (b.shape.length != 1 || b.shape[0] != w.shape[0]) {
                throw new ShapeException("linear: bias " + Shapes.format(b.shape) + " does not fit weight " + Shapes.format(w.shape));
            }
        }
        Tensor x = this;
        Tensor out = wrap(kernels().linear(array(), w.array(), b == null ? null : b.array()));
        return record(out, g -> new Tensor[] {
                x.requiresGrad ? g.matmulRaw(w, false, false) : null,
                w.requiresGrad ? g.matmulRaw(x, true, false) : null,
                b != null && b.requiresGrad ? g.sum(false, 0) : null}, this, w, b);
    }

    // ------------------------------------------------------------------ fused likelihood terms

    /**
     * Element-wise Bernoulli log-probability {@code x*l - softplus(l)} of targets {@code x} under
     * {@code logits} (same shape).
     */
    public static Tensor bernoulliLogProb(Tensor logits, Tensor x) {
        logits.checkSameShape("bernoulliLogProb", x);
        Tensor out = logits.wrap(logits.kernels().bernoulliLogProb(logits.array(), x.array()));
        return record(out, g -> new Tensor[] {
                logits.requiresGrad ? g.mul(x.sub(logits.unary(UnaryOp.SIGMOID))) : null,
                x.requiresGrad ? g.mul(logits) : null}, logits, x);
    }

    /** Element-wise KL(N(mu, e^logvar) || N(0, 1)) (same shapes). */
    public static Tensor gaussianKlStdNormal(Tensor mu, Tensor logvar) {
        mu.checkSameShape("gaussianKlStdNormal", logvar);
        Tensor out = mu.wrap(mu.kernels().gaussianKlStdNormal(mu.array(), logvar.array()));
        return record(out, g -> new Tensor[] {
                mu.requiresGrad ? g.mul(mu) : null,
                logvar.requiresGrad ? g.mul(logvar.unary(UnaryOp.EXPM1)).mul(0.5) : null}, mu, logvar);
    }

    // ------------------------------------------------------------------ movement

    /** @return the same elements with a new shape (one dimension may be -1) */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new ShapeException("reshape: more than one -1 in " + Arrays.toString(newShape));
                }
                infer = i;
            } else if (s[i] < 0) {
                throw new ShapeException("reshape: negative dimension in " + Arrays.toString(newShape));
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || size() % known != 0) {
                throw new ShapeException("reshape: cannot infer -1 reshaping " + Shapes.format(shape) + " to " + Arrays.toString(newShape));
            }
            s[infer] = (int) (size() / known);
        }
        if (Shapes.size(s) != size()) {
            throw new ShapeException("reshape: " + Shapes.format(shape) + " (" + size() + " elements) cannot become "
                    + Shapes.format(s) + " (" + Shapes.size(s) + " elements)");
        }
        Tensor a = this;
        return record(wrap(kernels().reshape(array(), s)), g -> new Tensor[] {g.reshape(a.shape)}, this);
    }

    /** @return the axes permuted: result axis i is this tensor's axis {@code axes[i]} */
    public Tensor permute(int... axes) {
        if (axes.length != shape.length) {
            throw new ShapeException("permute: " + Arrays.toString(axes) + " does not fit shape " + Shapes.format(shape));
        }
        int[] inv = new int[axes.length];
        boolean[] seen = new boolean[axes.length];
        int[] norm = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = Shapes.axis(axes[i], shape.length);
            if (seen[a]) {
                throw new ShapeException("permute: axis repeated in " + Arrays.toString(axes));
            }
            seen[a] = true;
            norm[i] = a;
            inv[a] = i;
        }
        return record(wrap(kernels().permute(array(), norm)), g -> new Tensor[] {g.permute(inv)}, this);
    }

    /** @return the transpose of a 2-D tensor */
    public Tensor transpose() {
        if (shape.length != 2) {
            throw new ShapeException("transpose needs a 2-D tensor, got " + Shapes.format(shape));
        }
        return permute(1, 0);
    }

    /** @return elements {@code [start, end)} along {@code axis} */
    public Tensor slice(int axis, int start, int end) {
        int ax = Shapes.axis(axis, shape.length);
        if (start < 0 || end < start || end > shape[ax]) {
            throw new ShapeException("slice [" + start + ", " + end + ") is out of range for axis " + ax
                    + " of shape " + Shapes.format(shape));
        }
        Tensor a = this;
        return record(wrap(kernels().slice(array(), ax, start, end)), g -> {
            List<Tensor> parts = new ArrayList<>();
            if (start > 0) {
                int[] s = a.shape.clone();
                s[ax] = start;
                parts.add(a.backend.zeros(a.dtype, s));
            }
            parts.add(g);
            if (end < a.shape[ax]) {
                int[] s = a.shape.clone();
                s[ax] = a.shape[ax] - end;
                parts.add(a.backend.zeros(a.dtype, s));
            }
            return new Tensor[] {parts.size() == 1 ? g : concat(parts, ax)};
        }, this);
    }

    /** @return the tensors joined along {@code axis}; other dimensions must agree */
    public static Tensor concat(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) {
            throw new ShapeException("concat needs at least one tensor");
        }
        Tensor first = parts.get(0);
        int ax = Shapes.axis(axis, first.shape.length);
        int[] offsets = new int[parts.size() + 1];
        List<DeviceArray> arrays = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Tensor p = parts.get(i);
            first.checkSame("concat", p);
            boolean fits = p.shape.length == first.shape.length;
            for (int d = 0; fits && d < p.shape.length; d++) {
                fits = d == ax || p.shape[d] == first.shape[d];
            }
            if (!fits) {
                throw new ShapeException("concat along axis " + ax + ": " + Shapes.format(p.shape)
                        + " does not fit " + Shapes.format(first.shape));
            }
            offsets[i + 1] = offsets[i] + p.shape[ax];
            arrays.add(p.array());
        }
        Tensor out = first.wrap(first.kernels().concat(arrays, ax));
        Tensor[] inputs = parts.toArray(new Tensor[0]);
        return record(out, g -> {
            Tensor[] gs = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                gs[i] = inputs[i].requiresGrad ? g.slice(ax, offsets[i], offsets[i + 1]) : null;
            }
            return gs;
        }, inputs);
    }

    /**
     * @return rows {@code rows[i]} (along axis 0) in order; not differentiable (used for data)
     */
    public Tensor gatherRows(int[] rows) {
        if (shape.length == 0) {
            throw new ShapeException("gatherRows needs at least one dimension");
        }
        for (int r : rows) {
            if (r < 0 || r >= shape[0]) {
                throw new ShapeException("gatherRows: row " + r + " is out of range for shape " + Shapes.format(shape));
            }
        }
        if (requiresGrad && GradMode.isEnabled()) {
            throw new IllegalStateException("gatherRows is not differentiable; detach() the input first");
        }
        return wrap(kernels().gatherRows(array(), rows));
    }

    /** @return a copy converted to {@code target} (gradient converted back) */
    public Tensor cast(DType target) {
        if (target == dtype) {
            return this;
        }
        DType from = dtype;
        return record(wrap(kernels().cast(array(), target)), g -> new Tensor[] {g.cast(from)}, this);
    }

    /** @return a tensor sharing no graph with this one (a copy of the values, no gradient) */
    public Tensor detach() {
        return wrap(kernels().scalar(BinaryOp.ADD, array(), 0.0));
    }

    /** Copies {@code source}'s values into this tensor in place (no gradient recorded). */
    public void assign(Tensor source) {
        checkSameShape("assign", source);
        kernels().assign(array(), source.array());
    }
}
