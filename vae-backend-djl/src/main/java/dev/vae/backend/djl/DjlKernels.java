package dev.vae.backend.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.AdamHyper;
import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.Capability;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ReduceOp;
import dev.vae.api.spi.UnaryOp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Set;

/**
 * The kernels on DJL's PyTorch engine (CPU), in float32 and float64.
 *
 * <h2>Memory</h2>
 * Every array is a PyTorch tensor attached to one root {@link NDManager} per instance; the tensor
 * owns its storage (never a view of another array's storage, never a Java direct buffer), so
 * {@link #release} frees its native memory at once and {@link #assign} can write in place without
 * touching any other array. The temporaries a kernel creates are closed before it returns.
 * {@link #close()} closes the root manager and with it everything still alive.
 *
 * <h2>Semantics</h2>
 * Broadcasting, reductions and matmul are PyTorch's, which follow NumPy, with these adjustments
 * to the SPI's documented definitions: reducing MAX over an empty axis gives -inf (PyTorch
 * refuses), an empty axis list copies, comparisons are converted to 0/1 in the operand dtype,
 * {@code SIGN(NaN)} is NaN, and {@code LOG1P}/{@code EXPM1} (which DJL does not expose) use Kahan's
 * accurate formulas {@code log(u)*x/(u-1)} with {@code u = 1+x} and {@code (u-1)*x/log(u)} with
 * {@code u = e^x}. {@code SOFTPLUS} is PyTorch's in float32 (within one or two ulps of the exact
 * value) and {@code max(x,0)+log1p(e^-|x|)} in float64, where PyTorch's threshold of 20 would
 * lose about 1e-10 relative accuracy.
 *
 * <h2>Threads</h2>
 * The instance uses {@link BackendConfig#effectiveThreads()} PyTorch intra-op threads for matrix
 * products of at least {@link #parallelMacs} multiply-adds and element-wise work of at least
 * {@link #parallelElements} elements, and one thread for smaller work, where waking a sleeping
 * OpenMP worker costs more than the op (see {@link #useThreads}). Each kernel sets the count
 * before its native calls (an {@code omp_set_num_threads} of the calling thread), so instances
 * with different counts do not disturb each other.
 *
 * <p>Instances are not thread-safe; the SPI calls one from one thread at a time.
 */
public final class DjlKernels implements Kernels {

    private static final Device CPU = Device.cpu();
    private static final Shape SCALAR = new Shape();
    private static final Set<Capability> CAPABILITIES =
            Collections.unmodifiableSet(EnumSet.of(Capability.FLOAT64, Capability.IN_PLACE, Capability.NATIVE_MEMORY));

    private static final int ZERO = 0;
    private static final int ONE = 1;
    private static final int MINUS_ONE = 2;
    private static final int POS_INF = 3;
    private static final int HALF = 4;
    private static final double[] CONSTANT_VALUES = {0.0, 1.0, -1.0, Double.POSITIVE_INFINITY, 0.5};

    private static final int ADAM_B1 = 0;
    private static final int ADAM_C1 = 1;
    private static final int ADAM_B2 = 2;
    private static final int ADAM_C2 = 3;
    private static final int ADAM_LR = 4;
    private static final int ADAM_EPS = 5;
    private static final int ADAM_DECAY = 6;
    private static final int ADAM_C2_C1 = 7;

    /** most distinct scalar values cached per dtype by {@link #cachedScalar} */
    private static final int SCALAR_CACHE_LIMIT = 64;

    private final PtNDManager root;
    /**
     * Element count from which element-wise, reduction and copy kernels run on all
     * {@link #threads}; smaller ones run on the calling thread alone (see {@link #useThreads}).
     */
    long parallelElements = 1 << 20;
    /** Multiply-adds ({@code m*n*k}) from which a matrix product runs on all {@link #threads}. */
    long parallelMacs = 1 << 23;
    /** 0-d tensors of {@link #scalar} operands, [dtype ordinal] keyed by the value's bits; attached to the root */
    private final HashMap<Long, PtNDArray>[] scalarCache = newScalarCache();
    /** the last {@link AdamHyper} per dtype ordinal and its cached 0-d operands (see {@link #adamScalars}) */
    private final AdamHyper[] adamHyper = new AdamHyper[DType.values().length];
    private final PtNDArray[][] adamConst = new PtNDArray[DType.values().length][];
    private final int threads;
    /** cached 0-d constants, [dtype ordinal][constant]; attached to the root, not counted as live */
    private final PtNDArray[][] constants = new PtNDArray[DType.values().length][CONSTANT_VALUES.length];
    private ByteBuffer scratch = ByteBuffer.allocateDirect(0);
    /** largest host-transfer buffer kept, in bytes; bigger uploads go in chunks of this size */
    int scratchLimit = 16 << 20;
    private long live;
    private boolean closed;

    /**
     * Creates the kernels, loading the PyTorch engine (offline) if this JVM has not yet.
     *
     * @param config thread count (PyTorch intra-op threads) and options (none are read)
     * @throws IllegalStateException if the engine cannot be loaded
     */
    DjlKernels(BackendConfig config) {
        DjlRuntime.engine();
        this.threads = config.effectiveThreads();
        JniUtils.setNumThreads(threads);
        this.root = (PtNDManager) NDManager.newBaseManager(CPU, DjlRuntime.ENGINE);
    }

