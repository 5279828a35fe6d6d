package dev.vae.conformance;

/**
 * How a sample input is materialised on the backend, so that kernels see views as well as fresh
 * arrays.
 */
public enum Layout {
    /** a fresh row-major array */
    CONTIGUOUS,
    /**
     * an array created with the axes reversed and then permuted back: a transposed, typically
     * non-contiguous view on backends that keep strides (rank 2 and more)
     */
    PERMUTED,
    /**
     * rows {@code [1, n+1)} of an array with one extra row of NaN on each side along axis 0: a
     * view at an offset on backends that keep views (rank 1 and more); a kernel that reads the
     * padding shows NaN
     */
    SLICED
}
