package dev.vae.api.spi;

/**
 * Reductions along axes. Reducing a zero-size axis gives the identity: 0 for {@link #SUM},
 * -infinity for {@link #MAX}.
 */
public enum ReduceOp {
    /** sum of elements */
    SUM,
    /** maximum of elements; NaN if any is NaN */
    MAX
}