    @Override
    public String name() {
        return DjlBackendProvider.NAME;
    }

    @Override
    public String deviceDescription() {
        return DjlRuntime.describe(threads);
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    // ------------------------------------------------------------------ creation and transfer

    @Override
    public DeviceArray fromFloats(float[] data, int[] shape) {
        int n = checkedSize(shape, data.length);
        if (n == 0) {
            return wrap(empty(shape, DType.FLOAT32), shape.clone(), DType.FLOAT32);
        }
        PtNDArray nd = upload(n, 4, shape, DataType.FLOAT32, (b, off, len) -> b.asFloatBuffer().put(data, off, len));
        return wrap(nd, shape.clone(), DType.FLOAT32);
    }

    @Override
    public DeviceArray fromDoubles(double[] data, int[] shape) {
        int n = checkedSize(shape, data.length);
        if (n == 0) {
            return wrap(empty(shape, DType.FLOAT64), shape.clone(), DType.FLOAT64);
        }
        PtNDArray nd = upload(n, 8, shape, DataType.FLOAT64, (b, off, len) -> b.asDoubleBuffer().put(data, off, len));
        return wrap(nd, shape.clone(), DType.FLOAT64);
    }

    @Override
    public DeviceArray full(int[] shape, DType dtype, double value) {
        ensureOpen();
        elementThreads(shape);
        PtNDArray nd = JniUtils.full(root, toShape(shape), value, dataType(dtype), CPU, SparseFormat.DENSE);
        return wrap(nd, shape.clone(), dtype);
    }

    @Override
    public float[] toFloats(DeviceArray a) {
        DjlArray d = own(a);
        int n = Shapes.sizeInt(d.shape());
        elementThreads(n);
        float[] out = new float[n];
        if (n == 0) {
            return out;
        }
        if (d.dtype() == DType.FLOAT32) {
            bytes(d.nd()).asFloatBuffer().get(out);
        } else {
            try (PtNDArray f = JniUtils.to(d.nd(), DataType.FLOAT32, CPU)) {
                bytes(f).asFloatBuffer().get(out);
            }
        }
        return out;
    }

    @Override
    public double[] toDoubles(DeviceArray a) {
        DjlArray d = own(a);
        int n = Shapes.sizeInt(d.shape());
        elementThreads(n);
        double[] out = new double[n];
        if (n == 0) {
            return out;
        }
        if (d.dtype() == DType.FLOAT64) {
            bytes(d.nd()).asDoubleBuffer().get(out);
        } else {
            try (PtNDArray f = JniUtils.to(d.nd(), DataType.FLOAT64, CPU)) {
                bytes(f).asDoubleBuffer().get(out);
            }
        }
        return out;
    }

    @Override
    public DeviceArray cast(DeviceArray a, DType dtype) {
        DjlArray d = own(a);
        elementThreads(d.shape());
        PtNDArray r = d.dtype() == dtype ? JniUtils.clone(d.nd()) : JniUtils.to(d.nd(), dataType(dtype), CPU);
        return wrap(r, d.shape().clone(), dtype);
    }

    // ------------------------------------------------------------------ movement

    @Override
    public DeviceArray reshape(DeviceArray a, int[] shape) {
        DjlArray d = own(a);
        elementThreads(d.shape());
        // our tensors are contiguous, so the reshape of the (contiguous) clone is a view of it and
        // closing the clone's handle leaves the storage to the result alone
        try (PtNDArray c = JniUtils.clone(d.nd())) {
            return wrap(JniUtils.reshape(c, toLongs(shape)), shape.clone(), d.dtype());
        }
    }

    @Override
    public DeviceArray permute(DeviceArray a, int[] axes) {
        DjlArray d = own(a);
        int[] in = d.shape();
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = in[axes[i]];
        }
        elementThreads(out);
        try (PtNDArray view = JniUtils.permute(d.nd(), toLongs(axes))) {
            return wrap(contiguousCopy(view, out, d.dtype()), out, d.dtype());
        }
    }

    @Override
    public DeviceArray slice(DeviceArray a, int axis, int start, int end) {
        DjlArray d = own(a);
        int[] out = d.shape().clone();
        out[axis] = end - start;
        elementThreads(out);
        try (PtNDArray view = JniUtils.slice(d.nd(), axis, start, end, 1)) {
            return wrap(contiguousCopy(view, out, d.dtype()), out, d.dtype());
        }
    }

    @Override
    public DeviceArray concat(List<DeviceArray> parts, int axis) {
        PtNDArray[] nds = new PtNDArray[parts.size()];
        DjlArray first = own(parts.get(0));
        int[] out = first.shape().clone();
        out[axis] = 0;
        for (int i = 0; i < nds.length; i++) {
            DjlArray p = own(parts.get(i));
            nds[i] = p.nd();
            out[axis] += p.shape()[axis];
        }
        elementThreads(out);
        return wrap(JniUtils.cat(nds, axis), out, first.dtype());
    }

