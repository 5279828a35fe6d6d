package dev.vae.cli.broken;

import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BackendProvider;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ProbeResult;

/** A deliberately broken provider whose constructor throws (as a missing native dependency might). */
public final class ThrowingConstructorProvider implements BackendProvider {
    /** Always throws. */
    public ThrowingConstructorProvider() {
        throw new IllegalStateException("constructor exploded on purpose");
    }

    @Override
    public String name() {
        return "ctor-broken";
    }

    @Override
    public int priority() {
        return 1000;
    }

    @Override
    public ProbeResult probe() {
        return ProbeResult.available("never reached");
    }

    @Override
    public Kernels create(BackendConfig config) {
        throw new AssertionError("never reached");
    }
}
