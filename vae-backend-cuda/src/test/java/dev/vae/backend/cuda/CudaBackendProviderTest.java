package dev.vae.backend.cuda;

import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BackendProvider;
import dev.vae.api.spi.ProbeResult;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The provider on any machine: discovery, probing and the explanation when there is no GPU. */
class CudaBackendProviderTest {

    @Test
    void registeredForServiceLoader() {
        BackendProvider found = null;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p instanceof CudaBackendProvider) {
                found = p;
            }
        }
        assertTrue(found != null, "CudaBackendProvider is not in META-INF/services");
        assertEquals("cuda", found.name());
        assertEquals(100, found.priority());
    }

    @Test
    void probeNeverThrowsAndExplains() {
        ProbeResult r = new CudaBackendProvider().probe();
        if (r.available()) {
            assertEquals("", r.reason());
            assertTrue(r.device().contains("compute capability"), r.device());
            assertTrue(r.device().contains("matmul"), r.device());
        } else {
            assertFalse(r.reason().isBlank());
        }
        assertSame(r, new CudaBackendProvider().probe(), "the probe runs once per JVM");
    }

    @Test
    void withoutLibcudaTheProbeSaysSo() {
        assumeTrue(NativeLibraries.isLinux() && NativeLibraries.find("libcuda.so.1").isEmpty(),
                "libcuda.so.1 is installed on this machine");
        ProbeResult r = new CudaBackendProvider().probe();
        assertFalse(r.available());
        assertTrue(r.reason().startsWith("no libcuda.so.1 found"), r.reason());
    }

    @Test
    void createExplainsWhyItCannotStart() {
        ProbeResult r = new CudaBackendProvider().probe();
        assumeFalse(r.available(), "CUDA is available here");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new CudaBackendProvider().create(BackendConfig.defaults()));
        assertTrue(e.getMessage().contains(r.reason()), e.getMessage());
    }

    @Test
    void malformedOptionsAreRejected() {
        CudaBackendProvider p = new CudaBackendProvider();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.create(new BackendConfig(0, Map.of("matmul", "fast"))));
        assertTrue(e.getMessage().contains("matmul=fast"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.create(new BackendConfig(0, Map.of("device", "gpu0"))));
        assertTrue(e.getMessage().contains("device=gpu0"), e.getMessage());
    }

    @Test
    void aHungDriverTimesOut() {
        ProbeResult r = CudaProbe.withTimeout(() -> {
            Thread.sleep(60_000);
            return CudaProbe.Outcome.failed("unreachable");
        }, 200);
        assertFalse(r.available());
        assertTrue(r.reason().contains("did not answer within 200 ms"), r.reason());
    }

    @Test
    void aFailingQueryIsReported() {
        ProbeResult r = CudaProbe.withTimeout(() -> {
            throw new UnsatisfiedLinkError("libJCudaDriver: libcuda.so.1: cannot open shared object file");
        }, 5_000);
        assertFalse(r.available());
        assertTrue(r.reason().contains("cannot open shared object file"), r.reason());
        r = CudaProbe.withTimeout(() -> CudaProbe.Outcome.failed("no CUDA device (test)"), 5_000);
        assertEquals("no CUDA device (test)", r.reason());
    }

    @Test
    void initFailuresAreNamed() {
        assertTrue(CudaProbe.initFailure(jcuda.driver.CUresult.CUDA_ERROR_NO_DEVICE).startsWith("no CUDA device"));
        assertTrue(CudaProbe.initFailure(jcuda.driver.CUresult.CUDA_ERROR_STUB_LIBRARY).contains("stub"));
        assertTrue(CudaProbe.initFailure(999).startsWith("cuInit failed"));
    }
}