    @Override
    public DeviceArray gatherRows(DeviceArray a, int[] rows) {
        DjlArray d = own(a);
        int[] in = d.shape();
        int[] out = in.clone();
        out[0] = rows.length;
        elementThreads(out);
        long rest = 1;
        for (int i = 1; i < in.length; i++) {
            rest *= in[i];
        }
        try (Temps t = new Temps()) {
            PtNDArray index = rows.length == 0
                    ? t.add(empty(new int[] {0}, DataType.INT32))
                    : t.add(upload(rows.length, 4, new int[] {rows.length}, DataType.INT32,
                            (b, off, len) -> b.asIntBuffer().put(rows, off, len)));
            PtNDArray table = t.add(JniUtils.reshape(d.nd(), new long[] {in[0], rest}));
            PtNDArray picked = t.add(JniUtils.embedding(index, table, false));
            return wrap(JniUtils.reshape(picked, toLongs(out)), out, d.dtype());
        }
    }

    // ------------------------------------------------------------------ element-wise

    @Override
    public DeviceArray unary(UnaryOp op, DeviceArray a) {
        DjlArray d = own(a);
        elementThreads(d.shape());
        return wrap(unaryNd(op, d.nd(), d.dtype()), d.shape().clone(), d.dtype());
    }

    @Override
    public DeviceArray binary(BinaryOp op, DeviceArray a, DeviceArray b) {
        DjlArray x = own(a);
        DjlArray y = own(b);
        int[] shape = Shapes.broadcast(x.shape(), y.shape());
        elementThreads(shape);
        return wrap(binaryNd(op, x.nd(), y.nd(), x.dtype()), shape, x.dtype());
    }

    @Override
    public DeviceArray where(DeviceArray cond, DeviceArray a, DeviceArray b) {
        DjlArray c = own(cond);
        DjlArray x = own(a);
        DjlArray y = own(b);
        int[] shape = Shapes.broadcast(Shapes.broadcast(c.shape(), x.shape()), y.shape());
        elementThreads(shape);
        try (PtNDArray mask = JniUtils.neq(c.nd(), constant(ZERO, c.dtype()))) {
            return wrap(JniUtils.where(mask, x.nd(), y.nd()), shape, x.dtype());
        }
    }

    // ------------------------------------------------------------------ reductions and matmul

    @Override
    public DeviceArray reduce(ReduceOp op, DeviceArray a, int[] axes, boolean keepDims) {
        DjlArray d = own(a);
        int[] shape = Shapes.reduced(d.shape(), axes, keepDims);
        elementThreads(d.shape());
        return wrap(reduceNd(op, d.nd(), d.shape(), axes, keepDims, d.dtype()), shape, d.dtype());
    }

    @Override
    public DeviceArray matmul(DeviceArray a, DeviceArray b, boolean transA, boolean transB) {
        DjlArray x = own(a);
        DjlArray y = own(b);
        int m = transA ? x.shape()[1] : x.shape()[0];
        int n = transB ? y.shape()[0] : y.shape()[1];
        int k = transA ? x.shape()[0] : x.shape()[1];
        useThreads((long) m * n * k, parallelMacs);
        try (Temps t = new Temps()) {
            // transposed views: PyTorch hands the strides to BLAS as transpose flags, no copy
            PtNDArray l = transA ? t.add(JniUtils.transpose(x.nd(), 0, 1)) : x.nd();
            PtNDArray r = transB ? t.add(JniUtils.transpose(y.nd(), 0, 1)) : y.nd();
            return wrap(JniUtils.matmul(l, r), new int[] {m, n}, x.dtype());
        }
    }

    // ------------------------------------------------------------------ in-place and memory

    @Override
    public void assign(DeviceArray target, DeviceArray source) {
        DjlArray t = own(target);
        DjlArray s = own(source);
        elementThreads(t.shape());
        copyInto(t.nd(), s.nd(), t.shape());
    }

    @Override
    public void release(DeviceArray a) {
        if (!(a instanceof DjlArray d) || d.owner() != this) {
            throw new IllegalArgumentException("not an array of this DJL backend instance: " + a);
        }
        if (closed) {
            return;
        }
        if (d.release()) {
            live--;
        }
    }

    @Override
    public long liveArrays() {
        return live;
    }

    /**
     * @return the number of native tensors attached to this instance's root manager: the live
     *     arrays plus the few cached constants (for leak checks in tests)
     */
    int nativeTensorCount() {
        return closed ? 0 : root.getManagedArrays().size();
    }

    /** Closes the root manager, freeing every array and constant still held; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        live = 0;
        root.close();
    }

    // ------------------------------------------------------------------ fused

    /**
     * Binary op against a 0-d tensor of {@code s} in the operand's dtype, as the composition does.
     * The 0-d tensor comes from a small cache (a model uses a handful of distinct scalars), so the
     * call is one native op instead of three.
     */
    @Override
    public DeviceArray scalar(BinaryOp op, DeviceArray a, double s) {
        DjlArray d = own(a);
        elementThreads(d.shape());
        PtNDArray sc = cachedScalar(s, d.dtype());
        if (sc != null) {
            return wrap(binaryNd(op, d.nd(), sc, d.dtype()), d.shape().clone(), d.dtype());
        }
        try (PtNDArray tmp = scalarNd(s, d.dtype())) {
            return wrap(binaryNd(op, d.nd(), tmp, d.dtype()), d.shape().clone(), d.dtype());
        }
    }

