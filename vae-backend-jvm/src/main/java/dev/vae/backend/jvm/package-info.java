/**
 * The pure-Java reference backend ({@code jvm}): float32 and float64 kernels over plain Java
 * arrays, with no native code and no extra JVM flags.
 *
 * <p>{@link dev.vae.backend.jvm.JvmBackendProvider} is registered for
 * {@link java.util.ServiceLoader}; {@link dev.vae.backend.jvm.JvmKernels} implements every
 * kernel of {@link dev.vae.api.spi.Kernels} and overrides every fused one over
 * {@link dev.vae.backend.jvm.JvmArray}s. It is the float64 oracle of the conformance suite, so its
 * semantics are exact and documented, and its results are bit-identical whatever the thread
 * count. Speed comes from multi-threading (a pool owned by each kernels instance), loops shaped
 * for HotSpot C2's auto-vectoriser, and a cache-blocked fused-multiply-add matrix product.
 */
package dev.vae.backend.jvm;
