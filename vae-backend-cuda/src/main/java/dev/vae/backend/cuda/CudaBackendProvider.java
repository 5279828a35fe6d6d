package dev.vae.backend.cuda;

import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BackendProvider;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ProbeResult;

import java.util.Objects;

/**
 * The {@code cuda} backend's entry point for {@link java.util.ServiceLoader}. Construction does no
 * native work; {@link #probe()} looks for {@code libcuda.so.1} before touching JCuda, runs once per
 * JVM on a daemon thread with a time limit, and reports why CUDA is unavailable ("no libcuda.so.1
 * found ...", "no CUDA device ...", "driver too old for PTX ISA 7.0 ...") instead of throwing.
 * Its priority, {@value #PRIORITY}, puts it ahead of the CPU backends when a GPU is present.
 */
public final class CudaBackendProvider implements BackendProvider {
    /** Priority in automatic selection. */
    public static final int PRIORITY = 100;

    /** Creates the provider; loads nothing. */
    public CudaBackendProvider() {
    }

    @Override
    public String name() {
        return CudaKernels.NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public ProbeResult probe() {
        try {
            return CudaProbe.probe();
        } catch (Throwable t) {
            return ProbeResult.unavailable("CUDA probe failed: " + t);
        }
    }

    /**
     * Opens the backend on device {@code device} of the options (default 0, or the
     * {@code vae.cuda.device} system property), with matmul {@code auto}, {@code tiled} or
     * {@code cublas} from option {@code matmul}.
     *
     * @throws IllegalStateException with the reason when CUDA cannot be used here
     * @throws IllegalArgumentException for a malformed option value
     */
    @Override
    public Kernels create(BackendConfig config) {
        Objects.requireNonNull(config, "config");
        try {
            return CudaKernels.open(config);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("CUDA backend unavailable: " + t, t);
        }
    }
}
