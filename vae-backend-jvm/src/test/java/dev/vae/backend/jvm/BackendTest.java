package dev.vae.backend.jvm;

import dev.vae.api.DType;
import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BackendProvider;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.Capability;
import dev.vae.api.spi.Compositions;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ProbeResult;
import dev.vae.api.spi.ReduceOp;
import dev.vae.api.spi.UnaryOp;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery, description, capabilities, live-array counting and lifecycle. */
class BackendTest {

    @Test
    void discoveredThroughServiceLoader() {
        BackendProvider found = null;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.name().equals("jvm")) {
                found = p;
            }
        }
        assertTrue(found instanceof JvmBackendProvider, "jvm provider registered in META-INF/services");
        assertEquals(10, found.priority());
        ProbeResult probe = found.probe();
        assertTrue(probe.available());
        assertEquals("", probe.reason());
        assertTrue(probe.device().startsWith("pure Java, "), probe.device());
        assertTrue(probe.device().contains("float32/float64"), probe.device());
        assertTrue(probe.device().contains(System.getProperty("java.version")), probe.device());
        try (Kernels k = found.create(BackendConfig.defaults().withThreads(2))) {
            assertEquals("jvm", k.name());
            assertTrue(k.deviceDescription().startsWith("pure Java, 2 threads, float32/float64, "),
                    k.deviceDescription());
            assertEquals(java.util.EnumSet.of(Capability.FLOAT64, Capability.IN_PLACE), k.capabilities());
        }
        try (JvmKernels k = (JvmKernels) found.create(BackendConfig.defaults())) {
            assertEquals(Runtime.getRuntime().availableProcessors(), k.threads());
        }
    }

    @Test
    void liveArraysCountsCreatedMinusReleased() {
        try (JvmKernels k = new JvmKernels(2)) {
            assertEquals(0, k.liveArrays());
            DeviceArray a = k.full(new int[] {3, 4}, DType.FLOAT32, 1);
            DeviceArray b = k.fromDoubles(new double[] {1, 2}, new int[] {2});
            assertEquals(2, k.liveArrays());
            DeviceArray c = k.unary(UnaryOp.EXP, a);
            DeviceArray d = k.reduce(ReduceOp.SUM, c, new int[] {1}, false);
            DeviceArray e = k.reshape(a, new int[] {12});
            DeviceArray f = k.concat(List.of(a, a), 0);
            assertEquals(6, k.liveArrays());
            k.release(c);
            k.release(c);
            k.release(c);
            assertEquals(5, k.liveArrays(), "double release must not corrupt the count");
            // compositions release every intermediate
            long before = k.liveArrays();
            DeviceArray lse = Compositions.logSumExp(k, a, 1, false);
            DeviceArray kl = Compositions.gaussianKlStdNormal(k, a, a);
            assertEquals(before + 2, k.liveArrays());
            DeviceArray m = k.full(new int[] {3, 4}, DType.FLOAT32, 0);
            DeviceArray v = k.full(new int[] {3, 4}, DType.FLOAT32, 0);
            before = k.liveArrays();
            k.adamStep(a, a, m, v, new dev.vae.api.spi.AdamHyper(1e-3, 0.9, 0.999, 1e-8, 0.1, 0.001, 0));
            Compositions.adamStep(k, a, a, m, v, new dev.vae.api.spi.AdamHyper(1e-3, 0.9, 0.999, 1e-8, 0.1, 0.001, 0));
            assertEquals(before, k.liveArrays());
            for (DeviceArray x : new DeviceArray[] {a, b, d, e, f, lse, kl, m, v}) {
                k.release(x);
            }
            assertEquals(0, k.liveArrays());
        }
    }

    @Test
    void useAfterReleaseAndCloseFailClearly() {
        JvmKernels k = new JvmKernels(2);
        DeviceArray a = k.full(new int[] {2}, DType.FLOAT64, 1);
        k.release(a);
        assertTrue(((JvmArray) a).isReleased());
        IllegalStateException ex = assertThrows(IllegalStateException.class, () -> k.unary(UnaryOp.NEG, a));
        assertTrue(ex.getMessage().contains("after release"), ex.getMessage());
        assertThrows(IllegalStateException.class, () -> k.toFloats(a));
        DeviceArray b = k.full(new int[] {2}, DType.FLOAT64, 1);
        k.close();
        k.close();
        assertThrows(IllegalStateException.class, () -> k.binary(BinaryOp.ADD, b, b));
        assertEquals(2, k.toDoubles(b).length, "arrays stay readable after close");
        assertThrows(IllegalArgumentException.class, () -> k.unary(UnaryOp.NEG, new DeviceArray() {
            @Override
            public int[] shape() {
                return new int[0];
            }

            @Override
            public DType dtype() {
                return DType.FLOAT32;
            }
        }));
    }

    @Test
    void workerThreadsStopOnClose() throws InterruptedException {
        JvmKernels k = new JvmKernels(3);
        // force the pool to start its threads
        DeviceArray a = k.full(new int[] {1000, 1000}, DType.FLOAT32, 1);
        k.release(k.unary(UnaryOp.EXP, a));
        k.close();
        for (int i = 0; i < 100 && workers() > 0; i++) {
            Thread.sleep(20);
        }
        assertFalse(workers() > 0, "worker threads still alive after close");
    }

    private static long workers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("vae-jvm-worker-") && t.isAlive())
                .count();
    }
}
