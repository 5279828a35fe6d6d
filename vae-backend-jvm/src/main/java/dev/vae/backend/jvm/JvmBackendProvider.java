package dev.vae.backend.jvm;

import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BackendProvider;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ProbeResult;

/**
 * Provider of the pure-Java reference backend ({@code jvm}). It is always available, needs no
 * native library, and has the lowest priority of the real backends so that any available native
 * backend is preferred in automatic selection.
 *
 * <p>Options: none. {@link BackendConfig#effectiveThreads()} sets the number of compute threads.
 */
public final class JvmBackendProvider implements BackendProvider {
    /** The backend's name. */
    public static final String NAME = "jvm";
    /** The backend's priority in automatic selection. */
    public static final int PRIORITY = 10;

    /** Creates the provider; does no work (discovery instantiates every provider). */
    public JvmBackendProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    /** @return always available, described for the default thread count */
    @Override
    public ProbeResult probe() {
        try {
            return ProbeResult.available(JvmKernels.describe(BackendConfig.defaults().effectiveThreads()));
        } catch (Throwable t) {
            return ProbeResult.available("pure Java");
        }
    }

    /** @return new kernels with {@code config.effectiveThreads()} threads */
    @Override
    public Kernels create(BackendConfig config) {
        return new JvmKernels(config.effectiveThreads());
    }
}
