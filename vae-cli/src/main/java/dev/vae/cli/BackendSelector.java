package dev.vae.cli;

import dev.vae.api.Backend;
import dev.vae.api.BackendInfo;
import dev.vae.api.Backends;
import dev.vae.api.spi.BackendConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * Discovers backends once per CLI run and opens the one the global options select.
 */
@Singleton
public final class BackendSelector {
    private final GlobalOptions options;
    private List<BackendInfo> discovered;

    @Inject
    BackendSelector(GlobalOptions options) {
        this.options = options;
    }

    /** @return every discovered backend, probed, highest priority first */
    public synchronized List<BackendInfo> discover() {
        if (discovered == null) {
            discovered = Backends.discover();
        }
        return discovered;
    }

    /** @return the backend chosen by {@code --backend}, the property, the environment or priority */
    public Backend open() {
        return Backends.open(options.backend(), new BackendConfig(options.threads(), Map.of()), discover());
    }
}
