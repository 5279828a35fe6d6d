package dev.vae.cli.broken;

import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BackendProvider;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ProbeResult;

/** A deliberately broken provider whose class fails static initialisation. */
public final class StaticInitFailureProvider implements BackendProvider {
    private static final int BROKEN = Integer.parseInt("not a number");

    @Override
    public String name() {
        return "static-broken" + BROKEN;
    }

    @Override
    public int priority() {
        return 1002;
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