    /** One fused {@code addmm} (PyTorch's {@code linear}): the bias seeds the GEMM accumulator. */
    @Override
    public DeviceArray linear(DeviceArray x, DeviceArray w, DeviceArray b) {
        DjlArray xd = own(x);
        DjlArray wd = own(w);
        PtNDArray bias = b == null ? null : own(b).nd();
        int[] shape = {xd.shape()[0], wd.shape()[0]};
        useThreads((long) shape[0] * shape[1] * xd.shape()[1], parallelMacs);
        return wrap(JniUtils.linear(xd.nd(), wd.nd(), bias), shape, xd.dtype());
    }

    /**
     * {@code g * (x > 0)} as two native ops: the comparison's boolean mask multiplies {@code g}
     * directly (PyTorch promotes it to g's dtype), so no float mask is materialised.
     */
    @Override
    public DeviceArray reluBackward(DeviceArray x, DeviceArray g) {
        DjlArray xd = own(x);
        DjlArray gd = own(g);
        elementThreads(gd.shape());
        PtNDArray zero = cachedScalar(0.0, xd.dtype());
        try (PtNDArray positive = zero != null ? JniUtils.gt(xd.nd(), zero) : gtZero(xd)) {
            return wrap(JniUtils.mul(gd.nd(), positive), gd.shape().clone(), gd.dtype());
        }
    }

    private PtNDArray gtZero(DjlArray x) {
        try (PtNDArray zero = scalarNd(0.0, x.dtype())) {
            return JniUtils.gt(x.nd(), zero);
        }
    }

    /** {@code x*l - softplus(l)} with the product updated in place. */
    @Override
    public DeviceArray bernoulliLogProb(DeviceArray logits, DeviceArray x) {
        DjlArray l = own(logits);
        DjlArray xd = own(x);
        int[] shape = Shapes.broadcast(xd.shape(), l.shape());
        elementThreads(shape);
        PtNDArray xl = JniUtils.mul(xd.nd(), l.nd());
        try (PtNDArray sp = softplus(l.nd(), l.dtype())) {
            JniUtils.subi(xl, sp);
        } catch (RuntimeException e) {
            xl.close();
            throw e;
        }
        return wrap(xl, shape, l.dtype());
    }

    /**
     * {@code 0.5*(e^lv + mu^2 - 1 - lv)}, in the composition's order and with its roundings,
     * accumulating in place in the buffer of {@code e^lv}.
     */
    @Override
    public DeviceArray gaussianKlStdNormal(DeviceArray mu, DeviceArray logvar) {
        DjlArray m = own(mu);
        DjlArray lv = own(logvar);
        DType dt = m.dtype();
        int[] shape = Shapes.broadcast(m.shape(), lv.shape());
        elementThreads(shape);
        PtNDArray acc;
        try (Temps t = new Temps()) {
            acc = JniUtils.exp(lv.nd());
            try {
                JniUtils.addi(acc, t.add(JniUtils.square(m.nd())));
                JniUtils.subi(acc, lv.nd());
                JniUtils.subi(acc, constant(ONE, dt));
                JniUtils.muli(acc, constant(HALF, dt));
            } catch (RuntimeException e) {
                acc.close();
                throw e;
            }
        }
        return wrap(acc, shape, dt);
    }

    /** Max-shifted log-sum-exp; slices that are empty or all -inf give -inf, as the composition. */
    @Override
    public DeviceArray logSumExp(DeviceArray a, int axis, boolean keepDims) {
        DjlArray d = own(a);
        DType dt = d.dtype();
        int[] ax = {Shapes.axis(axis, d.shape().length)};
        int[] shape = Shapes.reduced(d.shape(), ax, keepDims);
        elementThreads(d.shape());
        try (Temps t = new Temps()) {
            PtNDArray m = t.add(reduceNd(ReduceOp.MAX, d.nd(), d.shape(), ax, true, dt));
            PtNDArray inf = t.add(JniUtils.isInf(m));
            PtNDArray mSafe = t.add(JniUtils.where(inf, constant(ZERO, dt), m));
            PtNDArray e = t.add(JniUtils.sub(d.nd(), mSafe));
            PtNDArray ex = t.add(JniUtils.exp(e));
            PtNDArray s = t.add(JniUtils.sum(ex, new long[] {ax[0]}, true));
            PtNDArray r = t.add(JniUtils.log(s));
            JniUtils.addi(r, mSafe);
            return wrap(JniUtils.reshape(r, toLongs(shape)), shape, dt);
        }
    }

