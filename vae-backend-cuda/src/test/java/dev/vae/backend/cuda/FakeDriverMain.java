package dev.vae.backend.cuda;

import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.ProbeResult;

/**
 * Run in a child JVM by {@link FakeDriverTest} (JCuda's native library loads once per JVM): probes
 * and tries to create the backend against whatever libcuda.so.1 the loader finds, printing one
 * line for each.
 */
public final class FakeDriverMain {
    private FakeDriverMain() {
    }

    /** Prints {@code PROBE available|reason|device} and {@code CREATE message}. */
    public static void main(String[] args) {
        ProbeResult r = new CudaBackendProvider().probe();
        System.out.println("PROBE " + r.available() + "|" + r.reason() + "|" + r.device());
        try {
            new CudaBackendProvider().create(BackendConfig.defaults()).close();
            System.out.println("CREATE ok");
        } catch (RuntimeException e) {
            System.out.println("CREATE " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
