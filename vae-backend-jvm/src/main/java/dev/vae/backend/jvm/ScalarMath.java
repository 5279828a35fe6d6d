package dev.vae.backend.jvm;

import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.UnaryOp;

/** Scalar definitions shared by the loops, and rough per-element costs for parallel thresholds. */
final class ScalarMath {
    private ScalarMath() {
    }

    /**
     * @return {@code 1/(1+e^-x)} for {@code x >= 0} and {@code e^x/(1+e^x)} otherwise, so that the
     *         exponential never overflows; NaN for NaN. Both branches are computed and one is
     *         selected with a bit mask, because a data-dependent branch mispredicts half the time.
     */
    static double sigmoid(double x) {
        double e = Math.exp(-Math.abs(x));
        double d = 1.0 + e;
        double pos = 1.0 / d;
        double neg = e / d;
        long m = -(x >= 0 ? 1L : 0L);
        return Double.longBitsToDouble((Double.doubleToRawLongBits(pos) & m) | (Double.doubleToRawLongBits(neg) & ~m));
    }

    /** @return {@code max(x,0) + log1p(e^-|x|)}, exact for large |x|; NaN for NaN */
    static double softplus(double x) {
        return Math.max(x, 0.0) + log1pUnit(Math.exp(-Math.abs(x)));
    }

    /**
     * {@code log1p(y)} for {@code y} in [0, 1] by Goldberg's correction of {@code log(1+y)}:
     * {@code u = 1+y; log(u) * (y / (u-1))}, which cancels the rounding error of {@code 1+y}. It is
     * within 2 ulp of {@link Math#log1p} on that range and uses the {@link Math#log} intrinsic,
     * which is several times faster than {@code Math.log1p} on JDK 17.
     */
    static double log1pUnit(double y) {
        double u = 1.0 + y;
        double d = u - 1.0;
        return d == 0 ? y : Math.log(u) * (y / d);
    }

    /** @return a rough relative cost per element (1 for a simple arithmetic op) */
    static int cost(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SIGN, RELU, SQUARE, RECIPROCAL, SQRT -> 1;
            case EXP, LOG, SIGMOID -> 8;
            case LOG1P, EXPM1, TANH, SOFTPLUS -> 24;
        };
    }

    /** @return a rough relative cost per element (1 for a simple arithmetic op) */
    static int cost(BinaryOp op) {
        return op == BinaryOp.POW ? 24 : 1;
    }
}