    /**
     * Adam(W) in place on {@code m}, {@code v} and {@code param} with three temporaries, each
     * closed before the next is made so that the allocator hands the same (cache-warm) block back.
     *
     * <p>{@code m} is rounded exactly as the composition rounds it ({@code m b1 + g c1}, each
     * product rounded, then the sum), because it accumulates over steps and can cancel. {@code v}
     * reuses the buffer of {@code g c1} for its square term, {@code ((g c1) g) (c2/c1)}: two more
     * roundings of a term of a sum of non-negative terms, so {@code v} stays within a few float
     * roundings of the composition's (where {@code c1} rounds to 0 the term is {@code g^2 c2}). The parameter update is the equivalent
     * {@code lr (m/bc1) / (sqrt(v/bc2) + eps) = lrc m / (sqrt(v) + epsc)} with
     * {@code lrc = lr sqrt(bc2) / bc1} and {@code epsc = eps sqrt(bc2)} (numerator and denominator
     * multiplied by {@code sqrt(bc2)}), which saves two passes over the arrays; it differs from
     * the composition by a few roundings of an update that is small next to the parameter. The
     * scalar operands come from the hyperparameter cache, so a step makes no 0-d tensors.
     *
     * <p>DJL's native {@code adamUpdate} is not used: it rounds the hyperparameters to float32
     * before forming {@code 1 - beta2} (for 0.999 that is 1.3e-5 off, past the conformance
     * tolerance), clones the gradient and allocates four temporaries, and measured slower.
     */
    @Override
    public void adamStep(DeviceArray param, DeviceArray grad, DeviceArray m, DeviceArray v, AdamHyper h) {
        DjlArray p = own(param);
        DjlArray g = own(grad);
        DjlArray md = own(m);
        DjlArray vd = own(v);
        PtNDArray[] c = adamScalars(h, p.dtype());
        elementThreads(p.shape());
        // m = b1*m + (1-b1)*g
        JniUtils.muli(md.nd(), c[ADAM_B1]);
        JniUtils.muli(vd.nd(), c[ADAM_B2]);
        try (PtNDArray g1 = JniUtils.mul(g.nd(), c[ADAM_C1])) {
            JniUtils.addi(md.nd(), g1);
            // v = b2*v + (1-b2)*g^2, the square term as ((1-b1) g) g ((1-b2)/(1-b1)) in g1's buffer
            if (c[ADAM_C2_C1] != null) {
                JniUtils.muli(g1, g.nd());
                JniUtils.muli(g1, c[ADAM_C2_C1]);
                JniUtils.addi(vd.nd(), g1);
            } else {
                try (PtNDArray g2 = JniUtils.square(g.nd())) {
                    JniUtils.muli(g2, c[ADAM_C2]);
                    JniUtils.addi(vd.nd(), g2);
                }
            }
        }
        // p = p*(1 - lr*wd) - lrc * m / (sqrt(v) + epsc)
        try (PtNDArray den = JniUtils.sqrt(vd.nd())) {
            JniUtils.addi(den, c[ADAM_EPS]);
            try (PtNDArray upd = JniUtils.div(md.nd(), den)) {
                JniUtils.muli(upd, c[ADAM_LR]);
                if (h.weightDecay() != 0) {
                    JniUtils.muli(p.nd(), c[ADAM_DECAY]);
                }
                JniUtils.subi(p.nd(), upd);
            }
        }
    }

    /**
     * @return the 0-d scalar operands of {@link #adamStep} for {@code h} in {@code dt}, indexed by
     *     the {@code ADAM_} constants; made once per distinct hyperparameter set (the optimizer
     *     calls every parameter of a step with the same one) and kept until the next set
     */
    private PtNDArray[] adamScalars(AdamHyper h, DType dt) {
        int d = dt.ordinal();
        if (h.equals(adamHyper[d]) && adamConst[d] != null) {
            return adamConst[d];
        }
        double s2 = Math.sqrt(h.biasCorrection2());
        double c1 = 1 - h.beta1();
        double c2c1 = (1 - h.beta2()) / c1;
        // the shared-buffer square term needs a finite, nonzero (1-b1) in the array's dtype
        boolean share = (dt == DType.FLOAT32 ? (float) c1 != 0 && Float.isFinite((float) c2c1)
                : c1 != 0 && Double.isFinite(c2c1));
        double[] values = {h.beta1(), c1, h.beta2(), 1 - h.beta2(),
            h.lr() * s2 / h.biasCorrection1(), h.eps() * s2, 1 - h.lr() * h.weightDecay(), c2c1};
        PtNDArray[] fresh = new PtNDArray[values.length];
        try {
            for (int i = 0; i < values.length; i++) {
                fresh[i] = i == ADAM_C2_C1 && !share ? null : scalarNd(values[i], dt);
            }
        } catch (RuntimeException e) {
            for (PtNDArray f : fresh) {
                if (f != null) {
                    f.close();
                }
            }
            throw e;
        }
        PtNDArray[] old = adamConst[d];
        adamConst[d] = fresh;
        adamHyper[d] = h;
        if (old != null) {
            for (PtNDArray o : old) {
                if (o != null) {
                    o.close();
                }
            }
        }
        return fresh;
    }

