package dev.vae.api.nn;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Tensor;
import dev.vae.api.random.Rng;

import java.util.Objects;

/**
 * Initialisation schemes for a dense layer's weight (shape {@code (fanOut, fanIn)}) and bias
 * (shape {@code (fanOut)}).
 *
 * <p>Values are drawn on the host in float64 from the platform's Philox {@link Rng}
 * ({@link Rng#uniformDoubles(int)} / {@link Rng#normalDoubles(int)}) and only then converted to the
 * tensor's dtype, so the same generator state gives the same initial weights on every backend.
 * The weight is drawn first, in row-major order, then the bias. A uniform draw {@code u} in (0, 1)
 * becomes {@code bound * (2u - 1)}; a normal draw {@code n} becomes {@code std * n}.
 */
public enum Init {
    /**
     * Kaiming/He normal for ReLU networks ({@code torch.nn.init.kaiming_normal_} with
     * {@code mode="fan_in", nonlinearity="relu"}): {@code N(0, 2/fanIn)}; bias zero.
     */
    HE_NORMAL,
    /**
     * Kaiming/He uniform for ReLU networks: {@code U(-sqrt(6/fanIn), sqrt(6/fanIn))}; bias zero.
     */
    HE_UNIFORM,
    /** Glorot/Xavier normal: {@code N(0, 2/(fanIn+fanOut))}; bias zero. */
    XAVIER_NORMAL,
    /** Glorot/Xavier uniform: {@code U(-sqrt(6/(fanIn+fanOut)), +sqrt(6/(fanIn+fanOut)))}; bias zero. */
    XAVIER_UNIFORM,
    /**
     * The default of {@code torch.nn.Linear}: weight and bias both {@code U(-1/sqrt(fanIn),
     * 1/sqrt(fanIn))} (kaiming_uniform with {@code a = sqrt(5)} for the weight).
     */
    PYTORCH_DEFAULT;

    private static void checkFans(int fanOut, int fanIn) {
        if (fanOut < 0 || fanIn <= 0) {
            throw new IllegalArgumentException("fanIn must be positive and fanOut non-negative, got fanOut=" + fanOut
                    + ", fanIn=" + fanIn);
        }
    }

    /** @return true if weights are normally distributed (else uniform) */
    public boolean isNormal() {
        return this == HE_NORMAL || this == XAVIER_NORMAL;
    }

    /**
     * The scale of the weight distribution: the half-width {@code bound} of a uniform scheme or the
     * standard deviation of a normal one.
     *
     * @param fanOut output features, {@code >= 0}
     * @param fanIn input features, {@code > 0}
     * @return the bound or standard deviation
     * @throws IllegalArgumentException for invalid fans
     */
    public double weightScale(int fanOut, int fanIn) {
        checkFans(fanOut, fanIn);
        switch (this) {
            case HE_NORMAL:
                return Math.sqrt(2.0 / fanIn);
            case HE_UNIFORM:
                return Math.sqrt(6.0 / fanIn);
            case XAVIER_NORMAL:
                return Math.sqrt(2.0 / (fanIn + fanOut));
            case XAVIER_UNIFORM:
                return Math.sqrt(6.0 / (fanIn + fanOut));
            default:
                return 1.0 / Math.sqrt(fanIn);
        }
    }

    /**
     * Draws weight values.
     *
     * @param rng the generator, not null; advanced by the draw
     * @param fanOut output features (rows), {@code >= 0}
     * @param fanIn input features (columns), {@code > 0}
     * @return {@code fanOut * fanIn} values in row-major order of shape {@code (fanOut, fanIn)}
     */
    public double[] weightValues(Rng rng, int fanOut, int fanIn) {
        Objects.requireNonNull(rng, "rng");
        double scale = weightScale(fanOut, fanIn);
        int n = Math.multiplyExact(fanOut, fanIn);
        double[] v = isNormal() ? rng.normalDoubles(n) : rng.uniformDoubles(n);
        for (int i = 0; i < n; i++) {
            v[i] = isNormal() ? scale * v[i] : scale * (2 * v[i] - 1);
        }
        return v;
    }

    /**
     * Draws bias values: {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))} for {@link #PYTORCH_DEFAULT}
     * (advancing {@code rng}), zeros for every other scheme (not touching {@code rng}).
     *
     * @param rng the generator, not null
     * @param fanOut output features, {@code >= 0}
     * @param fanIn input features, {@code > 0}
     * @return {@code fanOut} values
     */
    public double[] biasValues(Rng rng, int fanOut, int fanIn) {
        Objects.requireNonNull(rng, "rng");
        checkFans(fanOut, fanIn);
        if (this != PYTORCH_DEFAULT) {
            return new double[fanOut];
        }
        double bound = 1.0 / Math.sqrt(fanIn);
        double[] v = rng.uniformDoubles(fanOut);
        for (int i = 0; i < fanOut; i++) {
            v[i] = bound * (2 * v[i] - 1);
        }
        return v;
    }

    /**
     * Creates an initialised weight parameter.
     *
     * @param backend the backend, not null
     * @param dtype the element type, not null
     * @param rng the generator, advanced by the draw; not null
     * @param fanOut output features, {@code >= 0}
     * @param fanIn input features, {@code > 0}
     * @return a caller-owned leaf of shape {@code (fanOut, fanIn)} and {@code dtype} that requires
     *         gradients (the caller releases it with {@link Tensor#close()})
     */
    public Tensor weight(Backend backend, DType dtype, Rng rng, int fanOut, int fanIn) {
        return parameter(backend, dtype, weightValues(rng, fanOut, fanIn), fanOut, fanIn);
    }

    /**
     * Creates an initialised bias parameter (see {@link #biasValues}).
     *
     * @param backend the backend, not null
     * @param dtype the element type, not null
     * @param rng the generator, advanced by the draw; not null
     * @param fanOut output features, {@code >= 0}
     * @param fanIn input features, {@code > 0}
     * @return a caller-owned leaf of shape {@code (fanOut)} and {@code dtype} that requires gradients
     */
    public Tensor bias(Backend backend, DType dtype, Rng rng, int fanOut, int fanIn) {
        return parameter(backend, dtype, biasValues(rng, fanOut, fanIn), fanOut);
    }

    /**
     * Uploads host values as a parameter: a caller-owned tensor (not owned by any open scope) that
     * requires gradients.
     *
     * @param backend the backend, not null
     * @param dtype the element type; float64 values are rounded to float32 if asked
     * @param values row-major values filling {@code shape}
     * @param shape the shape
     * @return the new parameter
     */
    public static Tensor parameter(Backend backend, DType dtype, double[] values, int... shape) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(dtype, "dtype");
        return backend.tensor(values, dtype, shape).untrack().requiresGrad(true);
    }
}
