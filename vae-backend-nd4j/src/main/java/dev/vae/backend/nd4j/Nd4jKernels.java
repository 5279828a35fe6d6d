package dev.vae.backend.nd4j;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.AdamHyper;
import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.Capability;
import dev.vae.api.spi.Compositions;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ReduceOp;
import dev.vae.api.spi.UnaryOp;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastTo;
import org.nd4j.linalg.api.ops.impl.controlflow.Select;
import org.nd4j.linalg.api.ops.impl.loss.SigmoidCrossEntropyLoss;
import org.nd4j.linalg.api.ops.impl.reduce.bool.IsNaN;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.comparison.CompareAndReplace;
import org.nd4j.linalg.api.ops.impl.transforms.comparison.CompareAndSet;
import org.nd4j.linalg.api.ops.impl.transforms.custom.EqualTo;
import org.nd4j.linalg.api.ops.impl.transforms.custom.GreaterThan;
import org.nd4j.linalg.api.ops.impl.transforms.custom.GreaterThanOrEqual;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LessThan;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LessThanOrEqual;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Max;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Min;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Pow;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.same.Negative;
import org.nd4j.linalg.api.ops.impl.transforms.same.Reciprocal;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.api.ops.impl.transforms.same.Square;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sinh;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernels on ND4J ({@code nd4j-native}): every required kernel and the fused ones that ND4J
 * makes faster, in float32 and float64.
 *
 * <h2>How ND4J is used</h2>
 * <ul>
 *   <li>Outputs are new C-order arrays written by ND4J operations (transforms, pairwise and
 *       broadcasting custom ops, reductions, {@code gemm}, {@code concat}, {@code pullRows}, bulk row
 *       copies between native buffers in {@link #gatherRows}); no per-element Java loop runs on
 *       the hot path.</li>
 *   <li>{@link #reshape}, {@link #permute}, {@link #slice} and same-type {@link #cast} return views
 *       that share reference-counted storage with their input (see {@link Nd4jArray}).</li>
 *   <li>{@link #matmul} and {@link #linear} call OpenBLAS's {@code cblas_?gemm} (the library libnd4j
 *       uses) directly in row-major order when both operands are dense, which saves libnd4j's
 *       matmul dispatch (about 15 µs a call); other layouts go through {@code Nd4j.gemm}. Sums
 *       over leading or trailing axes of dense arrays are gemm products with a cached vector of
 *       ones.</li>
 *   <li>Fused kernels use libnd4j's own fused ops where one computes the kernel:
 *       {@link #adamStep} is {@code adam_updater} (with the bias corrections folded into its
 *       learning rate and epsilon) where its weights {@code 1 - b} round as the composition's
 *       do (float64; not float32 with the usual betas), {@link #bernoulliLogProb} is {@code sigm_cross_entropy_loss}
 *       without reduction; {@link #reluBackward} is {@code step} times {@code g}.</li>
 *   <li>Zero-size arrays never reach ND4J. Operands of broadcasting ops are first given the rank
 *       of the result (ND4J mis-broadcasts some rank combinations such as (1, 1) with (3,)).</li>
 * </ul>
 *
 * <h2>Where ND4J's own operation is not used as is</h2>
 * <ul>
 *   <li>{@code maximum}/{@code minimum} (element-wise and reductions) drop NaNs in ND4J; the result
 *       is patched so that a NaN in either operand (or in a reduced slice) gives NaN.</li>
 *   <li>{@code sign(NaN)} is 0 in ND4J and is patched to NaN.</li>
 *   <li>ND4J's {@code tanh}, {@code log1p}, {@code expm1} lose precision near 0 (tanh(1e-4) is off
 *       by 3e-5 relative in float32, log1p(1e-20) = 0) and its softplus overflows to infinity in
 *       float32 for x &gt; 88. They are computed as {@code s/sqrt(1+s^2)}, {@code s = sinh(x)} (|x| clamped to 20),
 *       {@code log(u) - ((u-1)-x)/u} with {@code u = 1+x}, {@code 2 sinh(x/2) e^(x/2)} (x clamped
 *       to -50 from below) and {@code max(x,0) + log1p(e^-|x|)}.</li>
 *   <li>Comparisons produce ND4J booleans that are converted to 0/1 of the operand type.</li>
 * </ul>
 *
 * <p>ND4J's thread settings are process-wide: the last created instance's
 * {@link BackendConfig#effectiveThreads()} applies to all of them.
 */
public final class Nd4jKernels implements Kernels {
    private static final Set<Capability> CAPABILITIES =
            Collections.unmodifiableSet(EnumSet.of(Capability.FLOAT64, Capability.IN_PLACE, Capability.NATIVE_MEMORY));
    private static final double INF = Double.POSITIVE_INFINITY;
    /** Clamp for tanh: tanh(20) is 1 in float64 and sinh/cosh stay finite. */
    private static final double TANH_CLAMP = 20;
    /** Lower clamp for expm1: expm1(-50) is -1 in float64. */
    private static final double EXPM1_CLAMP = -50;
    /**
     * The iteration count given to libnd4j's {@code adam_updater}: large enough that its bias
     * corrections {@code 1 - b^(t+1)} are exactly 1 (see {@link #nativeAdam}), one below the
     * largest int so that {@code t + 1} cannot overflow.
     */
    private static final int ADAM_ITERATION = Integer.MAX_VALUE - 1;
    /** Most vectors of ones kept per type for sums (the cache is emptied when full). */
    private static final int ONES_CACHE_SIZE = 16;

    private final Nd4jRuntime.Info info;
    private final int threads;
    private final Set<Nd4jArray> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;
    /** The constant -1 weights of {@link #bernoulliLogProb} per type, made on first use; closed by {@link #close()}. */
    private INDArray minusOneF;
    private INDArray minusOneD;
    /** Vectors of ones by length for {@link #sumAsGemm}, per type; closed by {@link #close()}. */
    private final Map<Integer, INDArray> onesF = new HashMap<>();
    private final Map<Integer, INDArray> onesD = new HashMap<>();

    /**
     * Starts ND4J (once per process) and applies the thread count.
     *
     * @param config threads ({@code 0} means all processors) and options (none are used)
     * @throws IllegalStateException if ND4J's natives cannot be loaded (or do not load within
     *         {@code vae.nd4j.probeTimeoutSeconds})
     */
    public Nd4jKernels(BackendConfig config) {
        this.info = Nd4jRuntime.initialize(Nd4jRuntime.probeTimeoutMillis());
        this.threads = config.effectiveThreads();
        Nd4jRuntime.configureThreads(threads);
    }

    @Override
    public String name() {
        return Nd4jBackendProvider.NAME;
    }

    @Override
    public String deviceDescription() {
        return Nd4jRuntime.description(info);
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /** @return the thread count this instance was configured with */
    public int threads() {
        return threads;
    }

    // ================================================================ creation and transfer

    @Override
    public DeviceArray fromFloats(float[] data, int[] shape) {
        int n = checkData(data.length, shape);
        if (n == 0) {
            return empty(shape, DType.FLOAT32);
        }
        return own(Nd4j.create(data, lshape(shape), 'c'), shape, DType.FLOAT32);
    }

    @Override
    public DeviceArray fromDoubles(double[] data, int[] shape) {
        int n = checkData(data.length, shape);
        if (n == 0) {
            return empty(shape, DType.FLOAT64);
        }
        return own(Nd4j.create(data, lshape(shape), 'c'), shape, DType.FLOAT64);
    }

    @Override
    public DeviceArray full(int[] shape, DType dtype, double value) {
        int[] s = Shapes.validate(shape);
        if (Shapes.size(s) == 0) {
            return empty(s, dtype);
        }
        if (Double.doubleToRawLongBits(value) == 0) {
            // +0.0: a zero-initialised allocation (memset) costs half of valueArrayOf's fill op
            return own(Nd4j.create(dt(dtype), lshape(s), 'c'), s, dtype);
        }
        return own(Nd4j.valueArrayOf(lshape(s), value, dt(dtype)), s, dtype);
    }

    @Override
    public float[] toFloats(DeviceArray a) {
        Nd4jArray x = arr(a);
        if (x.size() == 0) {
            return new float[0];
        }
        try (Temps t = new Temps()) {
            return hostCopy(x.raw(), DataType.FLOAT, t).data().asFloat();
        }
    }

    @Override
    public double[] toDoubles(DeviceArray a) {
        Nd4jArray x = arr(a);
        if (x.size() == 0) {
            return new double[0];
        }
        try (Temps t = new Temps()) {
            return hostCopy(x.raw(), DataType.DOUBLE, t).data().asDouble();
        }
    }

    /** @return a dense C-order array of {@code type} with the elements of {@code x} (maybe x itself) */
    private static INDArray hostCopy(INDArray x, DataType type, Temps t) {
        INDArray y = x;
        if (y.dataType() != type) {
            y = t.add(y.castTo(type));
        }
        if (!isDenseC(y)) {
            y = t.add(y.dup('c'));
        }
        return y;
    }

    @Override
    public DeviceArray cast(DeviceArray a, DType dtype) {
        Nd4jArray x = arr(a);
        if (x.dtype() == dtype) {
            return view(x, x.raw(), x.shape());
        }
        if (x.size() == 0) {
            return empty(x.shape(), dtype);
        }
        INDArray out = Nd4j.createUninitialized(dt(dtype), lshape(x.shape()), 'c');
        out.assign(x.raw());
        return own(out, x.shape(), dtype);
    }

    // ================================================================ movement

    @Override
    public DeviceArray reshape(DeviceArray a, int[] shape) {
        Nd4jArray x = arr(a);
        int[] s = Shapes.validate(shape);
        if (Shapes.size(s) != x.size()) {
            throw new IllegalArgumentException("cannot reshape " + Shapes.format(x.shape()) + " to " + Shapes.format(s));
        }
        if (x.size() == 0) {
            return empty(s, x.dtype());
        }
        if (isDenseC(x.raw())) {
            return view(x, denseView(x.raw(), s), s);
        }
        return own(x.raw().dup('c'), s, x.dtype());
    }

    @Override
    public DeviceArray permute(DeviceArray a, int[] axes) {
        Nd4jArray x = arr(a);
        int[] in = x.shape();
        if (axes.length != in.length) {
            throw new IllegalArgumentException("permutation " + Arrays.toString(axes) + " does not fit " + Shapes.format(in));
        }
        int[] s = new int[in.length];
        boolean identity = true;
        for (int i = 0; i < axes.length; i++) {
            s[i] = in[axes[i]];
            identity &= axes[i] == i;
        }
        if (x.size() == 0) {
            return empty(s, x.dtype());
        }
        if (identity) {
            return view(x, x.raw(), s);
        }
        return view(x, x.raw().permute(axes), s);
    }

    @Override
    public DeviceArray slice(DeviceArray a, int axis, int start, int end) {
        Nd4jArray x = arr(a);
        int[] in = x.shape();
        if (axis < 0 || axis >= in.length || start < 0 || start > end || end > in[axis]) {
            throw new IllegalArgumentException("slice [" + start + ", " + end + ") of axis " + axis + " does not fit "
                    + Shapes.format(in));
        }
        int[] s = in.clone();
        s[axis] = end - start;
        if (Shapes.size(s) == 0) {
            return empty(s, x.dtype());
        }
        if (start == 0 && end == in[axis]) {
            return view(x, x.raw(), s);
        }
        INDArrayIndex[] idx = new INDArrayIndex[in.length];
        for (int i = 0; i < in.length; i++) {
            idx[i] = i == axis ? NDArrayIndex.interval(start, end) : NDArrayIndex.all();
        }
        INDArray v = x.raw().get(idx);
        if (!Arrays.equals(v.shape(), lshape(s))) {
            throw new IllegalStateException("ND4J sliced " + Shapes.format(in) + " to " + Arrays.toString(v.shape())
                    + " instead of " + Shapes.format(s));
        }
        return view(x, v, s);
    }

    @Override
    public DeviceArray concat(List<DeviceArray> parts, int axis) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat of no arrays");
        }
        Nd4jArray first = arr(parts.get(0));
        int[] s = first.shape().clone();
        if (axis < 0 || axis >= s.length) {
            throw new IllegalArgumentException("concat axis " + axis + " out of range for " + Shapes.format(s));
        }
        List<Nd4jArray> nonEmpty = new ArrayList<>(parts.size());
        int total = 0;
        for (DeviceArray p : parts) {
            Nd4jArray x = arr(p);
            total += x.shape()[axis];
            if (x.size() > 0) {
                nonEmpty.add(x);
            }
        }
        s[axis] = total;
        if (Shapes.size(s) == 0) {
            return empty(s, first.dtype());
        }
        if (nonEmpty.size() == 1) {
            return view(nonEmpty.get(0), nonEmpty.get(0).raw(), s);
        }
        INDArray[] arrays = new INDArray[nonEmpty.size()];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = nonEmpty.get(i).raw();
        }
        return own(Nd4j.concat(axis, arrays), s, first.dtype());
    }

    @Override
    public DeviceArray gatherRows(DeviceArray a, int[] rows) {
        Nd4jArray x = arr(a);
        int[] in = x.shape();
        if (in.length == 0) {
            throw new IllegalArgumentException("gatherRows needs rank >= 1, got a scalar");
        }
        int[] s = in.clone();
        s[0] = rows.length;
        if (Shapes.size(s) == 0) {
            return empty(s, x.dtype());
        }
        int n = in[0];
        for (int r : rows) {
            if (r < 0 || r >= n) {
                throw new IndexOutOfBoundsException("row " + r + " out of range for " + Shapes.format(in));
            }
        }
        int rest = (int) (x.size() / n);
        DataType type = dt(x.dtype());
        if (hostDense(x.raw())) {
            // one bulk copy per row between the native buffers (pullRows costs several times more)
            INDArray r = Nd4j.createUninitialized(type, lshape(s), 'c');
            if (type == DataType.FLOAT) {
                FloatBuffer src = x.raw().data().asNioFloat();
                FloatBuffer dst = r.data().asNioFloat();
                for (int i = 0; i < rows.length; i++) {
                    dst.put(i * rest, src, rows[i] * rest, rest);
                }
            } else {
                DoubleBuffer src = x.raw().data().asNioDouble();
                DoubleBuffer dst = r.data().asNioDouble();
                for (int i = 0; i < rows.length; i++) {
                    dst.put(i * rest, src, rows[i] * rest, rest);
                }
            }
            return own(r, s, x.dtype());
        }
        try (Temps t = new Temps()) {
            INDArray src = x.raw();
            if (!isDenseC(src)) {
                src = t.add(src.dup('c'));
            }
            INDArray matrix = denseView(src, new int[] {n, rest});
            return own(Nd4j.pullRows(matrix, 1, rows, 'c'), s, x.dtype());
        }
    }

    // ================================================================ element-wise

    @Override
    public DeviceArray unary(UnaryOp op, DeviceArray a) {
        Nd4jArray x = arr(a);
        if (x.size() == 0) {
            return empty(x.shape(), x.dtype());
        }
        try (Temps t = new Temps()) {
            return own(unaryInto(op, x.raw(), t), x.shape(), x.dtype());
        }
    }

    /** @return a new C-order array with {@code op} applied to {@code x} */
    private static INDArray unaryInto(UnaryOp op, INDArray x, Temps t) {
        switch (op) {
            case NEG:
                return exec1(new Negative(x, like(x)));
            case EXP:
                return exec1(new Exp(x, like(x)));
            case LOG:
                return exec1(new Log(x, like(x)));
            case LOG1P:
                return log1p(x, t);
            case EXPM1:
                return expm1(x, t);
            case SQRT:
                return exec1(new Sqrt(x, like(x)));
            case ABS:
                return exec1(new Abs(x, like(x)));
            case SIGN: {
                INDArray r = exec1(new Sign(x, like(x)));
                // ND4J's sign(NaN) is 0; keep x itself where it is NaN or a (signed) zero
                Nd4j.exec(new CompareAndReplace(x, r, r, Conditions.absGreaterThan(0.0)));
                return r;
            }
            case TANH:
                return tanh(x, t);
            case SIGMOID:
                return exec1(new Sigmoid(x, like(x)));
            case RELU:
                return exec1(new RectifiedLinear(x, like(x)));
            case SOFTPLUS:
                return softplus(x, t);
            case SQUARE:
                return exec1(new Square(x, like(x)));
            case RECIPROCAL:
                return exec1(new Reciprocal(x, like(x)));
            default:
                throw new UnsupportedOperationException("unary " + op);
        }
    }

    @Override
    public DeviceArray binary(BinaryOp op, DeviceArray a, DeviceArray b) {
        Nd4jArray x = arr(a);
        Nd4jArray y = arr(b);
        int[] s = Shapes.broadcast(x.shape(), y.shape());
        if (Shapes.size(s) == 0) {
            return empty(s, x.dtype());
        }
        try (Temps t = new Temps()) {
            INDArray xa = toRank(x.raw(), x.shape(), s.length, t);
            INDArray ya = toRank(y.raw(), y.shape(), s.length, t);
            return own(binaryInto(op, xa, ya, s, x.dtype(), t), s, x.dtype());
        }
    }

    /** @return {@code op(x, y)} in a new C-order array of shape {@code s}; operands have rank |s| */
    private static INDArray binaryInto(BinaryOp op, INDArray x, INDArray y, int[] s, DType dtype, Temps t) {
        long[] ls = lshape(s);
        DataType type = dt(dtype);
        switch (op) {
            case ADD:
                return exec1(new AddOp(x, y, Nd4j.createUninitialized(type, ls, 'c')));
            case SUB:
                return exec1(new SubOp(x, y, Nd4j.createUninitialized(type, ls, 'c')));
            case MUL:
                return exec1(new MulOp(x, y, Nd4j.createUninitialized(type, ls, 'c')));
            case DIV:
                return exec1(new DivOp(x, y, Nd4j.createUninitialized(type, ls, 'c')));
            case POW: {
                INDArray r = exec1(new Pow(x, y));
                javaPowEdges(x, y, r, ls, t);
                return r;
            }
            case MAX:
            case MIN: {
                INDArray r = Nd4j.createUninitialized(type, ls, 'c');
                Nd4j.exec(op == BinaryOp.MAX ? new Max(x, y, r) : new Min(x, y, r));
                propagateNaN(x, r, ls, t);
                propagateNaN(y, r, ls, t);
                return r;
            }
            case GT:
            case GE:
            case LT:
            case LE:
            case EQ: {
                INDArray mask = t.add(Nd4j.createUninitialized(DataType.BOOL, ls, 'c'));
                switch (op) {
                    case GT:
                        Nd4j.exec(new GreaterThan(x, y, mask));
                        break;
                    case GE:
                        Nd4j.exec(new GreaterThanOrEqual(new INDArray[] {x, y}, new INDArray[] {mask}));
                        break;
                    case LT:
                        Nd4j.exec(new LessThan(x, y, mask));
                        break;
                    case LE:
                        Nd4j.exec(new LessThanOrEqual(new INDArray[] {x, y}, new INDArray[] {mask}));
                        break;
                    default:
                        Nd4j.exec(new EqualTo(x, y, mask));
                        break;
                }
                return toType(mask, type);
            }
            default:
                throw new UnsupportedOperationException("binary " + op);
        }
    }

    @Override
    public DeviceArray where(DeviceArray cond, DeviceArray a, DeviceArray b) {
        Nd4jArray c = arr(cond);
        Nd4jArray x = arr(a);
        Nd4jArray y = arr(b);
        int[] s = Shapes.broadcast(Shapes.broadcast(c.shape(), x.shape()), y.shape());
        if (Shapes.size(s) == 0) {
            return empty(s, x.dtype());
        }
        long[] ls = lshape(s);
        try (Temps t = new Temps()) {
            INDArray mask = t.add(c.raw().neq(0));
            mask = expand(mask, c.shape(), s, t);
            INDArray xa = expand(x.raw(), x.shape(), s, t);
            INDArray ya = expand(y.raw(), y.shape(), s, t);
            INDArray r = Nd4j.createUninitialized(dt(x.dtype()), ls, 'c');
            Nd4j.exec(new Select(new INDArray[] {mask, xa, ya}, new INDArray[] {r}));
            return own(r, s, x.dtype());
        }
    }

    // ================================================================ reductions and matmul

    @Override
    public DeviceArray reduce(ReduceOp op, DeviceArray a, int[] axes, boolean keepDims) {
        Nd4jArray x = arr(a);
        int[] ax = axes.clone();
        int[] s = Shapes.reduced(x.shape(), ax, keepDims);
        if (ax.length == 0) {
            return x.size() == 0 ? empty(s, x.dtype()) : view(x, x.raw(), s);
        }
        if (Shapes.size(s) == 0) {
            return empty(s, x.dtype());
        }
        if (x.size() == 0) {
            return full(s, x.dtype(), op == ReduceOp.SUM ? 0.0 : Double.NEGATIVE_INFINITY);
        }
        if (op == ReduceOp.SUM && hostDense(x.raw())) {
            INDArray r = sumAsGemm(x, ax, s);
            if (r != null) {
                return own(r, s, x.dtype());
            }
        }
        try (Temps t = new Temps()) {
            return own(reduceInto(op, x.raw(), ax, keepDims, t), s, x.dtype());
        }
    }

    /**
     * A sum over leading or trailing axes of a dense array as one OpenBLAS gemm with a cached
     * vector of ones: viewing the array as a (rows, cols) matrix, {@code ones(1, rows) @ X} sums
     * the leading axes and {@code X @ ones(cols, 1)} the trailing ones (all axes: both at once,
     * {@code rows = 1}). For the recipe's products ({@code m*n*k} below OpenBLAS's threading
     * threshold of 2^18) gemm runs on the calling thread, where libnd4j's reductions along an
     * axis hand small arrays to its worker threads and cost several times more.
     *
     * @param s the result's shape (keepDims applied)
     * @return the sums in a new dense array of shape {@code s}, or null if the axes are neither
     *         leading nor trailing
     */
    private INDArray sumAsGemm(Nd4jArray x, int[] ax, int[] s) {
        int[] in = x.shape();
        int rank = in.length;
        boolean leading = ax[0] == 0 && ax[ax.length - 1] == ax.length - 1;
        boolean trailing = ax[ax.length - 1] == rank - 1 && ax[0] == rank - ax.length;
        if (!leading && !trailing) {
            return null;
        }
        // rows x cols with the reduced axes on the side the sum runs over
        int split = leading && !trailing ? ax.length : rank - ax.length;
        long rows = 1;
        for (int i = 0; i < split; i++) {
            rows *= in[i];
        }
        long cols = x.size() / rows;
        boolean overRows = leading && !trailing;
        int m = overRows ? 1 : (int) rows;
        int n = overRows ? (int) cols : 1;
        int k = (int) (overRows ? rows : cols);
        DataType type = dt(x.dtype());
        INDArray ones = ones(type, k);
        INDArray r = Nd4j.createUninitialized(type, lshape(s), 'c');
        int rm = openblas_nolapack.CblasRowMajor;
        int nt = openblas_nolapack.CblasNoTrans;
        if (type == DataType.FLOAT) {
            FloatBuffer xb = x.raw().data().asNioFloat();
            FloatBuffer ob = ones.data().asNioFloat();
            FloatBuffer rb = r.data().asNioFloat();
            if (overRows) {
                openblas_nolapack.cblas_sgemm(rm, nt, nt, m, n, k, 1f, ob, k, xb, n, 0f, rb, n);
            } else {
                openblas_nolapack.cblas_sgemm(rm, nt, nt, m, n, k, 1f, xb, k, ob, 1, 0f, rb, 1);
            }
        } else {
            DoubleBuffer xb = x.raw().data().asNioDouble();
            DoubleBuffer ob = ones.data().asNioDouble();
            DoubleBuffer rb = r.data().asNioDouble();
            if (overRows) {
                openblas_nolapack.cblas_dgemm(rm, nt, nt, m, n, k, 1.0, ob, k, xb, n, 0.0, rb, n);
            } else {
                openblas_nolapack.cblas_dgemm(rm, nt, nt, m, n, k, 1.0, xb, k, ob, 1, 0.0, rb, 1);
            }
        }
        return r;
    }

    /** @return a cached dense vector of {@code n} ones of {@code type} (closed by {@link #close()}) */
    private INDArray ones(DataType type, int n) {
        Map<Integer, INDArray> cache = type == DataType.DOUBLE ? onesD : onesF;
        INDArray o = cache.get(n);
        if (o == null) {
            if (cache.size() >= ONES_CACHE_SIZE) {
                cache.values().forEach(INDArray::close);
                cache.clear();
            }
            o = Nd4j.ones(type, n);
            cache.put(n, o);
        }
        return o;
    }

    /** @return the reduction of a non-empty array over non-empty axes (shape as ND4J makes it) */
    private static INDArray reduceInto(ReduceOp op, INDArray x, int[] ax, boolean keepDims, Temps t) {
        if (op == ReduceOp.SUM) {
            return x.sum(keepDims, ax);
        }
        INDArray r = x.max(keepDims, ax);
        if (hasNaN(x)) {
            INDArray mask = t.add(Nd4j.exec(new IsNaN(x, keepDims, ax)));
            if (!sameShape(mask, r.shape())) {
                mask = mask.reshape('c', r.shape());
            }
            INDArray nan = t.add(Nd4j.valueArrayOf(r.shape(), Double.NaN, r.dataType()));
            INDArray out = Nd4j.createUninitialized(r.dataType(), r.shape(), 'c');
            Nd4j.exec(new Select(new INDArray[] {mask, nan, r}, new INDArray[] {out}));
            r.close();
            r = out;
        }
        return r;
    }

    @Override
    public DeviceArray matmul(DeviceArray a, DeviceArray b, boolean transA, boolean transB) {
        Nd4jArray x = arr(a);
        Nd4jArray y = arr(b);
        return own(matmulInto(x, y, transA, transB), matmulShape(x, y, transA, transB), x.dtype());
    }

    private static int[] matmulShape(Nd4jArray x, Nd4jArray y, boolean transA, boolean transB) {
        int[] as = x.shape();
        int[] bs = y.shape();
        if (as.length != 2 || bs.length != 2) {
            throw new IllegalArgumentException("matmul needs 2-D operands, got " + Shapes.format(as) + " and " + Shapes.format(bs));
        }
        int k = transA ? as[0] : as[1];
        int k2 = transB ? bs[1] : bs[0];
        if (k != k2) {
            throw new IllegalArgumentException("matmul inner dimensions differ: " + Shapes.format(as) + (transA ? "^T" : "")
                    + " @ " + Shapes.format(bs) + (transB ? "^T" : ""));
        }
        return new int[] {transA ? as[1] : as[0], transB ? bs[0] : bs[1]};
    }

    /** @return the product as a new C-order (m, n) array, or null when it has no elements */
    private static INDArray matmulInto(Nd4jArray x, Nd4jArray y, boolean transA, boolean transB) {
        int[] s = matmulShape(x, y, transA, transB);
        if (Shapes.size(s) == 0) {
            return null;
        }
        int k = transA ? x.shape()[0] : x.shape()[1];
        long[] ls = {s[0], s[1]};
        if (k == 0) {
            return Nd4j.create(dt(x.dtype()), ls, 'c');
        }
        DataType type = dt(x.dtype());
        if (hostDense(x.raw()) && hostDense(y.raw())) {
            // straight to OpenBLAS in row-major order: no libnd4j dispatch, no layout copies;
            // gemm never reads C when beta is 0, so the output need not be cleared
            INDArray r = Nd4j.createUninitialized(type, ls, 'c');
            int m = s[0];
            int n = s[1];
            int lda = x.shape()[1];
            int ldb = y.shape()[1];
            int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
            int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
            if (type == DataType.FLOAT) {
                openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, 1f,
                        x.raw().data().asNioFloat(), lda, y.raw().data().asNioFloat(), ldb, 0f, r.data().asNioFloat(), n);
            } else {
                openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, 1.0,
                        x.raw().data().asNioDouble(), lda, y.raw().data().asNioDouble(), ldb, 0.0, r.data().asNioDouble(), n);
            }
            return r;
        }
        // BLAS gemm never reads C when beta is 0, so a matrix output need not be cleared; vector
        // and scalar products may take libnd4j's own paths, which get a cleared one
        INDArray r = s[0] > 1 && s[1] > 1 ? Nd4j.createUninitialized(dt(x.dtype()), ls, 'c') : Nd4j.create(dt(x.dtype()), ls, 'c');
        Nd4j.gemm(x.raw(), y.raw(), r, transA, transB, 1.0, 0.0);
        return r;
    }

    // ================================================================ in-place and memory

    @Override
    public void assign(DeviceArray target, DeviceArray source) {
        Nd4jArray tgt = arr(target);
        Nd4jArray src = arr(source);
        if (!Arrays.equals(tgt.shape(), src.shape())) {
            throw new IllegalArgumentException("assign " + Shapes.format(src.shape()) + " to " + Shapes.format(tgt.shape()));
        }
        if (tgt.size() == 0) {
            return;
        }
        // copy on write: the target leaves any storage it shares (with src too), src is read as is
        tgt.makePrivate();
        tgt.raw().assign(src.raw());
    }

    @Override
    public void release(DeviceArray a) {
        if (!(a instanceof Nd4jArray)) {
            throw new IllegalArgumentException("not an ND4J backend array: " + a);
        }
        Nd4jArray x = (Nd4jArray) a;
        if (x.markReleased()) {
            live.remove(x);
        }
    }

    @Override
    public long liveArrays() {
        return live.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Nd4jArray x : new ArrayList<>(live)) {
            x.markReleased();
        }
        live.clear();
        for (INDArray c : new INDArray[] {minusOneF, minusOneD}) {
            if (c != null) {
                c.close();
            }
        }
        minusOneF = null;
        minusOneD = null;
        for (Map<Integer, INDArray> cache : List.of(onesF, onesD)) {
            cache.values().forEach(INDArray::close);
            cache.clear();
        }
    }

    // ================================================================ fused

    @Override
    public DeviceArray scalar(BinaryOp op, DeviceArray a, double s) {
        Nd4jArray x = arr(a);
        if (x.size() == 0) {
            return empty(x.shape(), x.dtype());
        }
        if (!Double.isFinite(s) || op == BinaryOp.POW) {
            // ND4J's scalar ops replace a NaN scalar (by a tiny epsilon); the broadcasting path is exact
            return Compositions.scalar(this, op, a, s);
        }
        INDArray xa = x.raw();
        long[] ls = lshape(x.shape());
        DataType type = dt(x.dtype());
        try (Temps t = new Temps()) {
            INDArray r;
            switch (op) {
                case ADD:
                    r = xa.add(s, Nd4j.createUninitialized(type, ls, 'c'));
                    break;
                case SUB:
                    r = xa.sub(s, Nd4j.createUninitialized(type, ls, 'c'));
                    break;
                case MUL:
                    r = xa.mul(s, Nd4j.createUninitialized(type, ls, 'c'));
                    break;
                case DIV:
                    r = xa.div(s, Nd4j.createUninitialized(type, ls, 'c'));
                    break;
                case MAX:
                case MIN:
                    r = Nd4j.createUninitialized(type, ls, 'c');
                    Nd4j.exec(op == BinaryOp.MAX ? new ScalarMax(xa, null, r, s) : new ScalarMin(xa, null, r, s));
                    if (hasNaN(xa)) {
                        propagateNaN(xa, r);
                    }
                    break;
                case GT:
                    // libnd4j's step is (x > s ? 1 : 0) in the operand type, NaN giving 0: one
                    // operation where gt would write booleans to convert in a second
                    r = exec1(new Step(xa, Nd4j.createUninitialized(type, ls, 'c'), s));
                    break;
                case GE:
                    r = toType(t.add(xa.gte(s)), type);
                    break;
                case LT:
                    r = toType(t.add(xa.lt(s)), type);
                    break;
                case LE:
                    r = toType(t.add(xa.lte(s)), type);
                    break;
                case EQ:
                    r = toType(t.add(xa.eq(s)), type);
                    break;
                default:
                    throw new UnsupportedOperationException("scalar " + op);
            }
            return own(r, x.shape(), x.dtype());
        }
    }

    @Override
    public DeviceArray linear(DeviceArray x, DeviceArray w, DeviceArray b) {
        Nd4jArray xa = arr(x);
        Nd4jArray wa = arr(w);
        int[] s = matmulShape(xa, wa, false, true);
        if (b != null && Shapes.size(s) > 0 && xa.shape()[1] > 0) {
            Nd4jArray ba = arr(b);
            if (ba.shape().length == 1 && ba.shape()[0] == s[1] && hostDense(xa.raw()) && hostDense(wa.raw())
                    && hostDense(ba.raw())) {
                return own(linearWithBias(xa, wa, ba, s), s, xa.dtype());
            }
        }
        INDArray r = matmulInto(xa, wa, false, true);
        if (r != null && b != null) {
            Nd4jArray ba = arr(b);
            if (ba.shape().length != 1 || ba.shape()[0] != s[1]) {
                r.close();
                throw new IllegalArgumentException("bias " + Shapes.format(ba.shape()) + " does not fit output " + Shapes.format(s));
            }
            try (Temps t = new Temps()) {
                INDArray bias = toRank(ba.raw(), ba.shape(), 2, t);
                Nd4j.exec(new AddOp(r, bias, r));
            }
        }
        return own(r, s, xa.dtype());
    }

    /**
     * {@code x @ w^T + b} for dense operands as one OpenBLAS gemm with {@code beta = 1} over an
     * output whose rows start as copies of the bias: no separate broadcasting addition.
     */
    private static INDArray linearWithBias(Nd4jArray x, Nd4jArray w, Nd4jArray b, int[] s) {
        int m = s[0];
        int n = s[1];
        int k = x.shape()[1];
        DataType type = dt(x.dtype());
        INDArray r = Nd4j.createUninitialized(type, new long[] {m, n}, 'c');
        if (type == DataType.FLOAT) {
            FloatBuffer bias = b.raw().data().asNioFloat();
            FloatBuffer out = r.data().asNioFloat();
            for (int i = 0; i < m; i++) {
                out.put(i * n, bias, 0, n);
            }
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasTrans, m, n, k, 1f, x.raw().data().asNioFloat(), k, w.raw().data().asNioFloat(), k,
                    1f, out, n);
        } else {
            DoubleBuffer bias = b.raw().data().asNioDouble();
            DoubleBuffer out = r.data().asNioDouble();
            for (int i = 0; i < m; i++) {
                out.put(i * n, bias, 0, n);
            }
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasTrans, m, n, k, 1.0, x.raw().data().asNioDouble(), k, w.raw().data().asNioDouble(), k,
                    1.0, out, n);
        }
        return r;
    }

    /**
     * {@code g * (x > 0)} as two native ops into one new array: libnd4j's {@code step} writes the
     * 0/1 mask in the operand type (NaN gives 0, as {@code x > 0} does), then {@code g} multiplies
     * it in place, so NaN and infinity in {@code g} give NaN where the mask is 0, exactly as the
     * composition's multiplication does. (libnd4j's {@code relu_bp} would be one op, but it
     * selects {@code g} or 0 and so turns NaN and infinity into 0.)
     */
    @Override
    public DeviceArray reluBackward(DeviceArray x, DeviceArray g) {
        Nd4jArray xa = arr(x);
        Nd4jArray ga = arr(g);
        if (!Arrays.equals(xa.shape(), ga.shape())) {
            return Compositions.reluBackward(this, x, g);
        }
        if (xa.size() == 0) {
            return empty(xa.shape(), xa.dtype());
        }
        INDArray r = Nd4j.createUninitialized(dt(xa.dtype()), lshape(xa.shape()), 'c');
        Nd4j.exec(new Step(xa.raw(), r, 0.0));
        Nd4j.exec(new MulOp(ga.raw(), r, r));
        return own(r, xa.shape(), xa.dtype());
    }

    /**
     * {@code x*l - softplus(l)} as libnd4j's {@code sigm_cross_entropy_loss} without reduction and
     * with weight -1: one native pass computes {@code max(l,0) - l*x + log(1 + e^-|l|)} (then the
     * op scales and copies it), instead of a dozen ND4J ops with the accurate {@code log1p} of
     * {@link #softplus}. The plain {@code log(1 + t)} adds at most half an ulp of 1 to the absolute
     * error, which stays within a few ulp of {@code max(1, |l|)}; only results far smaller than 1
     * (confident, correct predictions) lose relative accuracy: {@code l = -30, x = 0} gives
     * {@code -0} for {@code -9.4e-14}.
     */
    @Override
    public DeviceArray bernoulliLogProb(DeviceArray logits, DeviceArray x) {
        Nd4jArray l = arr(logits);
        Nd4jArray xa = arr(x);
        if (!Arrays.equals(l.shape(), xa.shape())) {
            return Compositions.bernoulliLogProb(this, logits, x);
        }
        if (l.size() == 0) {
            return empty(l.shape(), l.dtype());
        }
        INDArray la = l.raw();
        INDArray r = like(la);
        SigmoidCrossEntropyLoss op = new SigmoidCrossEntropyLoss(xa.raw(), la, minusOne(la.dataType()), LossReduce.NONE, 0.0);
        op.addOutputArgument(r);
        Nd4j.exec(op);
        return own(r, l.shape(), l.dtype());
    }

    @Override
    public DeviceArray gaussianKlStdNormal(DeviceArray mu, DeviceArray logvar) {
        Nd4jArray m = arr(mu);
        Nd4jArray lv = arr(logvar);
        if (!Arrays.equals(m.shape(), lv.shape())) {
            return Compositions.gaussianKlStdNormal(this, mu, logvar);
        }
        if (m.size() == 0) {
            return empty(m.shape(), m.dtype());
        }
        try (Temps t = new Temps()) {
            INDArray r = exec1(new Exp(lv.raw(), like(lv.raw())));
            INDArray mu2 = t.add(exec1(new Square(m.raw(), like(m.raw()))));
            r.addi(mu2);
            r.subi(lv.raw());
            r.subi(1.0);
            r.muli(0.5);
            return own(r, m.shape(), m.dtype());
        }
    }

    @Override
    public DeviceArray logSumExp(DeviceArray a, int axis, boolean keepDims) {
        Nd4jArray x = arr(a);
        int[] in = x.shape();
        if (axis < 0 || axis >= in.length) {
            throw new IllegalArgumentException("axis " + axis + " out of range for " + Shapes.format(in));
        }
        int[] ax = {axis};
        int[] s = Shapes.reduced(in, ax, keepDims);
        if (Shapes.size(s) == 0) {
            return empty(s, x.dtype());
        }
        if (x.size() == 0) {
            return full(s, x.dtype(), Double.NEGATIVE_INFINITY);
        }
        try (Temps t = new Temps()) {
            INDArray xa = x.raw();
            INDArray m = t.add(reduceInto(ReduceOp.MAX, xa, ax, true, t));
            // the composition's mSafe: 0 where the maximum is infinite or NaN
            Nd4j.exec(new CompareAndSet(m, 0.0, Conditions.isNan()));
            Nd4j.exec(new CompareAndSet(m, 0.0, Conditions.isInfinite()));
            INDArray shifted = t.add(exec1(new SubOp(xa, m, like(xa))));
            Nd4j.exec(new Exp(shifted, shifted));
            INDArray r = shifted.sum(true, ax);
            Nd4j.exec(new Log(r, r));
            r.addi(m);
            return own(r, s, x.dtype());
        }
    }

    /**
     * One Adam(W) step. Where the hyper-parameters allow it (see {@link #nativeAdam}), m, v and the
     * update come from one libnd4j {@code adam_updater} op that writes m and v in place, followed by
     * the weight decay (when not 0) and the subtraction of the update from the parameter: two or
     * three native ops per tensor. Otherwise the step is composed from eleven ND4J ops in the
     * composition's order (libnd4j's {@code axpy} forms each weighted sum in one pass).
     */
    @Override
    public void adamStep(DeviceArray param, DeviceArray grad, DeviceArray m, DeviceArray v, AdamHyper h) {
        Nd4jArray p = arr(param);
        Nd4jArray g = arr(grad);
        Nd4jArray ma = arr(m);
        Nd4jArray va = arr(v);
        if (p.size() == 0) {
            return;
        }
        p.makePrivate();
        ma.makePrivate();
        va.makePrivate();
        INDArray pa = p.raw();
        INDArray ga = g.raw();
        INDArray mm = ma.raw();
        INDArray vv = va.raw();
        try (Temps t = new Temps()) {
            if (isDenseC(ga) && isDenseC(mm) && isDenseC(vv) && nativeAdam(pa, ga, mm, vv, h, t)) {
                return;
            }
            // m = b1 m + (1-b1) g and v = b2 v + (1-b2) g^2, the sums as libnd4j's axpy (a x + y)
            mm.muli(h.beta1());
            Nd4j.exec(new Axpy(ga, mm, mm, 1 - h.beta1()));
            INDArray tmp = t.add(like(ga));
            Nd4j.exec(new Square(ga, tmp));
            vv.muli(h.beta2());
            Nd4j.exec(new Axpy(tmp, vv, vv, 1 - h.beta2()));
            // tmp = sqrt(v / bc2) + eps
            vv.div(h.biasCorrection2(), tmp);
            Nd4j.exec(new Sqrt(tmp, tmp));
            tmp.addi(h.eps());
            // upd = (m / bc1) / tmp; p = p - lr * upd
            INDArray upd = t.add(mm.div(h.biasCorrection1(), like(mm)));
            upd.divi(tmp);
            if (h.weightDecay() != 0) {
                pa.muli(1 - h.lr() * h.weightDecay());
            }
            Nd4j.exec(new Axpy(upd, pa, pa, -h.lr()));
        }
    }

    /**
     * The Adam moments and update as libnd4j's {@code adam_updater}, which computes
     * {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; u = m * a / (sqrt(v) + e)} with
     * {@code a = lr' sqrt(1 - b2^(t+1)) / (1 - b1^(t+1))} for its iteration count {@code t}.
     * The SPI's step {@code lr (m/bc1) / (sqrt(v/bc2) + eps)} equals
     * {@code m * (lr sqrt(bc2)/bc1) / (sqrt(v) + eps sqrt(bc2))}, so the op is given
     * {@code e = eps sqrt(bc2)}, {@code lr' = lr sqrt(bc2)/bc1} and an iteration count so large
     * ({@link #ADAM_ITERATION}) that {@code b^(t+1)} underflows far below the rounding unit of
     * {@code 1 - b^(t+1)}: libnd4j's own bias corrections are then exactly 1 in float32 and
     * float64 and {@code a = lr'} rounded once to the array type. m and v are the op's outputs as
     * well as its inputs (it reads each element before writing it).
     *
     * <p>libnd4j forms the weights {@code 1 - b} in the array type from the rounded {@code b},
     * where the composition (like PyTorch) rounds {@code 1 - b}: in float32 {@code 1 - 0.999f} is
     * 1.3e-5 relative away from {@code 0.001f}, so a first step from v = 0 would store a v that
     * far from PyTorch's. The op is therefore used only where both weights come out identical
     * (always in float64; in float32 for betas such as 0.5 or 0.75, not for the usual 0.9 and
     * 0.999), and then differs from the composition only in roundings.
     *
     * @return false, having done nothing, where the op cannot express the step: a {@code 1 - b}
     *         that libnd4j would round differently, a beta so close to 1 (or not finite) that
     *         libnd4j's bias correction is not exactly 1, a non-positive or non-finite
     *         {@code bc2}, or an effective learning rate that is 0 or not finite in the array type
     *         (libnd4j replaces such a rate by epsilon)
     */
    private static boolean nativeAdam(INDArray p, INDArray g, INDArray m, INDArray v, AdamHyper h, Temps t) {
        boolean f32 = g.dataType() == DataType.FLOAT;
        if (!negligiblePower(h.beta1()) || !negligiblePower(h.beta2())
                || !sameComplement(h.beta1(), f32) || !sameComplement(h.beta2(), f32)
                || !(h.biasCorrection2() > 0) || h.biasCorrection2() == INF) {
            return false;
        }
        double sqrtBc2 = Math.sqrt(h.biasCorrection2());
        double lr = h.lr() * sqrtBc2 / h.biasCorrection1();
        double eps = h.eps() * sqrtBc2;
        double lrT = f32 ? (float) lr : lr;
        double epsT = f32 ? (float) eps : eps;
        if (lrT == 0 || !Double.isFinite(lrT) || !Double.isFinite(epsT)) {
            return false;
        }
        INDArray upd = t.add(like(g));
        Nd4j.exec(new AdamUpdater(g, v, m, upd, v, m, lr, h.beta1(), h.beta2(), eps, ADAM_ITERATION));
        if (h.weightDecay() != 0) {
            p.muli(1 - h.lr() * h.weightDecay());
        }
        p.subi(upd);
        return true;
    }

    /**
     * @return whether libnd4j's weight {@code 1 - b}, computed in the array type from the rounded
     *         {@code b}, equals the composition's {@code 1 - b} rounded to that type (in float64
     *         both are the same double expression)
     */
    private static boolean sameComplement(double beta, boolean f32) {
        return !f32 || 1f - (float) beta == (float) (1 - beta);
    }

    /**
     * @return whether libnd4j's {@code 1 - b^(t+1)} is exactly 1 in float32 and float64 for
     *         {@code t = }{@link #ADAM_ITERATION}: {@code |b|^(t+1)} (computed here for the
     *         float64 and the float32-rounded b) is far below 2^-54, so that differences between
     *         C's and Java's {@code pow} cannot matter
     */
    private static boolean negligiblePower(double beta) {
        double e = (double) ADAM_ITERATION + 1;
        return Math.pow(Math.abs(beta), e) < 1e-30 && Math.pow(Math.abs((float) beta), e) < 1e-30;
    }

    /**
     * @return whether Java passes can read {@code a} as buffer elements {@code 0 .. length-1} in
     *         C order: dense, from the start of its own buffer, at most {@code Integer.MAX_VALUE}
     *         elements
     */
    private static boolean hostDense(INDArray a) {
        return isDenseC(a) && a.data().offset() == 0 && a.length() <= Integer.MAX_VALUE;
    }

    // ================================================================ accurate transcendental functions

    /** log1p as {@code log(u) - ((u-1)-x)/u}, u = 1+x; the correction is 0 where it is NaN. */
    private static INDArray log1p(INDArray x, Temps t) {
        INDArray u = x.add(1.0, like(x));
        INDArray c = t.add(u.sub(1.0, like(x)));
        c.subi(x);
        c.divi(u);
        Nd4j.exec(new CompareAndSet(c, 0.0, Conditions.isNan()));
        Nd4j.exec(new Log(u, u));
        u.subi(c);
        return u;
    }

    /** expm1 as {@code 2 sinh(x/2) e^(x/2)} with x clamped to -50 from below (NaN kept). */
    private static INDArray expm1(INDArray x, Temps t) {
        INDArray xc = t.add(like(x));
        xc.assign(x);
        Nd4j.exec(new CompareAndSet(xc, EXPM1_CLAMP, Conditions.lessThan(EXPM1_CLAMP)));
        xc.muli(0.5);
        INDArray r = exec1(new Sinh(xc, like(xc)));
        Nd4j.exec(new Exp(xc, xc));
        r.muli(xc);
        r.muli(2.0);
        return r;
    }

    /**
     * tanh as {@code s / sqrt(1 + s^2)} with {@code s = sinh(x)} and x clamped to [-20, 20] (NaN
     * kept); libnd4j's sinh is accurate near 0, unlike its tanh.
     */
    private static INDArray tanh(INDArray x, Temps t) {
        INDArray xc = t.add(like(x));
        xc.assign(x);
        Nd4j.exec(new CompareAndSet(xc, TANH_CLAMP, Conditions.greaterThan(TANH_CLAMP)));
        Nd4j.exec(new CompareAndSet(xc, -TANH_CLAMP, Conditions.lessThan(-TANH_CLAMP)));
        INDArray r = exec1(new Sinh(xc, like(xc)));
        Nd4j.exec(new Square(r, xc));
        xc.addi(1.0);
        Nd4j.exec(new Sqrt(xc, xc));
        r.divi(xc);
        return r;
    }

    /** softplus as {@code max(x,0) + log1p(e^-|x|)}. */
    private static INDArray softplus(INDArray x, Temps t) {
        INDArray e = t.add(exec1(new Abs(x, like(x))));
        e.negi();
        Nd4j.exec(new Exp(e, e));
        INDArray r = log1p(e, t);
        INDArray relu = t.add(exec1(new RectifiedLinear(x, like(x))));
        r.addi(relu);
        return r;
    }

    // ================================================================ NaN handling

    /** Makes {@code r[i]} NaN wherever {@code src[i]} is NaN (same shapes). */
    private static void propagateNaN(INDArray src, INDArray r) {
        // CompareAndReplace: z = cond(x) ? y : x; "x <= +inf" is false only for NaN
        Nd4j.exec(new CompareAndReplace(src, r, r, Conditions.lessThanOrEqual(INF)));
    }

    /**
     * As {@link #propagateNaN(INDArray, INDArray)} for an operand that broadcasts to {@code r};
     * nothing is done (beyond a sum) when it has no NaN.
     */
    private static void propagateNaN(INDArray src, INDArray r, long[] shape, Temps t) {
        if (hasNaN(src)) {
            propagateNaN(materialize(src, shape, t), r);
        }
    }

    /**
     * Gives {@code r = x^y} the edge values of {@link Math#pow} where C's {@code pow}, which ND4J
     * uses, differs: a NaN exponent gives NaN (C: {@code pow(1, NaN) = 1}) and so does a base of
     * magnitude 1 with an infinite exponent (C: 1).
     */
    private static void javaPowEdges(INDArray x, INDArray y, INDArray r, long[] shape, Temps t) {
        propagateNaN(y, r, shape, t);
        if (!mayHaveNonFinite(y)) {
            return;
        }
        INDArray xb = materialize(x, shape, t);
        INDArray yb = materialize(y, shape, t);
        INDArray absX = t.add(exec1(new Abs(xb, like(xb))));
        INDArray unitBase = t.add(absX.eq(1.0));
        INDArray absY = t.add(exec1(new Abs(yb, like(yb))));
        INDArray infExp = t.add(absY.eq(INF));
        INDArray nan = t.add(Nd4j.valueArrayOf(shape, Double.NaN, r.dataType()));
        INDArray inner = t.add(Nd4j.createUninitialized(r.dataType(), shape, 'c'));
        Nd4j.exec(new Select(new INDArray[] {infExp, nan, r}, new INDArray[] {inner}));
        INDArray out = t.add(Nd4j.createUninitialized(r.dataType(), shape, 'c'));
        Nd4j.exec(new Select(new INDArray[] {unitBase, inner, r}, new INDArray[] {out}));
        r.assign(out);
    }

    /** @return {@code x} broadcast to {@code shape} (same rank), materialised when it differs */
    private static INDArray materialize(INDArray x, long[] shape, Temps t) {
        if (sameShape(x, shape)) {
            return x;
        }
        return t.add(Nd4j.exec(new BroadcastTo(x, shape, Nd4j.createUninitialized(x.dataType(), shape, 'c')))[0]);
    }

    /**
     * @return false only if {@code x} certainly has no infinity and no NaN; decided from its sum,
     *         which is finite exactly then (unless it overflows, which only costs a slow path)
     */
    private static boolean mayHaveNonFinite(INDArray x) {
        return !Double.isFinite(x.sumNumber().doubleValue());
    }

    /** @return whether {@code x} has a NaN: a cheap sum decides unless it is not finite */
    private static boolean hasNaN(INDArray x) {
        double sum = x.sumNumber().doubleValue();
        if (!Double.isNaN(sum)) {
            return false;
        }
        try (INDArray count = Nd4j.getExecutioner().exec(new MatchCondition(x, Conditions.isNan()))) {
            return count.getLong(0) > 0;
        }
    }

    // ================================================================ helpers

    /** Temporary ND4J arrays closed at the end of a kernel; only fresh (owning) arrays go in. */
    private static final class Temps implements AutoCloseable {
        private final List<INDArray> arrays = new ArrayList<>(4);

        INDArray add(INDArray a) {
            arrays.add(a);
            return a;
        }

        @Override
        public void close() {
            for (int i = arrays.size() - 1; i >= 0; i--) {
                arrays.get(i).close();
            }
            arrays.clear();
        }
    }

    private Nd4jArray arr(DeviceArray a) {
        if (!(a instanceof Nd4jArray)) {
            throw new IllegalArgumentException("not an ND4J backend array: " + (a == null ? "null" : a.getClass().getName()));
        }
        Nd4jArray x = (Nd4jArray) a;
        if (x.isReleased()) {
            throw new IllegalStateException("use of released array " + x);
        }
        return x;
    }

    private Nd4jArray register(Nd4jArray x) {
        if (closed) {
            x.markReleased();
            throw new IllegalStateException("the ND4J backend was closed");
        }
        live.add(x);
        return x;
    }

    private Nd4jArray empty(int[] shape, DType dtype) {
        return register(new Nd4jArray(shape.clone(), dtype, null, null));
    }

    /** Wraps a new array this backend now owns, viewing it with {@code shape} if ND4J shaped it otherwise. */
    private Nd4jArray own(INDArray fresh, int[] shape, DType dtype) {
        if (fresh == null) {
            return empty(shape, dtype);
        }
        long[] ls = lshape(shape);
        INDArray owner = fresh;
        if (owner.dataType() != dt(dtype)) {
            owner = toType(fresh, dt(dtype));
            fresh.close();
        }
        if (!sameShape(owner, ls) && !isDenseC(owner)) {
            INDArray dense = owner.dup('c');
            owner.close();
            owner = dense;
        }
        INDArray v = sameShape(owner, ls) ? owner : denseView(owner, shape);
        return register(new Nd4jArray(shape.clone(), dtype, v, new Nd4jArray.Storage(owner)));
    }

    /** Wraps a view of {@code base}'s storage. */
    private Nd4jArray view(Nd4jArray base, INDArray v, int[] shape) {
        base.storage().ref();
        return register(new Nd4jArray(shape.clone(), base.dtype(), v, base.storage()));
    }

    /** @return a C-order view with {@code shape} of a dense C-order array */
    private static INDArray denseView(INDArray dense, int[] shape) {
        long[] ls = lshape(shape);
        if (sameShape(dense, ls)) {
            return dense;
        }
        return Nd4j.create(dense.data(), ls, cStrides(ls), 0, 'c', dense.dataType());
    }

    /** @return {@code x} with leading size-1 axes up to {@code rank}; copies non-dense arrays first */
    private static INDArray toRank(INDArray x, int[] shape, int rank, Temps t) {
        if (shape.length == rank) {
            return x;
        }
        int[] s = new int[rank];
        Arrays.fill(s, 1);
        System.arraycopy(shape, 0, s, rank - shape.length, shape.length);
        INDArray d = isDenseC(x) ? x : t.add(x.dup('c'));
        return denseView(d, s);
    }

    /** @return {@code x} (of {@code shape}) broadcast to {@code target}, materialised if needed */
    private static INDArray expand(INDArray x, int[] shape, int[] target, Temps t) {
        if (Arrays.equals(shape, target)) {
            return x;
        }
        INDArray r = toRank(x, shape, target.length, t);
        long[] lt = lshape(target);
        return t.add(Nd4j.exec(new BroadcastTo(r, lt, Nd4j.createUninitialized(r.dataType(), lt, 'c')))[0]);
    }

    /** @return true if {@code x} is laid out densely in C order from the start of its own buffer */
    static boolean isDenseC(INDArray x) {
        if (x.offset() != 0 || x.data().length() != x.length()) {
            return false;
        }
        long[] sh = x.shape();
        long[] st = x.stride();
        long acc = 1;
        for (int i = sh.length - 1; i >= 0; i--) {
            if (sh[i] != 1 && st[i] != acc) {
                return false;
            }
            acc *= sh[i];
        }
        return true;
    }

    private static long[] cStrides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(shape[i], 1);
        }
        return s;
    }

    private static boolean sameShape(INDArray x, long[] shape) {
        return Arrays.equals(x.shape(), shape);
    }

    /** @return a new uninitialised C-order array with the shape and type of {@code x} */
    private static INDArray like(INDArray x) {
        return Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
    }

    private INDArray minusOne(DataType type) {
        if (type == DataType.DOUBLE) {
            if (minusOneD == null) {
                minusOneD = Nd4j.scalar(DataType.DOUBLE, -1.0);
            }
            return minusOneD;
        }
        if (minusOneF == null) {
            minusOneF = Nd4j.scalar(DataType.FLOAT, -1.0);
        }
        return minusOneF;
    }

    /** Executes an op and returns its output array. */
    private static INDArray exec1(org.nd4j.linalg.api.ops.Op op) {
        Nd4j.exec(op);
        return op.z();
    }

    private static INDArray exec1(org.nd4j.linalg.api.ops.CustomOp op) {
        return Nd4j.exec(op)[0];
    }

    private static INDArray toType(INDArray x, DataType type) {
        INDArray r = Nd4j.createUninitialized(type, x.shape(), 'c');
        r.assign(x);
        return r;
    }

    private static DataType dt(DType t) {
        return t == DType.FLOAT64 ? DataType.DOUBLE : DataType.FLOAT;
    }

    private static long[] lshape(int[] s) {
        long[] l = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            l[i] = s[i];
        }
        return l;
    }

    private static int checkData(int length, int[] shape) {
        Shapes.validate(shape);
        int n = Shapes.sizeInt(shape);
        if (length != n) {
            throw new IllegalArgumentException(length + " values do not fill shape " + Shapes.format(shape) + " (" + n + " elements)");
        }
        return n;
    }

    @Override
    public String toString() {
        return "Nd4jKernels[" + threads + " threads, " + live.size() + " live arrays]";
    }
}
