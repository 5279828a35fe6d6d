package dev.vae.cli.jmh;

import dev.vae.api.Backend;
import dev.vae.api.Backends;
import dev.vae.api.random.Rng;
import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;
import dev.vae.cli.bench.AsyncBackends;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A backend opened by name for a microbenchmark, with the arrays the benchmark created on it
 * (released on {@link #close()}).
 */
public final class OpenBackend implements AutoCloseable {
    private final Backend backend;
    private final Kernels kernels;
    private final boolean async;
    private final List<DeviceArray> owned = new ArrayList<>();
    private final Rng rng = new Rng(1);

    /**
     * @param name    the backend's name ({@code jvm}, {@code nd4j}, ...)
     * @param threads compute threads, 0 for the backend's default
     * @throws dev.vae.api.BackendUnavailableException if it is unknown or cannot run here
     */
    public OpenBackend(String name, int threads) {
        this.backend = Backends.open(name, new BackendConfig(threads, Map.of()));
        this.kernels = backend.kernels();
        this.async = AsyncBackends.isAsynchronous(backend.name());
    }

    /** @return the backend's kernels */
    public Kernels kernels() {
        return kernels;
    }

    /**
     * @param scale standard deviation of the values
     * @param shape the array's shape
     * @return a new float32 array of normal values times {@code scale}, released on close
     */
    public DeviceArray normal(double scale, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] v = rng.normalFloats(n);
        for (int i = 0; i < n; i++) {
            v[i] *= (float) scale;
        }
        return keep(kernels.fromFloats(v, shape));
    }

    /**
     * @param shape the array's shape
     * @return a new float32 array of uniform values in (0, 1), released on close
     */
    public DeviceArray uniform(int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return keep(kernels.fromFloats(rng.uniformFloats(n), shape));
    }

    /**
     * @param a an array to release on close
     * @return {@code a}
     */
    public DeviceArray keep(DeviceArray a) {
        owned.add(a);
        return a;
    }

    /**
     * Finishes one benchmark invocation: on an asynchronous backend waits for {@code result}
     * (so that the time includes the work, not just its launch), then releases it.
     *
     * @param result the invocation's output
     */
    public void finish(DeviceArray result) {
        if (async) {
            AsyncBackends.sync(kernels, result);
        }
        kernels.release(result);
    }

    /** Waits for queued work on an asynchronous backend by reading back {@code a}; a no-op otherwise. */
    public void sync(DeviceArray a) {
        if (async) {
            AsyncBackends.sync(kernels, a);
        }
    }

    @Override
    public void close() {
        for (DeviceArray a : owned) {
            kernels.release(a);
        }
        owned.clear();
        backend.close();
    }
}
