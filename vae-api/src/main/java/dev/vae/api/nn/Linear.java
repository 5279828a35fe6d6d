package dev.vae.api.nn;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.ShapeException;
import dev.vae.api.Shapes;
import dev.vae.api.Tensor;
import dev.vae.api.random.Rng;

import java.util.Objects;

/**
 * A dense layer {@code y = x W^T + b}, like {@code torch.nn.Linear}: weight of shape
 * {@code (out, in)} named {@code "weight"}, optional bias of shape {@code (out)} named
 * {@code "bias"}. The forward pass uses the backend's fused {@link Tensor#linear} kernel.
 */
public final class Linear extends Module {
    private final Tensor weight;
    private final Tensor bias;
    private final int in;
    private final int out;

    /**
     * A float32 layer with bias and PyTorch's default initialisation ({@link Init#PYTORCH_DEFAULT}).
     *
     * @param backend where the parameters live, not null
     * @param inFeatures input size, {@code > 0}
     * @param outFeatures output size, {@code >= 0}
     * @param rng generator for the initial values (weight drawn first, then bias), not null
     */
    public Linear(Backend backend, int inFeatures, int outFeatures, Rng rng) {
        this(backend, inFeatures, outFeatures, true, Init.PYTORCH_DEFAULT, DType.FLOAT32, rng);
    }

    /**
     * A layer with the given initialisation and element type.
     *
     * @param backend where the parameters live, not null
     * @param inFeatures input size, {@code > 0}
     * @param outFeatures output size, {@code >= 0}
     * @param bias whether the layer has a bias
     * @param init the initialisation scheme, not null
     * @param dtype the parameters' element type, not null
     * @param rng generator for the initial values (weight drawn first, then bias), not null
     */
    public Linear(Backend backend, int inFeatures, int outFeatures, boolean bias, Init init, DType dtype, Rng rng) {
        Objects.requireNonNull(init, "init");
        this.in = inFeatures;
        this.out = outFeatures;
        this.weight = registerParameter("weight", init.weight(backend, dtype, rng, outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", init.bias(backend, dtype, rng, outFeatures, inFeatures)) : null;
    }

    /**
     * A layer adopting existing parameter tensors (for example loaded from a checkpoint). The layer
     * takes ownership and releases them in {@link #close()}.
     *
     * @param weight shape {@code (out, in)}, caller-owned, not null
     * @param bias shape {@code (out)} with the weight's backend and dtype, or null for no bias
     * @throws ShapeException if the shapes or dtypes do not fit
     */
    public Linear(Tensor weight, Tensor bias) {
        Objects.requireNonNull(weight, "weight");
        if (weight.rank() != 2) {
            throw new ShapeException("Linear: weight must be 2-D (out, in), got " + Shapes.format(weight.shape()));
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != weight.dim(0) || bias.dtype() != weight.dtype()
                || bias.backend() != weight.backend())) {
            throw new ShapeException("Linear: bias " + bias.dtype().label() + Shapes.format(bias.shape())
                    + " does not fit weight " + weight.dtype().label() + Shapes.format(weight.shape()));
        }
        this.out = weight.dim(0);
        this.in = weight.dim(1);
        this.weight = registerParameter("weight", weight);
        this.bias = bias == null ? null : registerParameter("bias", bias);
    }

    /** @return the weight parameter, shape {@code (out, in)} */
    public Tensor weight() {
        return weight;
    }

    /** @return the bias parameter, shape {@code (out)}, or null if the layer has none */
    public Tensor bias() {
        return bias;
    }

    /** @return the input size */
    public int inFeatures() {
        return in;
    }

    /** @return the output size */
    public int outFeatures() {
        return out;
    }

    /**
     * Applies the layer to the last axis of {@code x}, like PyTorch: {@code (..., in)} becomes
     * {@code (..., out)}. Inputs of rank other than 2 are reshaped around the fused 2-D kernel.
     *
     * @param x rank {@code >= 1}, last dimension {@code in}, same backend and dtype as the weight
     * @throws ShapeException if the last dimension is not {@code in} or the dtype differs
     */
    @Override
    public Tensor forward(Tensor x) {
        Objects.requireNonNull(x, "x");
        int[] s = x.shape();
        if (s.length == 0 || s[s.length - 1] != in) {
            throw new ShapeException("Linear(" + in + " -> " + out + "): input " + Shapes.format(s)
                    + " does not end in " + in + " features");
        }
        if (s.length == 2) {
            return x.linear(weight, bias);
        }
        int[] outShape = s.clone();
        outShape[s.length - 1] = out;
        return x.reshape(-1, in).linear(weight, bias).reshape(outShape);
    }

    @Override
    public String toString() {
        return "Linear(in_features=" + in + ", out_features=" + out + ", bias=" + (bias != null) + ")";
    }
}
