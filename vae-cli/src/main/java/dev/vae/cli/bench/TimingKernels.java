package dev.vae.cli.bench;

import dev.vae.api.DType;
import dev.vae.api.spi.AdamHyper;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.Capability;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ReduceOp;
import dev.vae.api.spi.UnaryOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A delegating {@link Kernels} that measures, with {@link System#nanoTime()}, how long each call
 * into the wrapped backend takes, and accumulates the time and call count per operation and per
 * {@link KernelCategory}. Wrap a backend's kernels and use {@code Backend.of(new
 * TimingKernels(kernels))}: every tensor op then runs through the decorator.
 *
 * <p>Every method, the optional fused ones included, is forwarded to the wrapped kernels, so a
 * backend's own fused overrides (or its default compositions, which then call the wrapped
 * instance directly) run exactly as without the decorator, and a fused kernel's time is
 * attributed to the fused kernel as a whole.
 *
 * <p>While {@link #attributeTo(KernelCategory)} is set (for example around {@code
 * optimizer.step()}) every call's time goes to that category instead of the op's own one; the
 * per-operation statistics are unaffected.
 *
 * <p>On an asynchronous backend (one that queues work on a device and returns, such as CUDA) the
 * times are launch times only, and the wait shows up in the next call that synchronises (a host
 * read, {@link KernelCategory#TRANSFER}); see {@link AsyncBackends}.
 *
 * <p>{@link #close()} closes the wrapped kernels. Like every {@link Kernels}, this class is used
 * from one thread at a time.
 */
public final class TimingKernels implements Kernels {
    private static final List<String> OP_NAMES = new ArrayList<>();
    private static final List<KernelCategory> OP_CATEGORIES = new ArrayList<>();

    private static final int MATMUL = register("matmul", KernelCategory.MATMUL, "NN", "NT", "TN", "TT");
    private static final int LINEAR = register("linear", KernelCategory.MATMUL);
    private static final int UNARY = register("unary", KernelCategory.ELEMENTWISE, names(UnaryOp.values()));
    private static final int BINARY = register("binary", KernelCategory.ELEMENTWISE, names(BinaryOp.values()));
    private static final int SCALAR = register("scalar", KernelCategory.ELEMENTWISE, names(BinaryOp.values()));
    private static final int WHERE = register("where", KernelCategory.ELEMENTWISE);
    private static final int CAST = register("cast", KernelCategory.ELEMENTWISE);
    private static final int RELU_BACKWARD = register("reluBackward", KernelCategory.ELEMENTWISE);
    private static final int BERNOULLI = register("bernoulliLogProb", KernelCategory.ELEMENTWISE);
    private static final int GAUSSIAN_KL = register("gaussianKlStdNormal", KernelCategory.ELEMENTWISE);
    private static final int PHILOX_NORMAL = register("philoxNormal", KernelCategory.ELEMENTWISE);
    private static final int PHILOX_UNIFORM = register("philoxUniform", KernelCategory.ELEMENTWISE);
    private static final int REDUCE = register("reduce", KernelCategory.REDUCTION, names(ReduceOp.values()));
    private static final int LOG_SUM_EXP = register("logSumExp", KernelCategory.REDUCTION);
    private static final int RESHAPE = register("reshape", KernelCategory.MOVEMENT);
    private static final int PERMUTE = register("permute", KernelCategory.MOVEMENT);
    private static final int SLICE = register("slice", KernelCategory.MOVEMENT);
    private static final int CONCAT = register("concat", KernelCategory.MOVEMENT);
    private static final int GATHER = register("gatherRows", KernelCategory.MOVEMENT);
    private static final int ASSIGN = register("assign", KernelCategory.MOVEMENT);
    private static final int FROM_FLOATS = register("fromFloats", KernelCategory.MEMORY);
    private static final int FROM_DOUBLES = register("fromDoubles", KernelCategory.MEMORY);
    private static final int FULL = register("full", KernelCategory.MEMORY);
    private static final int RELEASE = register("release", KernelCategory.MEMORY);
    private static final int TO_FLOATS = register("toFloats", KernelCategory.TRANSFER);
    private static final int TO_DOUBLES = register("toDoubles", KernelCategory.TRANSFER);
    private static final int ADAM = register("adamStep", KernelCategory.OPTIMIZER);
    private static final int OP_COUNT = OP_NAMES.size();
    private static final KernelCategory[] CATEGORY_OF = OP_CATEGORIES.toArray(new KernelCategory[0]);

    private final Kernels inner;
    private final long[] opNanos = new long[OP_COUNT];
    private final long[] opCalls = new long[OP_COUNT];
    private final long[] categoryNanos = new long[KernelCategory.values().length];
    private final long[] categoryCalls = new long[KernelCategory.values().length];
    private KernelCategory override;

    /** @param inner the backend's kernels, which do the work */
    public TimingKernels(Kernels inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    private static String[] names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toArray(String[]::new);
    }

    /** Registers an op (or one op per variant) and returns the index of the first. */
    private static int register(String name, KernelCategory category, String... variants) {
        int first = OP_NAMES.size();
        if (variants.length == 0) {
            OP_NAMES.add(name);
            OP_CATEGORIES.add(category);
        }
        for (String v : variants) {
            OP_NAMES.add(name + " " + v);
            OP_CATEGORIES.add(category);
        }
        return first;
    }

    /** @return the wrapped kernels */
    public Kernels inner() {
        return inner;
    }

    /**
     * Attributes the time of every following call to {@code category} until called again with
     * null.
     *
     * @param category the category to charge, or null for each op's own category
     * @return the previous setting
     */
    public KernelCategory attributeTo(KernelCategory category) {
        KernelCategory previous = override;
        override = category;
        return previous;
    }

    /** Clears every accumulated time and count. */
    public void reset() {
        Arrays.fill(opNanos, 0);
        Arrays.fill(opCalls, 0);
        Arrays.fill(categoryNanos, 0);
        Arrays.fill(categoryCalls, 0);
    }

    /** @return an immutable copy of the statistics accumulated since construction or {@link #reset()} */
    public Snapshot snapshot() {
        List<OpTime> ops = new ArrayList<>();
        for (int i = 0; i < OP_COUNT; i++) {
            if (opCalls[i] > 0) {
                ops.add(new OpTime(OP_NAMES.get(i), CATEGORY_OF[i], opCalls[i], opNanos[i]));
            }
        }
        ops.sort((a, b) -> Long.compare(b.nanos(), a.nanos()));
        return new Snapshot(categoryNanos.clone(), categoryCalls.clone(), Collections.unmodifiableList(ops));
    }

    /**
     * Accumulated time of one operation.
     *
     * @param name     the op, with its variant ({@code matmul NT}, {@code unary RELU}, {@code linear})
     * @param category the op's own category
     * @param calls    number of calls
     * @param nanos    total time of those calls
     */
    public record OpTime(String name, KernelCategory category, long calls, long nanos) {
    }

    /**
     * Statistics at one moment.
     *
     * @param categoryNanos total nanoseconds per {@link KernelCategory}, indexed by ordinal
     * @param categoryCalls calls per category, indexed by ordinal
     * @param ops           per-operation totals, most expensive first
     */
    public record Snapshot(long[] categoryNanos, long[] categoryCalls, List<OpTime> ops) {
        /** @return the total time charged to {@code c} */
        public long nanos(KernelCategory c) {
            return categoryNanos[c.ordinal()];
        }

        /** @return the number of calls charged to {@code c} */
        public long calls(KernelCategory c) {
            return categoryCalls[c.ordinal()];
        }

        /** @return the time of every kernel call together */
        public long totalNanos() {
            long s = 0;
            for (long n : categoryNanos) {
                s += n;
            }
            return s;
        }

        /** @return the number of kernel calls together */
        public long totalCalls() {
            long s = 0;
            for (long n : categoryCalls) {
                s += n;
            }
            return s;
        }
    }

    private void charge(int op, long start) {
        long dt = System.nanoTime() - start;
        opNanos[op] += dt;
        opCalls[op]++;
        int c = override != null ? override.ordinal() : CATEGORY_OF[op].ordinal();
        categoryNanos[c] += dt;
        categoryCalls[c]++;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String deviceDescription() {
        return inner.deviceDescription();
    }

    @Override
    public Set<Capability> capabilities() {
        return inner.capabilities();
    }

    @Override
    public DeviceArray fromFloats(float[] data, int[] shape) {
        long t = System.nanoTime();
        DeviceArray r = inner.fromFloats(data, shape);
        charge(FROM_FLOATS, t);
        return r;
    }

    @Override
    public DeviceArray fromDoubles(double[] data, int[] shape) {
        long t = System.nanoTime();
        DeviceArray r = inner.fromDoubles(data, shape);
        charge(FROM_DOUBLES, t);
        return r;
    }

    @Override
    public DeviceArray full(int[] shape, DType dtype, double value) {
        long t = System.nanoTime();
        DeviceArray r = inner.full(shape, dtype, value);
        charge(FULL, t);
        return r;
    }

    @Override
    public float[] toFloats(DeviceArray a) {
        long t = System.nanoTime();
        float[] r = inner.toFloats(a);
        charge(TO_FLOATS, t);
        return r;
    }

    @Override
    public double[] toDoubles(DeviceArray a) {
        long t = System.nanoTime();
        double[] r = inner.toDoubles(a);
        charge(TO_DOUBLES, t);
        return r;
    }

    @Override
    public DeviceArray cast(DeviceArray a, DType dtype) {
        long t = System.nanoTime();
        DeviceArray r = inner.cast(a, dtype);
        charge(CAST, t);
        return r;
    }

    @Override
    public DeviceArray reshape(DeviceArray a, int[] shape) {
        long t = System.nanoTime();
        DeviceArray r = inner.reshape(a, shape);
        charge(RESHAPE, t);
        return r;
    }

    @Override
    public DeviceArray permute(DeviceArray a, int[] axes) {
        long t = System.nanoTime();
        DeviceArray r = inner.permute(a, axes);
        charge(PERMUTE, t);
        return r;
    }

    @Override
    public DeviceArray slice(DeviceArray a, int axis, int start, int end) {
        long t = System.nanoTime();
        DeviceArray r = inner.slice(a, axis, start, end);
        charge(SLICE, t);
        return r;
    }

    @Override
    public DeviceArray concat(List<DeviceArray> parts, int axis) {
        long t = System.nanoTime();
        DeviceArray r = inner.concat(parts, axis);
        charge(CONCAT, t);
        return r;
    }

    @Override
    public DeviceArray gatherRows(DeviceArray a, int[] rows) {
        long t = System.nanoTime();
        DeviceArray r = inner.gatherRows(a, rows);
        charge(GATHER, t);
        return r;
    }

    @Override
    public DeviceArray unary(UnaryOp op, DeviceArray a) {
        long t = System.nanoTime();
        DeviceArray r = inner.unary(op, a);
        charge(UNARY + op.ordinal(), t);
        return r;
    }

    @Override
    public DeviceArray binary(BinaryOp op, DeviceArray a, DeviceArray b) {
        long t = System.nanoTime();
        DeviceArray r = inner.binary(op, a, b);
        charge(BINARY + op.ordinal(), t);
        return r;
    }

    @Override
    public DeviceArray where(DeviceArray cond, DeviceArray a, DeviceArray b) {
        long t = System.nanoTime();
        DeviceArray r = inner.where(cond, a, b);
        charge(WHERE, t);
        return r;
    }

    @Override
    public DeviceArray reduce(ReduceOp op, DeviceArray a, int[] axes, boolean keepDims) {
        long t = System.nanoTime();
        DeviceArray r = inner.reduce(op, a, axes, keepDims);
        charge(REDUCE + op.ordinal(), t);
        return r;
    }

    @Override
    public DeviceArray matmul(DeviceArray a, DeviceArray b, boolean transA, boolean transB) {
        long t = System.nanoTime();
        DeviceArray r = inner.matmul(a, b, transA, transB);
        charge(MATMUL + (transA ? 2 : 0) + (transB ? 1 : 0), t);
        return r;
    }

    @Override
    public void assign(DeviceArray target, DeviceArray source) {
        long t = System.nanoTime();
        inner.assign(target, source);
        charge(ASSIGN, t);
    }

    @Override
    public void release(DeviceArray a) {
        long t = System.nanoTime();
        inner.release(a);
        charge(RELEASE, t);
    }

    @Override
    public OptionalLong deviceMemoryInUse() {
        return inner.deviceMemoryInUse();
    }

    @Override
    public long liveArrays() {
        return inner.liveArrays();
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public DeviceArray scalar(BinaryOp op, DeviceArray a, double s) {
        long t = System.nanoTime();
        DeviceArray r = inner.scalar(op, a, s);
        charge(SCALAR + op.ordinal(), t);
        return r;
    }

    @Override
    public DeviceArray linear(DeviceArray x, DeviceArray w, DeviceArray b) {
        long t = System.nanoTime();
        DeviceArray r = inner.linear(x, w, b);
        charge(LINEAR, t);
        return r;
    }

    @Override
    public DeviceArray reluBackward(DeviceArray x, DeviceArray g) {
        long t = System.nanoTime();
        DeviceArray r = inner.reluBackward(x, g);
        charge(RELU_BACKWARD, t);
        return r;
    }

    @Override
    public DeviceArray bernoulliLogProb(DeviceArray logits, DeviceArray x) {
        long t = System.nanoTime();
        DeviceArray r = inner.bernoulliLogProb(logits, x);
        charge(BERNOULLI, t);
        return r;
    }

    @Override
    public DeviceArray gaussianKlStdNormal(DeviceArray mu, DeviceArray logvar) {
        long t = System.nanoTime();
        DeviceArray r = inner.gaussianKlStdNormal(mu, logvar);
        charge(GAUSSIAN_KL, t);
        return r;
    }

    @Override
    public DeviceArray logSumExp(DeviceArray a, int axis, boolean keepDims) {
        long t = System.nanoTime();
        DeviceArray r = inner.logSumExp(a, axis, keepDims);
        charge(LOG_SUM_EXP, t);
        return r;
    }

    @Override
    public void adamStep(DeviceArray param, DeviceArray grad, DeviceArray m, DeviceArray v, AdamHyper h) {
        long t = System.nanoTime();
        inner.adamStep(param, grad, m, v, h);
        charge(ADAM, t);
    }

    @Override
    public DeviceArray philoxNormal(long seed, long stream, long counter, int[] shape, DType dtype) {
        long t = System.nanoTime();
        DeviceArray r = inner.philoxNormal(seed, stream, counter, shape, dtype);
        charge(PHILOX_NORMAL, t);
        return r;
    }

    @Override
    public DeviceArray philoxUniform(long seed, long stream, long counter, int[] shape, DType dtype) {
        long t = System.nanoTime();
        DeviceArray r = inner.philoxUniform(seed, stream, counter, shape, dtype);
        charge(PHILOX_UNIFORM, t);
        return r;
    }
}
