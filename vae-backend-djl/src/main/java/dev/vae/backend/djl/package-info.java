/**
 * The {@code djl} compute backend: the {@link dev.vae.api.spi.Kernels} on DJL's PyTorch engine
 * (CPU, float32 and float64), found through {@link java.util.ServiceLoader} as
 * {@link dev.vae.backend.djl.DjlBackendProvider}.
 *
 * <p>It runs fully offline: PyTorch's native libraries come from the
 * {@code ai.djl.pytorch:pytorch-native-cpu} and {@code ai.djl.pytorch:pytorch-jni} jars on the
 * class path and are extracted into DJL's engine cache ({@code ENGINE_CACHE_DIR}, else
 * {@code DJL_CACHE_DIR}, else {@code ~/.djl.ai}); DJL's offline mode is switched on before its
 * engine loads, so a missing jar is reported by {@code probe()} instead of being downloaded.
 *
 * <p>Native memory is freed deterministically: every array is a tensor with its own storage,
 * released by {@link dev.vae.api.spi.Kernels#release}; kernels close their temporaries before
 * returning.
 *
 * <p>Threads: PyTorch's intra-op thread count is set from
 * {@link dev.vae.api.spi.BackendConfig#effectiveThreads()}. Its OpenMP runtime spin-waits unless
 * the environment variable {@code OMP_WAIT_POLICY=PASSIVE} is set when the JVM starts; on a
 * machine shared with other busy processes, set it (the device description shows its value).
 */
package dev.vae.backend.djl;
