package dev.vae.cli.bench;

import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;

import java.util.Locale;
import java.util.Set;

/**
 * Knowledge about backends whose kernels return before the work is done (they queue it on a
 * device stream). The backend SPI has no synchronisation call, so timing code waits for queued
 * work by reading one element of a result back to the host, which on an in-order stream
 * completes only after everything queued before it.
 */
public final class AsyncBackends {
    private static final Set<String> ASYNCHRONOUS = Set.of("cuda");

    private AsyncBackends() {
    }

    /**
     * @param backendName a backend's short name
     * @return true if its kernels are known to run asynchronously, so that a kernel's wall time
     *         is its launch time only
     */
    public static boolean isAsynchronous(String backendName) {
        return backendName != null && ASYNCHRONOUS.contains(backendName.toLowerCase(Locale.ROOT));
    }

    /**
     * Waits until the work producing {@code a} (and everything queued before it) has finished,
     * by reading its first element back to the host. A no-op for an empty array.
     *
     * @param kernels the backend
     * @param a       an array the backend produced
     */
    public static void sync(Kernels kernels, DeviceArray a) {
        int[] shape = a.shape();
        long size = 1;
        for (int s : shape) {
            size *= s;
        }
        if (size == 0) {
            return;
        }
        if (shape.length == 0) {
            kernels.toFloats(a);
            return;
        }
        DeviceArray flat = kernels.reshape(a, new int[] {(int) size});
        DeviceArray one = kernels.slice(flat, 0, 0, 1);
        try {
            kernels.toFloats(one);
        } finally {
            kernels.release(one);
            kernels.release(flat);
        }
    }
}
