/**
 * The pure-Java reference backend ({@code jvm}): float32 and float64 kernels over plain Java
 * arrays, with no native code.
 *
 * <p>{@link dev.vae.backend.jvm.JvmBackendProvider} is registered for
 * {@link java.util.ServiceLoader}; {@link dev.vae.backend.jvm.JvmKernels} implements every
 * kernel of {@link dev.vae.api.spi.Kernels} and overrides every fused one over
 * {@link dev.vae.backend.jvm.JvmArray}s. It is the float64 oracle of the conformance suite, so its
 * semantics are exact and documented, and its results are bit-identical whatever the thread
 * count. Speed comes from multi-threading (a pool owned by each kernels instance), loops shaped
 * for HotSpot C2's auto-vectoriser, a packed, register-blocked fused-multiply-add matrix product,
 * and a bounded pool of released array storage that spares a training loop nearly all its
 * allocations ({@link dev.vae.backend.jvm.BufferPool}).
 *
 * <p>When the JVM was started with {@code --add-modules jdk.incubator.vector} (the {@code vae}
 * launcher and the test forks do this; the JVM then prints one "Using incubator modules" warning),
 * the matrix product, the float32 transcendental loops, the ReLU gradient and column sums run on
 * the Java Vector API ({@link dev.vae.backend.jvm.VectorMatMul},
 * {@link dev.vae.backend.jvm.VectorLoops}); without the module the scalar loops run instead
 * ({@link dev.vae.backend.jvm.VectorSupport}). Both paths are deterministic across thread counts. The vector matrix product is bit-identical to the
 * scalar one (the same fused multiply-add chain per element); the vector float32 transcendental
 * functions use the JDK's vector exp/log (within 1 float64 ulp) and may differ from the scalar
 * fallback in the last float32 bit in rare cases.
 */
package dev.vae.backend.jvm;
