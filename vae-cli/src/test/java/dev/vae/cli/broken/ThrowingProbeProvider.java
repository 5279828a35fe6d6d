package dev.vae.cli.broken;

import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BackendProvider;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ProbeResult;

/** A deliberately broken provider whose probe breaks its contract by throwing a LinkageError. */
public final class ThrowingProbeProvider implements BackendProvider {
    @Override
    public String name() {
        return "probe-broken";
    }

    @Override
    public int priority() {
        return 1001;
    }

    @Override
    public ProbeResult probe() {
        throw new UnsatisfiedLinkError("libimaginary.so: cannot open shared object file");
    }

    @Override
    public Kernels create(BackendConfig config) {
        throw new AssertionError("never reached");
    }
}
