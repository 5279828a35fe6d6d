package dev.vae.api.spi;

import dev.vae.api.DType;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The kernels a backend implements over its own arrays. This is the whole contract between the
 * platform and a backend: backends never see autodiff, layers or models. Every gradient is written
 * once in {@code vae-api} on top of these kernels.
 *
 * <h2>Required kernels</h2>
 * Creation and host transfer, shape movement (reshape, permute, slice, concat, row gather),
 * element-wise {@link UnaryOp unary} and broadcasting {@link BinaryOp binary} ops, {@link #where},
 * {@link ReduceOp reductions}, 2-D {@link #matmul} with transpose flags, in-place {@link #assign},
 * {@link #release} and {@link #liveArrays()}.
 *
 * <h2>Fused kernels</h2>
 * The {@code default} methods ({@link #scalar}, {@link #linear}, {@link #reluBackward},
 * {@link #bernoulliLogProb}, {@link #gaussianKlStdNormal}, {@link #logSumExp}, {@link #adamStep},
 * {@link #philoxNormal}, {@link #philoxUniform}) have a reference composition in
 * {@link Compositions}. A backend overrides them only for speed; the conformance suite checks
 * every override against the composition. {@link #deviceMemoryInUse} is optional too: a backend
 * that keeps its own count of device memory reports it.
 *
 * <h2>Contracts common to all kernels</h2>
 * <ul>
 *   <li>Inputs are never modified, except the target of {@link #assign} and the state of
 *       {@link #adamStep}. Outputs are new arrays the caller owns and must {@link #release}.
 *       An output may share storage with an input (a view) only if releasing either never
 *       invalidates the other, and a later in-place update ({@link #assign}, {@link #adamStep})
 *       of either is never visible through the other (copy on write).</li>
 *   <li>Axis arguments are non-negative and in range; {@code reduce} axes are sorted and
 *       distinct.</li>
 *   <li>Fused element-wise kernels ({@link #reluBackward}, {@link #bernoulliLogProb},
 *       {@link #gaussianKlStdNormal}, {@link #adamStep}) take operands of one shape;
 *       {@link #linear}'s bias is (out) or null.</li>
 *   <li>Scalar operands ({@link #scalar}, {@link #full}) are first rounded to the array's
 *       dtype, so in float32 {@code scalar(MUL, a, 0.1)} multiplies by {@code (float) 0.1}.</li>
 *   <li>Shapes and dtypes have been validated by the API before a kernel is called; kernels may
 *       assume operands fit. Operands of one kernel share a dtype.</li>
 *   <li>Shapes are {@code int[]}; a zero-length shape is a scalar; zero-size dimensions are
 *       legal everywhere.</li>
 *   <li>Kernels are called from one thread at a time per backend instance.</li>
 * </ul>
 */
public interface Kernels extends AutoCloseable {

    /** @return the backend's short name, same as its provider's */
    String name();

    /** @return a one-line description: library versions, threads, device */
    String deviceDescription();

    /** @return the optional capabilities this backend supports */
    Set<Capability> capabilities();

    // ---------------------------------------------------------------- creation and transfer

    /** @return a new float32 array holding {@code data} (row-major) with {@code shape} */
    DeviceArray fromFloats(float[] data, int[] shape);

    /** @return a new float64 array holding {@code data} (row-major) with {@code shape} */
    DeviceArray fromDoubles(double[] data, int[] shape);

    /** @return a new array of {@code shape} and {@code dtype} with every element {@code value} */
    DeviceArray full(int[] shape, DType dtype, double value);

    /** @return the elements of {@code a} in row-major order as float32 (converting if needed) */
    float[] toFloats(DeviceArray a);

    /** @return the elements of {@code a} in row-major order as float64 (converting if needed) */
    double[] toDoubles(DeviceArray a);

    /** @return a new array holding {@code a} converted to {@code dtype} */
    DeviceArray cast(DeviceArray a, DType dtype);

    // ---------------------------------------------------------------- movement

    /** @return {@code a} with a new shape of the same size (row-major order kept) */
    DeviceArray reshape(DeviceArray a, int[] shape);

    /** @return {@code a} with axes permuted: result axis i is input axis {@code axes[i]} */
    DeviceArray permute(DeviceArray a, int[] axes);

    /** @return elements {@code [start, end)} of {@code axis}; {@code 0 <= start <= end <= dim} */
    DeviceArray slice(DeviceArray a, int axis, int start, int end);

    /** @return the arrays joined along {@code axis}; all other dimensions agree; non-empty list */
    DeviceArray concat(List<DeviceArray> parts, int axis);

    /** @return rows {@code rows[i]} of {@code a} along axis 0, in order; indices are in range */
    DeviceArray gatherRows(DeviceArray a, int[] rows);

    // ---------------------------------------------------------------- element-wise

    /** @return {@code op} applied to every element */
    DeviceArray unary(UnaryOp op, DeviceArray a);

    /** @return {@code op(a, b)} with NumPy broadcasting to the broadcast shape */
    DeviceArray binary(BinaryOp op, DeviceArray a, DeviceArray b);

    /** @return {@code cond != 0 ? a : b} element-wise with broadcasting across all three */
    DeviceArray where(DeviceArray cond, DeviceArray a, DeviceArray b);

    // ---------------------------------------------------------------- reductions and matmul

    /**
     * @param axes distinct, sorted, in range; may be empty (then the result equals the input)
     * @return the reduction of {@code a} over {@code axes}, keeping size-1 axes if asked
     */
    DeviceArray reduce(ReduceOp op, DeviceArray a, int[] axes, boolean keepDims);

    /**
     * 2-D matrix product {@code op(a) @ op(b)} where {@code op} transposes when its flag is set.
     * Shapes: op(a) is (m, k), op(b) is (k, n), result (m, n); k may be 0 (result is zeros).
     */
    DeviceArray matmul(DeviceArray a, DeviceArray b, boolean transA, boolean transB);

    // ---------------------------------------------------------------- in-place and memory

    /** Copies {@code source} into {@code target} (same shape and dtype) in place. */
    void assign(DeviceArray target, DeviceArray source);

    /** Frees {@code a}; releasing the same array twice is an error the backend may ignore. */
    void release(DeviceArray a);

    /** @return the number of arrays created and not yet released (for leak checks) */
    long liveArrays();

    /**
     * Device memory in use, for benchmarks and diagnostics.
     *
     * @return the bytes of device memory (or other memory outside the Java heap) that this
     *     instance's live arrays occupy, by the backend's own count: allocation rounding
     *     included, freed blocks a caching allocator keeps for reuse excluded. Empty (the
     *     default) where the backend cannot tell, e.g. arrays on the Java heap or a native library
     *     that keeps no such count. Cheap enough to call after every training step.
     */
    default OptionalLong deviceMemoryInUse() {
        return OptionalLong.empty();
    }

    /** Releases everything the backend holds; the instance is unusable afterwards. */
    @Override
    default void close() {
    }

    // ---------------------------------------------------------------- fused, optional

    /** @return {@code op(a, s)} for a scalar {@code s}; see {@link Compositions#scalar} */
    default DeviceArray scalar(BinaryOp op, DeviceArray a, double s) {
        return Compositions.scalar(this, op, a, s);
    }

    /**
     * Dense layer {@code x @ w^T + b}: x (n, in), w (out, in), b (out) or null; result (n, out).
     */
    default DeviceArray linear(DeviceArray x, DeviceArray w, DeviceArray b) {
        return Compositions.linear(this, x, w, b);
    }

    /**
     * The gradient of ReLU: {@code g * (x > 0 ? 1 : 0)} element-wise, {@code x} and {@code g} of
     * one shape. A NaN in {@code x} counts as not positive; a NaN or infinity in {@code g} where
     * {@code x <= 0} gives NaN, exactly as the multiplication {@code g * 0} does.
     */
    default DeviceArray reluBackward(DeviceArray x, DeviceArray g) {
        return Compositions.reluBackward(this, x, g);
    }

    /**
     * Element-wise Bernoulli log-probability of targets {@code x} (any value in [0, 1]) under
     * {@code logits} of the same shape: {@code x*l - softplus(l)}.
     */
    default DeviceArray bernoulliLogProb(DeviceArray logits, DeviceArray x) {
        return Compositions.bernoulliLogProb(this, logits, x);
    }

    /**
     * Element-wise KL(N(mu, e^logvar) || N(0, 1)) = {@code 0.5*(e^logvar + mu^2 - 1 - logvar)}.
     */
    default DeviceArray gaussianKlStdNormal(DeviceArray mu, DeviceArray logvar) {
        return Compositions.gaussianKlStdNormal(this, mu, logvar);
    }

    /** Stable {@code log(sum(exp(a), axis))}; -inf for an all -inf or empty slice. */
    default DeviceArray logSumExp(DeviceArray a, int axis, boolean keepDims) {
        return Compositions.logSumExp(this, a, axis, keepDims);
    }

    /**
     * One Adam(W) step, in place on {@code param}, {@code m} and {@code v}:
     * {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
     * p = p - lr*wd*p - lr * (m/bc1) / (sqrt(v/bc2) + eps)}.
     */
    default void adamStep(DeviceArray param, DeviceArray grad, DeviceArray m, DeviceArray v, AdamHyper h) {
        Compositions.adamStep(this, param, grad, m, v, h);
    }

    /**
     * Standard normal values from the Philox4x32-10 stream {@code (seed, stream)} starting at block
     * {@code counter}, with the mapping of {@link dev.vae.api.random.Philox}.
     */
    default DeviceArray philoxNormal(long seed, long stream, long counter, int[] shape, DType dtype) {
        return Compositions.philoxNormal(this, seed, stream, counter, shape, dtype);
    }

    /**
     * Uniform values in (0, 1) from the Philox4x32-10 stream {@code (seed, stream)} starting at
     * block {@code counter}, with the mapping of {@link dev.vae.api.random.Philox}.
     */
    default DeviceArray philoxUniform(long seed, long stream, long counter, int[] shape, DType dtype) {
        return Compositions.philoxUniform(this, seed, stream, counter, shape, dtype);
    }
}
