package dev.vae.backend.nd4j;

import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BackendProvider;
import dev.vae.api.spi.Capability;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ProbeResult;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery, probing and creation. */
class Nd4jBackendProviderTest {

    @Test
    void foundByServiceLoader() {
        boolean found = false;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p instanceof Nd4jBackendProvider) {
                found = true;
                assertEquals("nd4j", p.name());
                assertEquals(30, p.priority());
            }
        }
        assertTrue(found);
    }

    @Test
    void probeNeverThrowsAndDescribesTheLibraries() {
        ProbeResult r = new Nd4jBackendProvider().probe();
        assertTrue(r.available(), r.reason());
        assertEquals("", r.reason());
        assertTrue(r.device().startsWith("ND4J 1.0.0-M2.1"), r.device());
        assertTrue(r.device().contains("OpenBLAS"), r.device());
        assertTrue(r.device().contains("threads"), r.device());
        // a second probe reuses the first outcome
        assertEquals(r.available(), new Nd4jBackendProvider().probe().available());
    }

    @Test
    void createAppliesThreadsAndDeclaresCapabilities() {
        try (Kernels k = new Nd4jBackendProvider().create(new BackendConfig(2, java.util.Map.of()))) {
            assertEquals("nd4j", k.name());
            assertEquals(Set.of(Capability.FLOAT64, Capability.IN_PLACE, Capability.NATIVE_MEMORY), k.capabilities());
            assertTrue(k.deviceDescription().contains("2 threads"), k.deviceDescription());
        }
    }

    @Test
    void probeTurnsLoadingFailuresIntoReasons() {
        Throwable[] failures = {
            new UnsatisfiedLinkError("no jnind4jcpu in java.library.path"),
            new NoClassDefFoundError("org/nd4j/linalg/factory/Nd4j"),
            new ExceptionInInitializerError(new RuntimeException("libnd4jcpu.so: cannot open shared object file")),
            new IllegalStateException("ND4J did not initialise within 120.0 s"),
            new OutOfMemoryError("Cannot allocate"),
        };
        for (Throwable f : failures) {
            ProbeResult r = Nd4jBackendProvider.probe(() -> {
                if (f instanceof Error) {
                    throw (Error) f;
                }
                throw (RuntimeException) f;
            });
            assertTrue(!r.available());
            assertTrue(!r.reason().isEmpty(), f.toString());
            assertEquals("", r.device());
        }
        assertTrue(Nd4jBackendProvider.probe(() -> {
            throw new ExceptionInInitializerError(new UnsatisfiedLinkError("libgomp.so.1"));
        }).reason().contains("libgomp.so.1"));
    }

    @Test
    void failuresAreDescribedOnOneLine() {
        Throwable t = new ExceptionInInitializerError(new UnsatisfiedLinkError("no jnind4jcpu in java.library.path\nmore"));
        String s = Nd4jRuntime.describe(t);
        assertTrue(s.contains("UnsatisfiedLinkError: no jnind4jcpu in java.library.path"), s);
        assertTrue(!s.contains("\n"), s);
    }

    @Test
    void openblasCoreTypeFromCpuFlags() {
        assertEquals("SKYLAKEX", Nd4jRuntime.coreTypeFor(Set.of("avx", "avx2", "fma", "avx512f", "avx512dq", "avx512cd",
                "avx512bw", "avx512vl")));
        assertEquals("HASWELL", Nd4jRuntime.coreTypeFor(Set.of("avx", "avx2", "fma", "avx512f")));
        assertEquals("SANDYBRIDGE", Nd4jRuntime.coreTypeFor(Set.of("sse4_2", "avx")));
        assertNull(Nd4jRuntime.coreTypeFor(Set.of("sse4_2")));
    }
}
