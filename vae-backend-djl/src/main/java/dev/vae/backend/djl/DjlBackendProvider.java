package dev.vae.backend.djl;

import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BackendProvider;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ProbeResult;

/**
 * The {@code djl} backend: DJL with its PyTorch engine on the CPU, loaded from the native jars on
 * the class path and never downloaded (DJL's offline mode is switched on before its engine
 * loads).
 *
 * <p>The constructor touches no DJL class and loads nothing. {@link #probe()} loads the engine
 * once per JVM (the first time DJL extracts about 450 MB of libraries into its engine cache, see
 * {@link DjlRuntime}), and reports any failure as a reason instead of throwing.
 */
public final class DjlBackendProvider implements BackendProvider {

    /** The backend's name. */
    public static final String NAME = "djl";

    /** Priority in automatic selection: above the pure-Java reference, below CUDA. */
    public static final int PRIORITY = 40;

    /** Creates the provider; does no native work. */
    public DjlBackendProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    /**
     * Loads the PyTorch engine offline if not yet loaded in this JVM.
     *
     * @return available with DJL and PyTorch versions, device and thread count; or unavailable
     *     with the reason (native jars missing or of the wrong version, native library failing to
     *     load, ...). Never throws.
     */
    @Override
    public ProbeResult probe() {
        try {
            DjlRuntime.engine();
            return ProbeResult.available(DjlRuntime.describe(ai.djl.pytorch.jni.JniUtils.getNumThreads()));
        } catch (Throwable t) {
            String reason;
            try {
                String f = DjlRuntime.failure();
                reason = f != null ? f : "DJL PyTorch engine unavailable: " + DjlRuntime.describe(t);
            } catch (Throwable again) {
                reason = "DJL PyTorch engine unavailable: " + t;
            }
            return ProbeResult.unavailable(reason);
        }
    }

    /**
     * @param config intra-op thread count for PyTorch ({@link BackendConfig#effectiveThreads()});
     *     no options are read
     * @return new kernels with their own memory scope
     * @throws IllegalStateException with the reason if the engine cannot be loaded
     */
    @Override
    public Kernels create(BackendConfig config) {
        try {
            return new DjlKernels(config);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            String f = DjlRuntime.failure();
            throw new IllegalStateException(
                    "cannot start the DJL backend: " + (f != null ? f : DjlRuntime.describe(t)), t);
        }
    }
}