    // ------------------------------------------------------------------ tensor-level helpers

    private PtNDArray unaryNd(UnaryOp op, PtNDArray x, DType dt) {
        switch (op) {
            case NEG:
                return JniUtils.neg(x);
            case EXP:
                return JniUtils.exp(x);
            case LOG:
                return JniUtils.log(x);
            case LOG1P:
                return log1p(x, dt);
            case EXPM1:
                return expm1(x, dt);
            case SQRT:
                return JniUtils.sqrt(x);
            case ABS:
                return JniUtils.abs(x);
            case SIGN:
                return sign(x);
            case TANH:
                return JniUtils.tanh(x);
            case SIGMOID:
                return JniUtils.sigmoid(x);
            case RELU:
                return JniUtils.relu(x);
            case SOFTPLUS:
                return softplus(x, dt);
            case SQUARE:
                return JniUtils.square(x);
            case RECIPROCAL:
                return JniUtils.div(constant(ONE, dt), x);
            default:
                throw new IllegalArgumentException("unknown unary op " + op);
        }
    }

    private PtNDArray binaryNd(BinaryOp op, PtNDArray a, PtNDArray b, DType dt) {
        switch (op) {
            case ADD:
                return JniUtils.add(a, b);
            case SUB:
                return JniUtils.sub(a, b);
            case MUL:
                return JniUtils.mul(a, b);
            case DIV:
                return JniUtils.div(a, b);
            case MAX:
                return JniUtils.max(a, b);
            case MIN:
                return JniUtils.min(a, b);
            case POW:
                return JniUtils.pow(a, b);
            case GT:
                return toDType(JniUtils.gt(a, b), dt);
            case GE:
                return toDType(JniUtils.gte(a, b), dt);
            case LT:
                return toDType(JniUtils.lt(a, b), dt);
            case LE:
                return toDType(JniUtils.lte(a, b), dt);
            case EQ:
                return toDType(JniUtils.eq(a, b), dt);
            default:
                throw new IllegalArgumentException("unknown binary op " + op);
        }
    }

    private PtNDArray reduceNd(ReduceOp op, PtNDArray x, int[] shape, int[] axes, boolean keepDims, DType dt) {
        if (axes.length == 0) {
            return JniUtils.clone(x);
        }
        if (op == ReduceOp.SUM) {
            // PyTorch's sum of an empty axis is 0, as the SPI asks
            return JniUtils.sum(x, toLongs(axes), keepDims);
        }
        for (int ax : axes) {
            if (shape[ax] == 0) {
                // PyTorch refuses max over an empty axis; the SPI's identity is -inf
                int[] out = Shapes.reduced(shape, axes, keepDims);
                return JniUtils.full(root, toShape(out), Double.NEGATIVE_INFINITY, dataType(dt), CPU, SparseFormat.DENSE);
            }
        }
        // one axis at a time, last first so that the remaining axis indices stay valid
        PtNDArray cur = x;
        for (int i = axes.length - 1; i >= 0; i--) {
            PtNDArray next = JniUtils.max(cur, axes[i], keepDims);
            if (cur != x) {
                cur.close();
            }
            cur = next;
        }
        return cur;
    }

    /** log1p by Kahan's formula: x where 1+x rounds to 1, else log(u) * (x / (u-1)). */
    private PtNDArray log1p(PtNDArray x, DType dt) {
        try (Temps t = new Temps()) {
            PtNDArray u = t.add(JniUtils.add(x, constant(ONE, dt)));
            PtNDArray d = t.add(JniUtils.sub(u, constant(ONE, dt)));
            PtNDArray q = t.add(JniUtils.div(x, d));
            PtNDArray l = t.add(JniUtils.log(u));
            JniUtils.muli(l, q);
            PtNDArray exact = t.add(JniUtils.eq(d, constant(ZERO, dt)));
            PtNDArray r = t.add(JniUtils.where(exact, x, l));
            // x = +inf: u-1 = inf and x/(u-1) is NaN; the answer is +inf
            PtNDArray big = t.add(JniUtils.eq(u, constant(POS_INF, dt)));
            return JniUtils.where(big, u, r);
        }
    }

    /** expm1 by Kahan's formula: x where e^x rounds to 1, else (u-1) * (x / log(u)). */
    private PtNDArray expm1(PtNDArray x, DType dt) {
        try (Temps t = new Temps()) {
            PtNDArray u = t.add(JniUtils.exp(x));
            PtNDArray d = t.add(JniUtils.sub(u, constant(ONE, dt)));
            PtNDArray lg = t.add(JniUtils.log(u));
            PtNDArray q = t.add(JniUtils.div(x, lg));
            JniUtils.muli(q, d);
            PtNDArray exact = t.add(JniUtils.eq(d, constant(ZERO, dt)));
            PtNDArray r1 = t.add(JniUtils.where(exact, x, q));
            // e^x underflowed to 0 (x/log(u) would be 0 or NaN): the answer rounds to -1
            PtNDArray low = t.add(JniUtils.eq(d, constant(MINUS_ONE, dt)));
            PtNDArray r2 = t.add(JniUtils.where(low, constant(MINUS_ONE, dt), r1));
            // e^x overflowed: +inf
            PtNDArray big = t.add(JniUtils.eq(u, constant(POS_INF, dt)));
            return JniUtils.where(big, u, r2);
        }
    }

