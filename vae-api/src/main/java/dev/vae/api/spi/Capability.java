package dev.vae.api.spi;

/**
 * Optional abilities a backend declares in {@link Kernels#capabilities()}. The conformance suite
 * skips, with this as the reason, the checks that need a capability a backend lacks.
 */
public enum Capability {
    /** float64 arrays are supported by every kernel */
    FLOAT64,
    /** {@link Kernels#assign} and {@link Kernels#adamStep} update storage in place (rather than failing) */
    IN_PLACE,
    /** the backend releases native memory in {@link Kernels#release} (not just a counter) */
    NATIVE_MEMORY
}
