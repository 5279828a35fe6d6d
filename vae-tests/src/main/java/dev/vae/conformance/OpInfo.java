package dev.vae.conformance;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Tensor;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The description of one op in the {@link OpRegistry}, in the manner of PyTorch's {@code OpInfo}:
 * how to call it (through the {@link Tensor} API, which records gradients, or directly on the
 * {@link Kernels}), its sample inputs, its error inputs, whether it is differentiable, and the
 * tolerances its results are held to in each dtype, each with its numerical reason.
 */
public final class OpInfo {
    /** The op called through the Tensor API (autodiff included). */
    @FunctionalInterface
    public interface TensorOp {
        /**
         * @param in the inputs, already materialised on the backend in the sample's layout
         * @param ctx the backend, dtype and non-tensor arguments
         * @return the result (a new tensor)
         */
        Tensor apply(List<Tensor> in, Context ctx);
    }

    /** The op called directly on the kernels (for contracts the Tensor API does not reach). */
    @FunctionalInterface
    public interface KernelOp {
        /**
         * @param k the backend's kernels
         * @param in the inputs' backend arrays
         * @param ctx the backend, dtype and non-tensor arguments
         * @return a new array the caller releases
         */
        DeviceArray apply(Kernels k, List<DeviceArray> in, Context ctx);
    }

    /**
     * What an op receives besides its inputs.
     *
     * @param backend the backend the op runs on
     * @param dtype the dtype of the inputs
     * @param args the sample's non-tensor arguments
     */
    public record Context(Backend backend, DType dtype, Args args) {
    }

    private final String name;
    private final String family;
    private final TensorOp tensorOp;
    private final KernelOp kernelOp;
    private final boolean differentiable;
    private final boolean keepsDtype;
    private final boolean needsFloat64;
    private final Tol forward32;
    private final Tol forward64;
    private final Tol grad32;
    private final Tol grad64;
    private final List<SampleInput> samples;
    private final List<ErrorInput> errors;

    private OpInfo(Builder b) {
        this.name = b.name;
        this.family = b.family;
        this.tensorOp = b.tensorOp;
        this.kernelOp = b.kernelOp;
        this.differentiable = b.differentiable && b.tensorOp != null;
        this.keepsDtype = b.keepsDtype;
        this.needsFloat64 = b.needsFloat64;
        this.forward32 = Objects.requireNonNull(b.forward32, "forward float32 tolerance of " + b.name);
        this.forward64 = Objects.requireNonNull(b.forward64, "forward float64 tolerance of " + b.name);
        this.grad32 = b.grad32;
        this.grad64 = b.grad64;
        this.samples = List.copyOf(b.samples);
        this.errors = List.copyOf(b.errors);
        if (tensorOp == null && kernelOp == null) {
            throw new IllegalArgumentException("op " + name + " has neither a tensor nor a kernel function");
        }
        if (differentiable && (grad32 == null || grad64 == null)) {
            throw new IllegalArgumentException("differentiable op " + name + " needs gradient tolerances");
        }
    }

    /** @return a builder for an op named {@code name} in {@code family} (unary, binary, reduction, ...) */
    public static Builder builder(String name, String family) {
        return new Builder(name, family);
    }

    /** @return the op's name as it appears in messages ({@code sum}, {@code matmul}, ...) */
    public String name() {
        return name;
    }

    /** @return the family (unary, binary, reduction, movement, linear algebra, fused, kernel) */
    public String family() {
        return family;
    }

    /** @return the Tensor-level function, or null for kernel-only ops */
    public TensorOp tensorOp() {
        return tensorOp;
    }

    /** @return the kernel-level function, or null when the op is called through the Tensor API */
    public KernelOp kernelOp() {
        return kernelOp;
    }

    /** @return whether gradients are checked */
    public boolean differentiable() {
        return differentiable;
    }

    /** @return whether the result has the inputs' dtype (false for casts) */
    public boolean keepsDtype() {
        return keepsDtype;
    }

    /** @return whether the op needs float64 even when its inputs are float32 (casts) */
    public boolean needsFloat64() {
        return needsFloat64;
    }

    /** @return the forward tolerance in {@code dtype} against the float64 reference */
    public Tol forwardTol(DType dtype) {
        return dtype == DType.FLOAT32 ? forward32 : forward64;
    }

    /** @return the gradient tolerance in {@code dtype} against the float64 reference's gradient */
    public Tol gradTol(DType dtype) {
        return dtype == DType.FLOAT32 ? grad32 : grad64;
    }

    /** @return the sample inputs */
    public List<SampleInput> samples() {
        return samples;
    }

    /** @return the invalid inputs and the exceptions they raise */
    public List<ErrorInput> errors() {
        return errors;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Builds an {@link OpInfo}. */
    public static final class Builder {
        private final String name;
        private final String family;
        private TensorOp tensorOp;
        private KernelOp kernelOp;
        private boolean differentiable;
        private boolean keepsDtype = true;
        private boolean needsFloat64;
        private Tol forward32;
        private Tol forward64;
        private Tol grad32;
        private Tol grad64;
        private final List<SampleInput> samples = new ArrayList<>();
        private final List<ErrorInput> errors = new ArrayList<>();

        private Builder(String name, String family) {
            this.name = name;
            this.family = family;
        }

        /** Calls the op through the Tensor API. */
        public Builder tensor(TensorOp f) {
            this.tensorOp = f;
            return this;
        }

        /** Calls the op directly on the kernels. */
        public Builder kernel(KernelOp f) {
            this.kernelOp = f;
            return this;
        }

        /** Marks the op differentiable, with its gradient tolerances. */
        public Builder gradients(Tol float32, Tol float64) {
            this.differentiable = true;
            this.grad32 = float32;
            this.grad64 = float64;
            return this;
        }

        /** Sets the forward tolerances. */
        public Builder forward(Tol float32, Tol float64) {
            this.forward32 = float32;
            this.forward64 = float64;
            return this;
        }

        /** Marks an op whose result dtype differs from its inputs' and that needs float64 support. */
        public Builder changesDtype() {
            this.keepsDtype = false;
            this.needsFloat64 = true;
            return this;
        }

        /** Adds samples. */
        public Builder samples(List<SampleInput> s) {
            samples.addAll(s);
            return this;
        }

        /** Adds samples. */
        public Builder sample(SampleInput... s) {
            samples.addAll(List.of(s));
            return this;
        }

        /** Adds error inputs. */
        public Builder errors(ErrorInput... e) {
            errors.addAll(List.of(e));
            return this;
        }

        /** @return the op description */
        public OpInfo build() {
            return new OpInfo(this);
        }
    }
}
