package dev.vae.cli.bench;

import java.util.Locale;

/**
 * Where a kernel call's time is attributed in the step breakdown of {@code vae bench}.
 * Time spent outside every kernel (autodiff bookkeeping, scopes, Java glue) is the step's
 * framework overhead and is not a category here: it is the step's wall time minus the sum of
 * all categories.
 */
public enum KernelCategory {
    /** 2-D matrix products and the fused dense layer ({@code matmul}, {@code linear}). */
    MATMUL,
    /**
     * Element-wise work: unary and binary ops, scalar ops, {@code where}, casts, the fused
     * likelihood terms and Philox generation.
     */
    ELEMENTWISE,
    /** Reductions along axes and log-sum-exp. */
    REDUCTION,
    /** Shape movement and copies: reshape, permute, slice, concat, row gather, assign. */
    MOVEMENT,
    /** Array creation and release ({@code fromFloats}, {@code full}, {@code release}, ...). */
    MEMORY,
    /** Device-to-host reads ({@code toFloats}, {@code toDoubles}); a synchronous backend's only wait. */
    TRANSFER,
    /** Every kernel called while the optimizer updates the parameters (the Adam step). */
    OPTIMIZER;

    /** @return the lower-case label used in reports ({@code matmul}, {@code elementwise}, ...) */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
