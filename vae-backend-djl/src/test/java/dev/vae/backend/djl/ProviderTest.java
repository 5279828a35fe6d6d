package dev.vae.backend.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Utils;
import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BackendProvider;
import dev.vae.api.spi.Capability;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ProbeResult;

import java.util.EnumSet;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

/** Discovery, probe, description, threads and offline configuration in this JVM. */
class ProviderTest {

    @Test
    void foundByServiceLoaderWithNameAndPriority() {
        BackendProvider found = null;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.name().equals("djl")) {
                found = p;
            }
        }
        assertTrue(found instanceof DjlBackendProvider, "djl provider registered in META-INF/services");
        assertEquals(40, found.priority());
    }

    @Test
    void probeReportsVersionsDeviceAndThreadsAndSwitchesDjlOffline() {
        ProbeResult r = new DjlBackendProvider().probe();
        assertTrue(r.available(), r.reason());
        assertEquals("", r.reason());
        assertTrue(r.device().contains("DJL " + DjlRuntime.expectedDjlVersion()), r.device());
        assertTrue(r.device().contains("PyTorch " + DjlRuntime.expectedPytorchVersion()), r.device());
        assertTrue(r.device().contains("device cpu"), r.device());
        assertTrue(r.device().contains("intra-op threads"), r.device());
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertTrue(Utils.isOfflineMode(), "DJL sees offline mode");
        assertEquals(null, DjlRuntime.missingNatives(), "bundled natives found on the class path");
    }

    @Test
    void probeTwiceIsStable() {
        DjlBackendProvider p = new DjlBackendProvider();
        assertEquals(p.probe(), p.probe());
    }

    @Test
    void createHonoursTheThreadCountAndDeclaresCapabilities() throws Exception {
        DjlBackendProvider p = new DjlBackendProvider();
        try (Kernels k = p.create(new BackendConfig(1, Map.of()))) {
            assertEquals(1, JniUtils.getNumThreads());
            assertTrue(k.deviceDescription().endsWith("intra-op threads 1"), k.deviceDescription());
            assertEquals("djl", k.name());
            assertEquals(EnumSet.allOf(Capability.class), k.capabilities());
            // the setting is process-wide, so other Java threads see it too
            int[] seen = new int[1];
            Thread t = new Thread(() -> seen[0] = JniUtils.getNumThreads());
            t.start();
            t.join();
            assertEquals(1, seen[0]);
        }
        try (Kernels k = p.create(new BackendConfig(2, Map.of()))) {
            assertEquals(2, JniUtils.getNumThreads(), k.deviceDescription());
        }
        try (Kernels k = p.create(BackendConfig.defaults())) {
            assertEquals(Runtime.getRuntime().availableProcessors(), JniUtils.getNumThreads(), k.deviceDescription());
        }
        TestSupport.kernels();
        JniUtils.setNumThreads(2);
        assertFalse(DjlRuntime.failure() != null, "no load failure recorded");
    }
}
