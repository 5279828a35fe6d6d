package dev.vae.backend.jvm;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.random.Philox;
import dev.vae.api.spi.AdamHyper;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.Capability;
import dev.vae.api.spi.Compositions;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ReduceOp;
import dev.vae.api.spi.UnaryOp;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pure-Java reference kernels: float32 and float64 over {@link JvmArray}s, multi-threaded,
 * with a cache-blocked matrix product and no native code. This backend is the float64 oracle the
 * conformance suite compares every other backend against, so it favours exact, documented
 * semantics:
 * <ul>
 *   <li>NumPy broadcasting for binary ops and {@link #where}, including scalars, size-1 and
 *       zero-size dimensions; comparisons give 1 or 0 in the operand type.</li>
 *   <li>float32 transcendental functions are evaluated in float64 and rounded once; arithmetic,
 *       {@code sqrt}, max and min are exact IEEE float32 operations.</li>
 *   <li>float32 sums accumulate in float64. The matrix product is, for every output element, the
 *       sequential fused multiply-add chain over k (see {@link MatMul}).</li>
 *   <li>Results are bit-identical whatever the thread count: work is only ever split across
 *       output elements, or in fixed chunks whose size does not depend on the threads.</li>
 *   <li>Every fused kernel override performs exactly its composition's operations in the same
 *       order and rounding, so it is bit-identical to {@link Compositions} on this backend.</li>
 * </ul>
 *
 * <p>Outputs never share storage with inputs ({@code reshape} and {@code permute} copy). Arrays
 * used after {@link #release} raise {@link IllegalStateException}. The storage of a released
 * array goes to a bounded pool ({@link BufferPool}, 64 MiB by default) from which later arrays
 * of the same length take it, so a training loop that releases what it no longer needs allocates
 * next to nothing in steady state; a pooled buffer is zero-filled unless the kernel writes every
 * element of its output. Calls must come from one thread at a time (the SPI's rule; releases may
 * come from any thread); the instance owns a worker pool that {@link #close} stops.
 */
public final class JvmKernels implements Kernels {
    /** Cost-weighted element count of one parallel chunk of an element-wise kernel. */
    private static final int ELEMENTWISE_GRAIN = 1 << 16;
    /** Smallest element chunk of an element-wise kernel. */
    private static final int MIN_GRAIN = 4096;

    private final AtomicLong live = new AtomicLong();
    private final BufferPool pool = new BufferPool();
    private final Parallel par;
    private final MatMul matmul;
    private final String description;
    private volatile boolean closed;

    /**
     * Creates kernels using {@code threads} compute threads (the calling thread included).
     *
     * @param threads at least 1
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public JvmKernels(int threads) {
        this.par = new Parallel(threads);
        this.matmul = new MatMul(par);
        this.description = describe(threads);
    }

    /** @return the description used by {@link #deviceDescription()} for {@code threads} threads */
    static String describe(int threads) {
        return "pure Java, " + threads + (threads == 1 ? " thread" : " threads") + ", float32/float64, "
                + System.getProperty("java.vm.name", "unknown VM") + " " + System.getProperty("java.version", "?")
                + ", " + VectorSupport.describe();
    }

    /** @return the number of compute threads */
    public int threads() {
        return par.threads();
    }

    @Override
    public String name() {
        return JvmBackendProvider.NAME;
    }

    @Override
    public String deviceDescription() {
        return description;
    }

    @Override
    public Set<Capability> capabilities() {
        return Collections.unmodifiableSet(EnumSet.of(Capability.FLOAT64, Capability.IN_PLACE));
    }

    // ------------------------------------------------------------------ helpers

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("jvm backend: kernels used after close()");
        }
    }

    private JvmArray arr(DeviceArray a) {
        if (!(a instanceof JvmArray j)) {
            throw new IllegalArgumentException("jvm backend: not a jvm array: "
                    + (a == null ? "null" : a.getClass().getName()));
        }
        j.checkLive();
        return j;
    }

    /** @return a new zero-filled array */
    private JvmArray newArray(int[] shape, DType dtype) {
        ensureOpen();
        return JvmArray.allocate(shape, dtype, live, pool, true);
    }

    /**
     * @return a new array whose contents are unspecified (its storage may come from the pool): only
     *         for kernels that write every element of their output
     */
    private JvmArray output(int[] shape, DType dtype) {
        ensureOpen();
        return JvmArray.allocate(shape, dtype, live, pool, false);
    }

    private static int grain(int cost) {
        return Math.max(MIN_GRAIN, ELEMENTWISE_GRAIN / Math.max(1, cost));
    }

    private static boolean f64(JvmArray a) {
        return a.dtype() == DType.FLOAT64;
    }

    // ------------------------------------------------------------------ creation and transfer

    @Override
    public DeviceArray fromFloats(float[] data, int[] shape) {
        if (Shapes.size(shape) != data.length) {
            return JvmArray.ofFloats(data.clone(), shape, live, pool); // throws the shape error
        }
        JvmArray r = output(shape, DType.FLOAT32);
        System.arraycopy(data, 0, r.f(), 0, data.length);
        return r;
    }

    @Override
    public DeviceArray fromDoubles(double[] data, int[] shape) {
        if (Shapes.size(shape) != data.length) {
            return JvmArray.ofDoubles(data.clone(), shape, live, pool); // throws the shape error
        }
        JvmArray r = output(shape, DType.FLOAT64);
        System.arraycopy(data, 0, r.d(), 0, data.length);
        return r;
    }

    @Override
    public DeviceArray full(int[] shape, DType dtype, double value) {
        JvmArray r = output(shape, dtype);
        if (dtype == DType.FLOAT64) {
            Arrays.fill(r.d(), value);
        } else {
            Arrays.fill(r.f(), (float) value);
        }
        return r;
    }

    @Override
    public float[] toFloats(DeviceArray a) {
        JvmArray x = arr(a);
        if (!f64(x)) {
            return x.f().clone();
        }
        double[] d = x.d();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Override
    public double[] toDoubles(DeviceArray a) {
        JvmArray x = arr(a);
        if (f64(x)) {
            return x.d().clone();
        }
        float[] f = x.f();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Override
    public DeviceArray cast(DeviceArray a, DType dtype) {
        JvmArray x = arr(a);
        ensureOpen();
        if (dtype == DType.FLOAT64) {
            return JvmArray.ofDoubles(toDoubles(x), x.shape(), live, pool);
        }
        return JvmArray.ofFloats(toFloats(x), x.shape(), live, pool);
    }

    // ------------------------------------------------------------------ movement

    @Override
    public DeviceArray reshape(DeviceArray a, int[] shape) {
        JvmArray x = arr(a);
        if (Shapes.size(shape) != x.size()) {
            throw new IllegalArgumentException("jvm backend: cannot reshape " + Shapes.format(x.shape())
                    + " to " + Shapes.format(shape));
        }
        JvmArray out = output(shape, x.dtype());
        System.arraycopy(f64(x) ? x.d() : x.f(), 0, f64(x) ? out.d() : out.f(), 0, x.size());
        return out;
    }

    @Override
    public DeviceArray permute(DeviceArray a, int[] axes) {
        JvmArray x = arr(a);
        int[] shape = x.shape();
        int r = shape.length;
        if (axes.length != r) {
            throw new IllegalArgumentException("jvm backend: permutation " + Arrays.toString(axes)
                    + " does not match rank " + r);
        }
        int[] inStrides = Shapes.strides(shape);
        int[] outShape = new int[r];
        int[] st = new int[r];
        for (int i = 0; i < r; i++) {
            outShape[i] = shape[axes[i]];
            st[i] = inStrides[axes[i]];
        }
        JvmArray out = output(outShape, x.dtype());
        if (out.size() == 0) {
            return out;
        }
        StridedPlan plan = StridedPlan.of(outShape, new int[][] {st});
        int rank = plan.dims.length;
        boolean transpose = rank >= 2 && plan.strides[0][rank - 2] == 1 && plan.innerStride(0) != 1;
        if (transpose) {
            transposeBlocks(x, out, plan);
        } else {
            int s0 = plan.innerStride(0);
            if (f64(x)) {
                double[] src = x.d();
                double[] dst = out.d();
                par.forRange(out.size(), grain(2), (s, e) ->
                        plan.forRange(s, e, (offs, pos, len) -> DoubleLoops.gather(src, offs[0], s0, dst, pos, len)));
            } else {
                float[] src = x.f();
                float[] dst = out.f();
                par.forRange(out.size(), grain(2), (s, e) ->
                        plan.forRange(s, e, (offs, pos, len) -> FloatLoops.gather(src, offs[0], s0, dst, pos, len)));
            }
        }
        return out;
    }

    /**
     * Copies a plan whose last two collapsed dimensions (R, C) are read with strides (1, sC): a
     * batch of 2-D transposes, done in cache-friendly tiles.
     */
    private void transposeBlocks(JvmArray x, JvmArray out, StridedPlan plan) {
        int rank = plan.dims.length;
        int rows = plan.dims[rank - 2];
        int cols = plan.dims[rank - 1];
        int colStride = plan.innerStride(0);
        int lead = out.size() / (rows * cols);
        int tile = 32;
        int rowTiles = (rows + tile - 1) / tile;
        int tasks = lead * rowTiles;
        boolean parallel = out.size() >= ELEMENTWISE_GRAIN;
        boolean dbl = f64(x);
        double[] sd = dbl ? x.d() : null;
        double[] dd = dbl ? out.d() : null;
        float[] sf = dbl ? null : x.f();
        float[] df = dbl ? null : out.f();
        par.run(parallel ? tasks : 1, (t, w) -> {
            int from = parallel ? t : 0;
            int to = parallel ? t + 1 : tasks;
            for (int q = from; q < to; q++) {
                int l = q / rowTiles;
                int r0 = (q % rowTiles) * tile;
                int r1 = Math.min(rows, r0 + tile);
                // input offset of lead index l
                int base = 0;
                int rem = l;
                for (int d = rank - 3; d >= 0; d--) {
                    base += (rem % plan.dims[d]) * plan.strides[0][d];
                    rem /= plan.dims[d];
                }
                int ob = l * rows * cols;
                for (int c0 = 0; c0 < cols; c0 += tile) {
                    int c1 = Math.min(cols, c0 + tile);
                    for (int rr = r0; rr < r1; rr++) {
                        int o = ob + rr * cols;
                        int in = base + rr;
                        if (dbl) {
                            for (int c = c0; c < c1; c++) {
                                dd[o + c] = sd[in + c * colStride];
                            }
                        } else {
                            for (int c = c0; c < c1; c++) {
                                df[o + c] = sf[in + c * colStride];
                            }
                        }
                    }
                }
            }
        });
    }

    @Override
    public DeviceArray slice(DeviceArray a, int axis, int start, int end) {
        JvmArray x = arr(a);
        int[] shape = x.shape();
        if (axis < 0 || axis >= shape.length || start < 0 || start > end || end > shape[axis]) {
            throw new IllegalArgumentException("jvm backend: slice [" + start + ", " + end + ") of axis " + axis
                    + " is out of range for " + Shapes.format(shape));
        }
        int[] outShape = shape.clone();
        outShape[axis] = end - start;
        JvmArray out = output(outShape, x.dtype());
        int outer = (int) Shapes.size(Arrays.copyOfRange(shape, 0, axis));
        int inner = (int) Shapes.size(Arrays.copyOfRange(shape, axis + 1, shape.length));
        int dim = shape[axis];
        int len = (end - start) * inner;
        if (len == 0) {
            return out;
        }
        Object src = f64(x) ? x.d() : x.f();
        Object dst = f64(x) ? out.d() : out.f();
        for (int o = 0; o < outer; o++) {
            System.arraycopy(src, (o * dim + start) * inner, dst, o * len, len);
        }
        return out;
    }

    @Override
    public DeviceArray concat(List<DeviceArray> parts, int axis) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("jvm backend: concat of no arrays");
        }
        JvmArray[] xs = new JvmArray[parts.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = arr(parts.get(i));
        }
        int[] first = xs[0].shape();
        if (axis < 0 || axis >= first.length) {
            throw new IllegalArgumentException("jvm backend: concat axis " + axis + " out of range for "
                    + Shapes.format(first));
        }
        int total = 0;
        for (JvmArray x : xs) {
            int[] s = x.shape();
            boolean ok = s.length == first.length && x.dtype() == xs[0].dtype();
            for (int d = 0; ok && d < s.length; d++) {
                ok = d == axis || s[d] == first[d];
            }
            if (!ok) {
                throw new IllegalArgumentException("jvm backend: cannot concat " + Shapes.format(s) + ":"
                        + x.dtype().label() + " with " + Shapes.format(first) + ":" + xs[0].dtype().label()
                        + " along axis " + axis);
            }
            total += s[axis];
        }
        int[] outShape = first.clone();
        outShape[axis] = total;
        JvmArray out = output(outShape, xs[0].dtype());
        if (out.size() == 0) {
            return out;
        }
        int outer = (int) Shapes.size(Arrays.copyOfRange(first, 0, axis));
        int inner = (int) Shapes.size(Arrays.copyOfRange(first, axis + 1, first.length));
        int outRow = total * inner;
        Object dst = f64(out) ? out.d() : out.f();
        int at = 0;
        for (JvmArray x : xs) {
            int len = x.shape()[axis] * inner;
            Object src = f64(x) ? x.d() : x.f();
            for (int o = 0; o < outer && len > 0; o++) {
                System.arraycopy(src, o * len, dst, o * outRow + at, len);
            }
            at += len;
        }
        return out;
    }

    @Override
    public DeviceArray gatherRows(DeviceArray a, int[] rows) {
        JvmArray x = arr(a);
        int[] shape = x.shape();
        if (shape.length == 0) {
            throw new IllegalArgumentException("jvm backend: gatherRows needs rank >= 1, got a scalar");
        }
        for (int r : rows) {
            if (r < 0 || r >= shape[0]) {
                throw new IndexOutOfBoundsException("jvm backend: row " + r + " out of range for "
                        + Shapes.format(shape));
            }
        }
        int[] outShape = shape.clone();
        outShape[0] = rows.length;
        JvmArray out = output(outShape, x.dtype());
        int row = (int) Shapes.size(Arrays.copyOfRange(shape, 1, shape.length));
        if (row == 0 || rows.length == 0) {
            return out;
        }
        Object src = f64(x) ? x.d() : x.f();
        Object dst = f64(x) ? out.d() : out.f();
        // rows of a large source are mostly cache misses: copy them in parallel chunks
        par.forRange(rows.length, Math.max(1, ELEMENTWISE_GRAIN / row), (s, e) -> {
            for (int i = s; i < e; i++) {
                System.arraycopy(src, rows[i] * row, dst, i * row, row);
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ element-wise

    @Override
    public DeviceArray unary(UnaryOp op, DeviceArray a) {
        JvmArray x = arr(a);
        JvmArray out = output(x.shape(), x.dtype());
        int g = grain(ScalarMath.cost(op));
        if (f64(x)) {
            double[] src = x.d();
            double[] dst = out.d();
            par.forRange(out.size(), g, (s, e) -> DoubleLoops.unary(op, src, dst, s, e));
        } else {
            float[] src = x.f();
            float[] dst = out.f();
            par.forRange(out.size(), g, (s, e) -> FloatLoops.unary(op, src, dst, s, e));
        }
        return out;
    }

    @Override
    public DeviceArray binary(BinaryOp op, DeviceArray a, DeviceArray b) {
        JvmArray x = arr(a);
        JvmArray y = arr(b);
        requireSameType(x, y, op.name());
        int[] outShape = Shapes.broadcast(x.shape(), y.shape());
        JvmArray out = output(outShape, x.dtype());
        int n = out.size();
        if (n == 0) {
            return out;
        }
        int g = grain(ScalarMath.cost(op));
        if (f64(x)) {
            double[] av = x.d();
            double[] bv = y.d();
            double[] ov = out.d();
            if (x.size() == n && y.size() == n) {
                par.forRange(n, g, (s, e) -> DoubleLoops.binary(op, av, bv, ov, s, e));
            } else if (x.size() == n && y.size() == 1) {
                double c = bv[0];
                par.forRange(n, g, (s, e) -> DoubleLoops.binaryScalarRight(op, av, c, ov, s, e));
            } else if (x.size() == 1 && y.size() == n) {
                double c = av[0];
                par.forRange(n, g, (s, e) -> DoubleLoops.binaryScalarLeft(op, c, bv, ov, s, e));
            } else {
                StridedPlan plan = StridedPlan.broadcast(outShape, x.shape(), y.shape());
                int sa = plan.innerStride(0);
                int sb = plan.innerStride(1);
                par.forRange(n, Math.max(g, plan.inner()), (s, e) -> plan.forRange(s, e, (offs, pos, len) -> {
                    if (sa == 1 && sb == 0 && offs[0] == pos) {
                        DoubleLoops.binaryScalarRight(op, av, bv[offs[1]], ov, pos, pos + len);
                    } else if (sa == 0 && sb == 1 && offs[1] == pos) {
                        DoubleLoops.binaryScalarLeft(op, av[offs[0]], bv, ov, pos, pos + len);
                    } else if (sa == 1 && sb == 1) {
                        DoubleLoops.binaryOffset(op, av, offs[0], bv, offs[1], ov, pos, len);
                    } else {
                        DoubleLoops.binaryStrided(op, av, offs[0], sa, bv, offs[1], sb, ov, pos, len);
                    }
                }));
            }
        } else {
            float[] av = x.f();
            float[] bv = y.f();
            float[] ov = out.f();
            if (x.size() == n && y.size() == n) {
                par.forRange(n, g, (s, e) -> FloatLoops.binary(op, av, bv, ov, s, e));
            } else if (x.size() == n && y.size() == 1) {
                float c = bv[0];
                par.forRange(n, g, (s, e) -> FloatLoops.binaryScalarRight(op, av, c, ov, s, e));
            } else if (x.size() == 1 && y.size() == n) {
                float c = av[0];
                par.forRange(n, g, (s, e) -> FloatLoops.binaryScalarLeft(op, c, bv, ov, s, e));
            } else {
                StridedPlan plan = StridedPlan.broadcast(outShape, x.shape(), y.shape());
                int sa = plan.innerStride(0);
                int sb = plan.innerStride(1);
                par.forRange(n, Math.max(g, plan.inner()), (s, e) -> plan.forRange(s, e, (offs, pos, len) -> {
                    if (sa == 1 && sb == 0 && offs[0] == pos) {
                        FloatLoops.binaryScalarRight(op, av, bv[offs[1]], ov, pos, pos + len);
                    } else if (sa == 0 && sb == 1 && offs[1] == pos) {
                        FloatLoops.binaryScalarLeft(op, av[offs[0]], bv, ov, pos, pos + len);
                    } else if (sa == 1 && sb == 1) {
                        FloatLoops.binaryOffset(op, av, offs[0], bv, offs[1], ov, pos, len);
                    } else {
                        FloatLoops.binaryStrided(op, av, offs[0], sa, bv, offs[1], sb, ov, pos, len);
                    }
                }));
            }
        }
        return out;
    }

    @Override
    public DeviceArray where(DeviceArray cond, DeviceArray a, DeviceArray b) {
        JvmArray c = arr(cond);
        JvmArray x = arr(a);
        JvmArray y = arr(b);
        requireSameType(x, y, "where");
        requireSameType(c, x, "where");
        int[] outShape = Shapes.broadcast(Shapes.broadcast(c.shape(), x.shape()), y.shape());
        JvmArray out = output(outShape, x.dtype());
        int n = out.size();
        if (n == 0) {
            return out;
        }
        int g = grain(1);
        boolean flat = c.size() == n && x.size() == n && y.size() == n;
        StridedPlan plan = flat ? null : StridedPlan.broadcast(outShape, c.shape(), x.shape(), y.shape());
        if (f64(x)) {
            double[] cv = c.d();
            double[] av = x.d();
            double[] bv = y.d();
            double[] ov = out.d();
            if (flat) {
                par.forRange(n, g, (s, e) -> DoubleLoops.where(cv, av, bv, ov, s, e));
            } else {
                int sc = plan.innerStride(0);
                int sa = plan.innerStride(1);
                int sb = plan.innerStride(2);
                par.forRange(n, Math.max(g, plan.inner()), (s, e) -> plan.forRange(s, e, (offs, pos, len) ->
                        DoubleLoops.whereStrided(cv, offs[0], sc, av, offs[1], sa, bv, offs[2], sb, ov, pos, len)));
            }
        } else {
            float[] cv = c.f();
            float[] av = x.f();
            float[] bv = y.f();
            float[] ov = out.f();
            if (flat) {
                par.forRange(n, g, (s, e) -> FloatLoops.where(cv, av, bv, ov, s, e));
            } else {
                int sc = plan.innerStride(0);
                int sa = plan.innerStride(1);
                int sb = plan.innerStride(2);
                par.forRange(n, Math.max(g, plan.inner()), (s, e) -> plan.forRange(s, e, (offs, pos, len) ->
                        FloatLoops.whereStrided(cv, offs[0], sc, av, offs[1], sa, bv, offs[2], sb, ov, pos, len)));
            }
        }
        return out;
    }

    private static void requireSameType(JvmArray a, JvmArray b, String what) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("jvm backend: " + what + " of " + a + " and " + b
                    + " mixes dtypes");
        }
    }

    // ------------------------------------------------------------------ reductions and matmul

    @Override
    public DeviceArray reduce(ReduceOp op, DeviceArray a, int[] axes, boolean keepDims) {
        JvmArray x = arr(a);
        int[] shape = x.shape();
        int[] ax = axes.clone();
        for (int i = 0; i < ax.length; i++) {
            if (ax[i] < 0 || ax[i] >= shape.length || (i > 0 && ax[i] <= ax[i - 1])) {
                throw new IllegalArgumentException("jvm backend: reduction axes " + Arrays.toString(axes)
                        + " must be sorted, distinct and in range for " + Shapes.format(shape));
            }
        }
        if (ax.length == 0) {
            return reshape(x, shape);
        }
        JvmArray out = newArray(Shapes.reduced(shape, ax, keepDims), x.dtype());
        if (f64(x)) {
            Reductions.reduce(par, op, x.d(), shape, ax, out.d());
        } else {
            Reductions.reduce(par, op, x.f(), shape, ax, out.f());
        }
        return out;
    }

    @Override
    public DeviceArray matmul(DeviceArray a, DeviceArray b, boolean transA, boolean transB) {
        return product(arr(a), arr(b), transA, transB, null);
    }

    private JvmArray product(JvmArray x, JvmArray y, boolean transA, boolean transB, JvmArray bias) {
        requireSameType(x, y, "matmul");
        int[] as = x.shape();
        int[] bs = y.shape();
        if (as.length != 2 || bs.length != 2) {
            throw new IllegalArgumentException("jvm backend: matmul needs 2-D operands, got "
                    + Shapes.format(as) + " and " + Shapes.format(bs));
        }
        int m = transA ? as[1] : as[0];
        int k = transA ? as[0] : as[1];
        int kb = transB ? bs[1] : bs[0];
        int n = transB ? bs[0] : bs[1];
        if (k != kb) {
            throw new IllegalArgumentException("jvm backend: matmul inner dimensions differ: op(a) is ("
                    + m + ", " + k + "), op(b) is (" + kb + ", " + n + ")");
        }
        JvmArray out = output(new int[] {m, n}, x.dtype());
        if (f64(x)) {
            matmul.multiply(x.d(), y.d(), m, n, k, transA, transB, bias == null ? null : bias.d(), out.d());
        } else {
            matmul.multiply(x.f(), y.f(), m, n, k, transA, transB, bias == null ? null : bias.f(), out.f());
        }
        return out;
    }

    // ------------------------------------------------------------------ in-place and memory

    @Override
    public void assign(DeviceArray target, DeviceArray source) {
        JvmArray t = arr(target);
        JvmArray s = arr(source);
        if (!Shapes.equal(t.shape(), s.shape())) {
            throw new IllegalArgumentException("jvm backend: cannot assign " + Shapes.format(s.shape())
                    + " to " + Shapes.format(t.shape()));
        }
        ensureOpen();
        if (f64(t)) {
            if (f64(s)) {
                System.arraycopy(s.d(), 0, t.d(), 0, t.size());
            } else {
                double[] td = t.d();
                float[] sf = s.f();
                for (int i = 0; i < td.length; i++) {
                    td[i] = sf[i];
                }
            }
        } else {
            if (f64(s)) {
                float[] tf = t.f();
                double[] sd = s.d();
                for (int i = 0; i < tf.length; i++) {
                    tf[i] = (float) sd[i];
                }
            } else {
                System.arraycopy(s.f(), 0, t.f(), 0, t.size());
            }
        }
    }

    /** {@inheritDoc} A second release of the same array is ignored and leaves the count unchanged. */
    @Override
    public void release(DeviceArray a) {
        if (a instanceof JvmArray j) {
            j.release();
        } else if (a != null) {
            throw new IllegalArgumentException("jvm backend: not a jvm array: " + a.getClass().getName());
        }
    }

    @Override
    public long liveArrays() {
        return live.get();
    }

    /**
     * Stops the worker threads and drops scratch buffers and pooled storage. Arrays already created
     * stay readable (they are plain Java arrays); the kernels refuse further work.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            par.close();
            matmul.clear();
            pool.close();
        }
    }

    // ------------------------------------------------------------------ fused

    /** {@inheritDoc} Bit-identical to the composition: the scalar is rounded to the array's type. */
    @Override
    public DeviceArray scalar(BinaryOp op, DeviceArray a, double s) {
        JvmArray x = arr(a);
        JvmArray out = output(x.shape(), x.dtype());
        int g = grain(ScalarMath.cost(op));
        if (f64(x)) {
            double[] av = x.d();
            double[] ov = out.d();
            par.forRange(out.size(), g, (st, e) -> DoubleLoops.binaryScalarRight(op, av, s, ov, st, e));
        } else {
            float[] av = x.f();
            float[] ov = out.f();
            float c = (float) s;
            par.forRange(out.size(), g, (st, e) -> FloatLoops.binaryScalarRight(op, av, c, ov, st, e));
        }
        return out;
    }

    /** {@inheritDoc} The bias is added while the product is written out. */
    @Override
    public DeviceArray linear(DeviceArray x, DeviceArray w, DeviceArray b) {
        JvmArray xa = arr(x);
        JvmArray wa = arr(w);
        if (b == null) {
            return product(xa, wa, false, true, null);
        }
        JvmArray ba = arr(b);
        if (wa.shape().length != 2 || ba.shape().length != 1 || ba.shape()[0] != wa.shape()[0]
                || ba.dtype() != xa.dtype()) {
            return Compositions.linear(this, x, w, b);
        }
        return product(xa, wa, false, true, ba);
    }

    /** {@inheritDoc} One pass; bit-identical to the composition {@code g * (x > 0)}. */
    @Override
    public DeviceArray reluBackward(DeviceArray x, DeviceArray g) {
        DeviceArray out = fusedPair(x, g, 2, FloatLoops::reluBackward, DoubleLoops::reluBackward);
        return out != null ? out : Compositions.reluBackward(this, x, g);
    }

    @Override
    public DeviceArray bernoulliLogProb(DeviceArray logits, DeviceArray x) {
        DeviceArray out = fusedPair(logits, x, 24, FusedLoops::bernoulliLogProb, FusedLoops::bernoulliLogProb);
        return out != null ? out : Compositions.bernoulliLogProb(this, logits, x);
    }

    @Override
    public DeviceArray gaussianKlStdNormal(DeviceArray mu, DeviceArray logvar) {
        DeviceArray out = fusedPair(mu, logvar, 8, FusedLoops::gaussianKl, FusedLoops::gaussianKl);
        return out != null ? out : Compositions.gaussianKlStdNormal(this, mu, logvar);
    }

    /** An element-wise loop over {@code [s, e)} of two float32 operands into {@code o}. */
    @FunctionalInterface
    private interface FloatPairLoop {
        void run(float[] a, float[] b, float[] o, int s, int e);
    }

    /** An element-wise loop over {@code [s, e)} of two float64 operands into {@code o}. */
    @FunctionalInterface
    private interface DoublePairLoop {
        void run(double[] a, double[] b, double[] o, int s, int e);
    }

    /**
     * Runs a fused element-wise kernel of two operands of one shape and dtype in parallel chunks.
     *
     * @param cost the rough cost per element (see {@link #grain})
     * @return the new result, or null if the operands differ in shape or dtype (the caller then
     *     uses the composition)
     */
    private JvmArray fusedPair(DeviceArray a, DeviceArray b, int cost, FloatPairLoop f, DoublePairLoop d) {
        JvmArray x = arr(a);
        JvmArray y = arr(b);
        if (!Shapes.equal(x.shape(), y.shape()) || x.dtype() != y.dtype()) {
            return null;
        }
        JvmArray out = output(x.shape(), x.dtype());
        int g = grain(cost);
        if (f64(x)) {
            double[] xv = x.d();
            double[] yv = y.d();
            double[] ov = out.d();
            par.forRange(out.size(), g, (s, e) -> d.run(xv, yv, ov, s, e));
        } else {
            float[] xv = x.f();
            float[] yv = y.f();
            float[] ov = out.f();
            par.forRange(out.size(), g, (s, e) -> f.run(xv, yv, ov, s, e));
        }
        return out;
    }

    /**
     * {@inheritDoc} One kernel per slice: the max, then the shifted exponentials summed in the same
     * order {@link #reduce} uses, then the log; bit-identical to the composition.
     */
    @Override
    public DeviceArray logSumExp(DeviceArray a, int axis, boolean keepDims) {
        JvmArray x = arr(a);
        int[] shape = x.shape();
        int ax = Shapes.axis(axis, shape.length);
        JvmArray out = newArray(Shapes.reduced(shape, new int[] {ax}, keepDims), x.dtype());
        if (out.size() == 0) {
            return out;
        }
        int outer = (int) Shapes.size(Arrays.copyOfRange(shape, 0, ax));
        int len = shape[ax];
        int inner = (int) Shapes.size(Arrays.copyOfRange(shape, ax + 1, shape.length));
        if (f64(x)) {
            LogSumExp.run(par, x.d(), outer, len, inner, out.d());
        } else {
            LogSumExp.run(par, x.f(), outer, len, inner, out.f());
        }
        return out;
    }

    /** {@inheritDoc} A single in-place pass; bit-identical to the composition. */
    @Override
    public void adamStep(DeviceArray param, DeviceArray grad, DeviceArray m, DeviceArray v, AdamHyper h) {
        JvmArray p = arr(param);
        JvmArray g = arr(grad);
        JvmArray ma = arr(m);
        JvmArray va = arr(v);
        int[] s = p.shape();
        boolean same = Shapes.equal(s, g.shape()) && Shapes.equal(s, ma.shape()) && Shapes.equal(s, va.shape())
                && g.dtype() == p.dtype() && ma.dtype() == p.dtype() && va.dtype() == p.dtype();
        if (!same) {
            Compositions.adamStep(this, param, grad, m, v, h);
            return;
        }
        ensureOpen();
        int gr = grain(8);
        if (f64(p)) {
            double[] pv = p.d();
            double[] gv = g.d();
            double[] mv = ma.d();
            double[] vv = va.d();
            par.forRange(p.size(), gr, (st, e) -> FusedLoops.adam(pv, gv, mv, vv, h, st, e));
        } else {
            float[] pv = p.f();
            float[] gv = g.f();
            float[] mv = ma.f();
            float[] vv = va.f();
            par.forRange(p.size(), gr, (st, e) -> FusedLoops.adam(pv, gv, mv, vv, h, st, e));
        }
    }

    /** {@inheritDoc} Generated straight into the new array, in parallel chunks of whole blocks. */
    @Override
    public DeviceArray philoxNormal(long seed, long stream, long counter, int[] shape, DType dtype) {
        JvmArray out = output(shape, dtype);
        if (dtype == DType.FLOAT64) {
            double[] d = out.d();
            par.forRange(d.length, 4096, (s, e) -> Philox.normalDoubles(seed, stream, counter + s / 2, d, s, e - s));
        } else {
            float[] f = out.f();
            par.forRange(f.length, 4096, (s, e) -> Philox.normalFloats(seed, stream, counter + s / 4, f, s, e - s));
        }
        return out;
    }

    /** {@inheritDoc} Generated straight into the new array, in parallel chunks of whole blocks. */
    @Override
    public DeviceArray philoxUniform(long seed, long stream, long counter, int[] shape, DType dtype) {
        JvmArray out = output(shape, dtype);
        if (dtype == DType.FLOAT64) {
            double[] d = out.d();
            par.forRange(d.length, 4096, (s, e) -> Philox.uniformDoubles(seed, stream, counter + s / 2, d, s, e - s));
        } else {
            float[] f = out.f();
            par.forRange(f.length, 4096, (s, e) -> Philox.uniformFloats(seed, stream, counter + s / 4, f, s, e - s));
        }
        return out;
    }

    @Override
    public String toString() {
        return "JvmKernels[" + description + ", live=" + live.get() + "]";
    }
}
