package dev.vae.backend.nd4j;

import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BackendProvider;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ProbeResult;

import java.util.concurrent.Callable;

/**
 * Service provider of the ND4J backend ({@code nd4j}, priority 30).
 *
 * <p>The constructor does nothing. {@link #probe()} loads ND4J's natives once per process (on a
 * background thread, waiting at most {@code vae.nd4j.probeTimeoutSeconds}, default 120 s) and
 * reports the failure instead of throwing when they cannot load; later probes and
 * {@link #create} reuse that outcome.
 */
public final class Nd4jBackendProvider implements BackendProvider {
    /** The backend's name. */
    public static final String NAME = "nd4j";
    /** The backend's priority in automatic selection. */
    public static final int PRIORITY = 30;

    /** Creates the provider; cheap, loads nothing. */
    public Nd4jBackendProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public ProbeResult probe() {
        return probe(() -> Nd4jRuntime.initialize(Nd4jRuntime.probeTimeoutMillis()));
    }

    /** Probes with the given initialisation; turns every {@link Throwable} into a reason. */
    static ProbeResult probe(Callable<Nd4jRuntime.Info> init) {
        try {
            return ProbeResult.available(Nd4jRuntime.description(init.call()));
        } catch (Throwable t) {
            String reason;
            try {
                reason = t instanceof IllegalStateException && t.getMessage() != null
                        ? t.getMessage() : Nd4jRuntime.describe(t);
            } catch (Throwable again) {
                reason = t.getClass().getName();
            }
            return ProbeResult.unavailable(reason);
        }
    }

    @Override
    public Kernels create(BackendConfig config) {
        return new Nd4jKernels(config);
    }

    @Override
    public String toString() {
        return "Nd4jBackendProvider[" + NAME + "]";
    }
}
