package dev.vae.api.spi;

/**
 * Element-wise unary kernels. Every backend implements all of them in float32 (and float64 when
 * it declares {@link Capability#FLOAT64}); the exact mathematical definitions below are what the
 * conformance suite checks, including at the edges of each domain.
 */
public enum UnaryOp {
    /** -x */
    NEG,
    /** e^x */
    EXP,
    /** natural log; -inf at 0, NaN below */
    LOG,
    /** log(1+x), accurate for tiny x */
    LOG1P,
    /** e^x - 1, accurate for tiny x */
    EXPM1,
    /** square root */
    SQRT,
    /** |x| */
    ABS,
    /** -1, 0 or 1 (0 for 0) */
    SIGN,
    /** hyperbolic tangent */
    TANH,
    /** 1/(1+e^-x), without overflow for large |x| */
    SIGMOID,
    /** max(x, 0) */
    RELU,
    /** log(1+e^x) computed as max(x,0)+log1p(e^-|x|): exact for large |x| */
    SOFTPLUS,
    /** x*x */
    SQUARE,
    /** 1/x */
    RECIPROCAL
}