    /** sign with NaN kept (PyTorch's sign maps NaN to 0 or -1). */
    private PtNDArray sign(PtNDArray x) {
        try (Temps t = new Temps()) {
            PtNDArray s = t.add(JniUtils.sign(x));
            PtNDArray nan = t.add(JniUtils.isNaN(x));
            return JniUtils.where(nan, x, s);
        }
    }

    private PtNDArray softplus(PtNDArray x, DType dt) {
        if (dt == DType.FLOAT32) {
            // log1p(e^x) below 20, x above: within float32 rounding of the exact value
            return JniUtils.softPlus(x);
        }
        // max(x,0) + log1p(e^-|x|); the log1p argument lies in [0, 1], so no infinities to mend
        try (Temps t = new Temps()) {
            PtNDArray a = t.add(JniUtils.abs(x));
            PtNDArray na = t.add(JniUtils.neg(a));
            PtNDArray e = t.add(JniUtils.exp(na));
            PtNDArray u = t.add(JniUtils.add(e, constant(ONE, dt)));
            PtNDArray d = t.add(JniUtils.sub(u, constant(ONE, dt)));
            PtNDArray q = t.add(JniUtils.div(e, d));
            PtNDArray l = t.add(JniUtils.log(u));
            JniUtils.muli(l, q);
            PtNDArray exact = t.add(JniUtils.eq(d, constant(ZERO, dt)));
            PtNDArray lp = t.add(JniUtils.where(exact, e, l));
            PtNDArray r = JniUtils.relu(x);
            JniUtils.addi(r, lp);
            return r;
        }
    }

    /** Converts a boolean tensor to 0/1 in {@code dt} and closes it. */
    private static PtNDArray toDType(PtNDArray bool, DType dt) {
        try (bool) {
            return JniUtils.to(bool, dataType(dt), CPU);
        }
    }

