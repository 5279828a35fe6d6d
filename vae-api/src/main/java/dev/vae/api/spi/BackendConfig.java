package dev.vae.api.spi;

import java.util.Map;
import java.util.Objects;

/**
 * The small, serialisable configuration a backend is created from.
 *
 * @param threads number of compute threads the backend may use; 0 means the backend's default
 *                (usually the number of available processors)
 * @param options backend-specific string options (e.g. {@code device=0}); never null
 */
public record BackendConfig(int threads, Map<String, String> options) implements java.io.Serializable {
    public BackendConfig {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
        options = Map.copyOf(Objects.requireNonNull(options, "options"));
    }

    /** @return the default configuration: backend-chosen thread count, no options */
    public static BackendConfig defaults() {
        return new BackendConfig(0, Map.of());
    }

    /** @return the thread count to use: {@link #threads()} or the available processors when 0 */
    public int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** @return this configuration with another thread count */
    public BackendConfig withThreads(int t) {
        return new BackendConfig(t, options);
    }
}
