/**
 * The ND4J backend of the VAE platform: the {@link dev.vae.api.spi.Kernels} on ND4J's
 * {@code nd4j-native} (libnd4j with OpenBLAS).
 *
 * <ul>
 *   <li>{@link dev.vae.backend.nd4j.Nd4jBackendProvider} is found by {@link java.util.ServiceLoader}
 *       under the name {@code nd4j}; its {@code probe()} loads the natives once and never throws.</li>
 *   <li>{@link dev.vae.backend.nd4j.Nd4jKernels} implements every kernel with ND4J's own operations
 *       (no per-element Java loops), in float32 and float64, with NumPy broadcasting and explicit
 *       handling of the cases ND4J gets wrong (zero-size and rank-0 arrays, NaN propagation of
 *       {@code max}/{@code min}, inaccurate {@code tanh}/{@code log1p}/{@code expm1}/{@code softplus}).</li>
 *   <li>{@link dev.vae.backend.nd4j.Nd4jArray} wraps an {@code INDArray}; views share reference-counted
 *       native storage that {@link dev.vae.api.spi.Kernels#release} frees deterministically.</li>
 * </ul>
 *
 * <h2>Process-wide settings</h2>
 * Before ND4J's natives load, the backend sets two environment variables of the process unless
 * they are already set: {@code OMP_WAIT_POLICY=PASSIVE} (libnd4j's OpenMP workers otherwise spin
 * and compete with OpenBLAS's threads) and, on Linux x86-64, {@code OPENBLAS_CORETYPE} chosen from
 * the CPU flags (OpenBLAS 0.3.19 does not recognise recent CPUs and falls back to slow generic
 * kernels). The system properties {@code vae.nd4j.ompWaitPolicy} and
 * {@code vae.nd4j.openblasCoreType} override the values; {@code none} leaves a variable alone.
 */
package dev.vae.backend.nd4j;
