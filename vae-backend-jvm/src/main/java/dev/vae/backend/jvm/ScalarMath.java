package dev.vae.backend.jvm;

import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.UnaryOp;

/** Scalar definitions shared by the loops, and rough per-element costs for parallel thresholds. */
final class ScalarMath {
    private ScalarMath() {
    }

    /** @return {@code 1/(1+e^-x)}, evaluated so that {@code e^x} never overflows; NaN for NaN */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** @return {@code max(x,0) + log1p(e^-|x|)}, exact for large |x|; NaN for NaN */
    static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
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