    /** @return a new contiguous tensor of {@code shape} holding the elements of the view */
    private PtNDArray contiguousCopy(PtNDArray view, int[] shape, DType dt) {
        PtNDArray out = empty(shape, dt);
        try {
            copyInto(out, view, shape);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    /** {@code target[...] = source} in place (an index_put_ of full slices into the target's storage). */
    private static void copyInto(PtNDArray target, PtNDArray source, int[] shape) {
        if (Shapes.size(shape) == 0) {
            return;
        }
        if (shape.length == 0) {
            // index_put_ needs at least one index: write through 1-element views of both
            long[] one = {1};
            try (PtNDArray t = JniUtils.reshape(target, one); PtNDArray s = JniUtils.reshape(source, one)) {
                JniUtils.indexSet(t, s, new long[] {0}, one, one);
            }
            return;
        }
        int r = shape.length;
        long[] step = new long[r];
        Arrays.fill(step, 1L);
        JniUtils.indexSet(target, source, new long[r], toLongs(shape), step);
    }

    /** Writes elements {@code [off, off+len)} of some host array into a buffer, from its start. */
    @FunctionalInterface
    private interface Filler {
        void fill(ByteBuffer b, int off, int len);
    }

    /**
     * Copies host data into a new tensor that owns its storage: {@code from_blob} over the scratch
     * buffer, then a clone; arrays larger than the scratch limit go in chunks written into slices
     * of the new tensor, so the scratch buffer stays small. (DJL's {@code set(Buffer)} is not used:
     * it makes the tensor alias the Java buffer.)
     */
    private PtNDArray upload(int n, int elemBytes, int[] shape, DataType dt, Filler fill) {
        ensureOpen();
        elementThreads(n);
        int chunk = Math.max(1, scratchLimit / elemBytes);
        if (n <= chunk) {
            ByteBuffer b = scratch((long) n * elemBytes);
            fill.fill(b, 0, n);
            try (PtNDArray blob = JniUtils.createNdFromByteBuffer(root, b, toShape(shape), dt, SparseFormat.DENSE, CPU)) {
                return JniUtils.clone(blob);
            }
        }
        PtNDArray out = JniUtils.createEmptyNdArray(root, toShape(shape), dt, CPU, SparseFormat.DENSE);
        try (PtNDArray flat = JniUtils.reshape(out, new long[] {n})) {
            for (int off = 0; off < n; off += chunk) {
                int len = Math.min(chunk, n - off);
                ByteBuffer b = scratch((long) len * elemBytes);
                fill.fill(b, off, len);
                try (Temps t = new Temps()) {
                    PtNDArray blob = t.add(JniUtils.createNdFromByteBuffer(root, b, new Shape(len), dt,
                            SparseFormat.DENSE, CPU));
                    PtNDArray part = t.add(JniUtils.slice(flat, 0, off, off + len, 1));
                    copyInto(part, blob, new int[] {len});
                }
            }
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    private PtNDArray empty(int[] shape, DType dt) {
        return empty(shape, dataType(dt));
    }

    private PtNDArray empty(int[] shape, DataType dt) {
        ensureOpen();
        return JniUtils.createEmptyNdArray(root, toShape(shape), dt, CPU, SparseFormat.DENSE);
    }

    /** @return a new 0-d tensor (the caller closes it) */
    private PtNDArray scalarNd(double v, DType dt) {
        ensureOpen();
        return JniUtils.full(root, SCALAR, v, dataType(dt), CPU, SparseFormat.DENSE);
    }

    /**
     * @return the cached 0-d tensor of {@code v} in {@code dt} (never close it), made on first use;
     *     null once the cache holds {@link #SCALAR_CACHE_LIMIT} values of that dtype (the caller
     *     then makes a temporary), so that a caller sweeping many values cannot grow it without bound
     */
    private PtNDArray cachedScalar(double v, DType dt) {
        HashMap<Long, PtNDArray> cache = scalarCache[dt.ordinal()];
        Long key = Double.doubleToRawLongBits(v);
        PtNDArray c = cache.get(key);
        if (c == null) {
            if (cache.size() >= SCALAR_CACHE_LIMIT) {
                return null;
            }
            c = scalarNd(v, dt);
            cache.put(key, c);
        }
        return c;
    }

    @SuppressWarnings("unchecked")
    private static HashMap<Long, PtNDArray>[] newScalarCache() {
        HashMap<Long, PtNDArray>[] caches = new HashMap[DType.values().length];
        for (int i = 0; i < caches.length; i++) {
            caches[i] = new HashMap<>();
        }
        return caches;
    }

    /** @return a cached 0-d constant; never close it */
    private PtNDArray constant(int which, DType dt) {
        PtNDArray c = constants[dt.ordinal()][which];
        if (c == null) {
            c = scalarNd(CONSTANT_VALUES[which], dt);
            constants[dt.ordinal()][which] = c;
        }
        return c;
    }

    /**
     * Sets PyTorch's intra-op thread count for the next native calls: all {@link #threads} when
     * {@code work >= threshold}, else one.
     *
     * <p>PyTorch splits an element-wise op of more than 32768 elements across its OpenMP team.
     * With {@code OMP_WAIT_POLICY=PASSIVE} (which the launcher sets, because spinning workers
     * starve everything else on a small machine) each such op has to wake a sleeping worker and
     * wait until the scheduler runs it; on 2 cores shared with other processes that wait is
     * longer than the op: a 100,352-element sum took 67 us on 2 threads and 5 us on one, an
     * in-place multiply of 313,600 elements 85 us against 31. So kernels below the thresholds
     * run on the calling thread; the large matrix products, where a second core pays, keep the
     * team. Setting the count is an {@code omp_set_num_threads} of the calling thread (about
     * 0.05 us), and every kernel that computes or copies sets it first, so the setting of one kernel
     * does not leak into the next.
     */
    private void useThreads(long work, long threshold) {
        JniUtils.setNumThreads(threads > 1 && work >= threshold ? threads : 1);
    }

    /** {@link #useThreads} for element-wise, reduction and copy work over {@code elements}. */
    private void elementThreads(long elements) {
        useThreads(elements, parallelElements);
    }

    /** {@link #useThreads} for element-wise work over the elements of {@code shape}. */
    private void elementThreads(int[] shape) {
        useThreads(Shapes.size(shape), parallelElements);
    }

    /** @return host bytes of a tensor in row-major order, native byte order */
    private static ByteBuffer bytes(PtNDArray nd) {
        return JniUtils.getByteBuffer(nd, false).order(ByteOrder.nativeOrder());
    }

    /** @return the reusable direct buffer, at least {@code bytes} long, positioned at 0 */
    private ByteBuffer scratch(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("array of " + bytes + " bytes is too large for one transfer");
        }
        if (scratch.capacity() < bytes) {
            int cap = (int) Math.max(bytes, Math.min(scratchLimit, 2L * scratch.capacity()));
            scratch = ByteBuffer.allocateDirect(cap).order(ByteOrder.nativeOrder());
        }
        scratch.clear();
        return scratch;
    }

    private DeviceArray wrap(PtNDArray nd, int[] shape, DType dt) {
        live++;
        return new DjlArray(this, nd, shape, dt);
    }

    private DjlArray own(DeviceArray a) {
        if (!(a instanceof DjlArray d) || d.owner() != this) {
            throw new IllegalArgumentException("not an array of this DJL backend instance: " + a);
        }
        ensureOpen();
        if (d.nd() == null) {
            throw new IllegalStateException("array used after release: " + d);
        }
        return d;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the DJL backend instance is closed");
        }
    }

    private static int checkedSize(int[] shape, int dataLength) {
        int n = Shapes.sizeInt(shape);
        if (n != dataLength) {
            throw new IllegalArgumentException(
                    "data has " + dataLength + " elements but shape " + Shapes.format(shape) + " needs " + n);
        }
        return n;
    }

    private static DataType dataType(DType dt) {
        return dt == DType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
    }

    private static Shape toShape(int[] shape) {
        return new Shape(toLongs(shape));
    }

    private static long[] toLongs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
