package dev.vae.cli.broken;

import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BackendProvider;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ProbeResult;

/** A well-behaved provider that is never available here (like cuda on a machine without a GPU). */
public final class UnavailableProvider implements BackendProvider {
    @Override
    public String name() {
        return "absent";
    }

    @Override
    public int priority() {
        return 999;
    }

    @Override
    public ProbeResult probe() {
        return ProbeResult.unavailable("no imaginary device on this machine");
    }

    @Override
    public Kernels create(BackendConfig config) {
        throw new IllegalStateException("unavailable");
    }
}
