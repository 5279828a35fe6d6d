/**
 * The CUDA backend: {@link dev.vae.api.spi.Kernels} on NVIDIA GPUs through the JCuda driver API.
 *
 * <p>Only {@code libcuda.so.1}, which every NVIDIA driver installs, is required: the kernels are
 * PTX compiled from {@code src/main/cuda/vae_kernels.cu} (committed in the jar, JIT-compiled by the
 * driver for the device at hand), so no CUDA runtime, cuBLAS or NVRTC of a particular version is
 * needed. When {@code libcublas.so.12} loads, JCublas2 serves matmul; otherwise the backend's own
 * tiled kernel does. Random numbers are generated on the device with the Philox4x32-10 mapping of
 * {@link dev.vae.api.random.Philox}.
 *
 * <p>{@link dev.vae.backend.cuda.CudaBackendProvider} is the entry point; the rest of the package
 * is internal.
 */
package dev.vae.backend.cuda;
