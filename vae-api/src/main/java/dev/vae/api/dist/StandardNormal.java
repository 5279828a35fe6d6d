package dev.vae.api.dist;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.ShapeException;
import dev.vae.api.Shapes;
import dev.vae.api.Tensor;
import dev.vae.api.random.Rng;

import java.util.Objects;

/**
 * The standard normal {@code N(0, I)} over {@code d}-dimensional vectors: the usual VAE prior
 * {@code p(z)}. It holds no tensors; {@link #logProb(Tensor)} accepts any batch shape.
 */
public final class StandardNormal implements Distribution {
    private final Backend backend;
    private final DType dtype;
    private final int dim;

    /**
     * @param backend the backend for samples and the mean, not null
     * @param dtype their element type, not null
     * @param dim the event size {@code d}, {@code >= 1}
     * @throws IllegalArgumentException if {@code dim < 1}
     */
    public StandardNormal(Backend backend, DType dtype, int dim) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        if (dim < 1) {
            throw new IllegalArgumentException("StandardNormal: dim must be >= 1, got " + dim);
        }
        this.dim = dim;
    }

    /** @return the event size {@code d} */
    public int dim() {
        return dim;
    }

    /** @return the element type of samples */
    public DType dtype() {
        return dtype;
    }

    /**
     * {@code -1/2 sum(x^2 + log 2pi)} over the last axis.
     *
     * @param x shape {@code (..., d)}, not null
     * @throws dev.vae.api.ShapeException if the last dimension is not {@code d}
     */
    @Override
    public Tensor logProb(Tensor x) {
        Objects.requireNonNull(x, "x");
        if (x.rank() == 0 || x.dim(-1) != dim) {
            throw new ShapeException("StandardNormal(" + dim + ").logProb: input "
                    + Shapes.format(x.shape()) + " does not end in " + dim);
        }
        return x.square().add(DiagonalGaussian.LOG_2PI).sum(-1).mul(-0.5);
    }

    /** @return one sample of shape {@code (d)} */
    @Override
    public Tensor sample(Rng rng) {
        return sample(rng, dim);
    }

    /**
     * Standard normal values drawn by the backend ({@link Backend#randn}).
     *
     * @param rng the generator, advanced; not null
     * @param shape the result shape, normally {@code (n, d)}
     * @return a tensor not requiring gradients
     */
    public Tensor sample(Rng rng, int... shape) {
        return backend.randn(Objects.requireNonNull(rng, "rng"), dtype, shape);
    }

    /** @return zeros of shape {@code (d)} */
    @Override
    public Tensor mean() {
        return backend.zeros(dtype, dim);
    }

    @Override
    public String toString() {
        return "StandardNormal(" + dim + ")";
    }
}
