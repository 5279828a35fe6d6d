package dev.vae.api.spi;

/**
 * Entry point of a backend, found with {@link java.util.ServiceLoader}: list the implementing
 * class in {@code META-INF/services/dev.vae.api.spi.BackendProvider}.
 *
 * <p>Implementations must have a public no-argument constructor that does no heavy work and
 * loads no native library: discovery instantiates every provider on the class path.
 */
public interface BackendProvider {
    /** @return the short, lower-case name users select it by ({@code jvm}, {@code nd4j}, ...) */
    String name();

    /** @return the priority in automatic selection; the highest available wins */
    int priority();

    /**
     * Checks cheaply whether the backend can run here. Never throws (catch {@link Throwable},
     * including {@link LinkageError} from native loading) and never hangs.
     *
     * @return the result, with the reason when unavailable
     */
    ProbeResult probe();

    /**
     * Creates the backend.
     *
     * @param config threads and options
     * @return the kernels, ready for use
     * @throws IllegalStateException with an explanation if the backend cannot start
     */
    Kernels create(BackendConfig config);
}
