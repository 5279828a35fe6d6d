package dev.vae.backend.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vae.api.DType;
import dev.vae.api.spi.AdamHyper;
import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ReduceOp;
import dev.vae.api.spi.UnaryOp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Live-array accounting, deterministic release of native memory and closing of temporaries. */
class MemoryTest {

    private DjlKernels k;

    @BeforeEach
    void create() {
        k = (DjlKernels) new DjlBackendProvider().create(new BackendConfig(2, Map.of()));
    }

    @AfterEach
    void close() {
        k.close();
    }

    @Test
    void liveArraysCountsCreatedMinusReleased() {
        assertEquals(0, k.liveArrays());
        DeviceArray a = k.full(new int[] {3}, DType.FLOAT32, 1);
        DeviceArray b = k.fromDoubles(new double[] {1, 2}, new int[] {2});
        DeviceArray c = k.unary(UnaryOp.EXP, a);
        assertEquals(3, k.liveArrays());
        k.release(c);
        assertEquals(2, k.liveArrays());
        k.release(c);
        assertEquals(2, k.liveArrays(), "a second release is ignored");
        assertThrows(IllegalStateException.class, () -> k.unary(UnaryOp.EXP, c), "use after release");
        k.release(a);
        k.release(b);
        assertEquals(0, k.liveArrays());
    }

    @Test
    void arraysOfAnotherInstanceAreRejected() {
        try (Kernels other = new DjlBackendProvider().create(BackendConfig.defaults().withThreads(2))) {
            DeviceArray foreign = other.full(new int[] {1}, DType.FLOAT32, 0);
            assertThrows(IllegalArgumentException.class, () -> k.release(foreign));
            assertThrows(IllegalArgumentException.class, () -> k.unary(UnaryOp.NEG, foreign));
        }
    }

    @Test
    void everyKernelClosesItsTemporaries() {
        for (DType dt : DType.values()) {
            DeviceArray x = k.fromDoubles(new double[] {-2, -0.5, 0, 0.5, 2, 40}, new int[] {2, 3});
            DeviceArray a = k.cast(x, dt);
            DeviceArray b = k.full(new int[] {3}, dt, 0.25);
            DeviceArray w = k.full(new int[] {4, 3}, dt, 0.1);
            DeviceArray bias = k.full(new int[] {4}, dt, 0.5);
            DeviceArray m = k.full(new int[] {2, 3}, dt, 0);
            DeviceArray v = k.full(new int[] {2, 3}, dt, 0);
            List<Function<Kernels, DeviceArray>> ops = new java.util.ArrayList<>();
            for (UnaryOp op : UnaryOp.values()) {
                ops.add(kk -> kk.unary(op, a));
            }
            for (BinaryOp op : BinaryOp.values()) {
                ops.add(kk -> kk.binary(op, a, b));
                ops.add(kk -> kk.scalar(op, a, 1.5));
            }
            ops.add(kk -> kk.where(a, a, b));
            ops.add(kk -> kk.reduce(ReduceOp.SUM, a, new int[] {0, 1}, false));
            ops.add(kk -> kk.reduce(ReduceOp.MAX, a, new int[] {0, 1}, true));
            DeviceArray empty = k.full(new int[] {2, 0}, dt, 0);
            ops.add(kk -> kk.reduce(ReduceOp.MAX, empty, new int[] {1}, true));
            ops.add(kk -> kk.matmul(a, w, false, true));
            ops.add(kk -> kk.matmul(a, a, true, false));
            ops.add(kk -> kk.linear(a, w, bias));
            ops.add(kk -> kk.bernoulliLogProb(a, a));
            ops.add(kk -> kk.gaussianKlStdNormal(a, a));
            ops.add(kk -> kk.logSumExp(a, 1, false));
            ops.add(kk -> kk.reshape(a, new int[] {3, 2}));
            ops.add(kk -> kk.permute(a, new int[] {1, 0}));
            ops.add(kk -> kk.slice(a, 1, 1, 3));
            ops.add(kk -> kk.concat(List.of(a, a), 0));
            ops.add(kk -> kk.gatherRows(a, new int[] {1, 0, 1}));
            ops.add(kk -> kk.cast(a, DType.FLOAT64));
            ops.add(kk -> {
                kk.assign(m, a);
                return kk.full(new int[0], dt, 0);
            });
            ops.add(kk -> {
                kk.adamStep(m, a, m, v, new AdamHyper(1e-3, 0.9, 0.999, 1e-8, 0.1, 0.001, 0.01));
                return kk.full(new int[0], dt, 0);
            });
            for (Function<Kernels, DeviceArray> op : ops) {
                k.release(op.apply(k)); // warm-up creates the cached constants
            }
            long live = k.liveArrays();
            int tensors = k.nativeTensorCount();
            for (int rep = 0; rep < 3; rep++) {
                for (int i = 0; i < ops.size(); i++) {
                    DeviceArray r = ops.get(i).apply(k);
                    k.release(r);
                    assertEquals(tensors, k.nativeTensorCount(), "native tensors after op #" + i + " " + dt);
                }
            }
            assertEquals(live, k.liveArrays());
        }
    }

    @Test
    void largeUploadsGoInChunksThroughASmallTransferBuffer() {
        k.scratchLimit = 64; // 16 floats or 8 doubles per chunk
        float[] f = new float[1003];
        double[] d = new double[1003];
        int[] rows = new int[37];
        for (int i = 0; i < f.length; i++) {
            f[i] = i * 0.5f - 7;
            d[i] = i * 0.25 - 3;
        }
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (i * 7) % 17;
        }
        DeviceArray fa = k.fromFloats(f, new int[] {17, 59});
        DeviceArray da = k.fromDoubles(d, new int[] {1003});
        org.junit.jupiter.api.Assertions.assertArrayEquals(f, k.toFloats(fa));
        org.junit.jupiter.api.Assertions.assertArrayEquals(d, k.toDoubles(da));
        DeviceArray g = k.gatherRows(fa, rows);
        float[] gf = k.toFloats(g);
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < 59; j++) {
                assertEquals(f[rows[i] * 59 + j], gf[i * 59 + j]);
            }
        }
    }

    @Test
    void closeFreesEverythingAndEndsTheInstance() {
        k.full(new int[] {10}, DType.FLOAT32, 1);
        k.full(new int[] {10}, DType.FLOAT64, 1);
        assertEquals(2, k.liveArrays());
        k.close();
        assertEquals(0, k.liveArrays());
        assertEquals(0, k.nativeTensorCount());
        assertThrows(IllegalStateException.class, () -> k.full(new int[] {1}, DType.FLOAT32, 0));
        k.close();
    }

    @Test
    void releaseReturnsNativeMemory() throws IOException {
        int[] shape = {1024, 2048}; // 8 MiB in float32
        long before = rssKiB();
        for (int i = 0; i < 150; i++) { // 1.2 GiB in all if nothing were freed
            DeviceArray a = k.full(shape, DType.FLOAT32, i);
            DeviceArray b = k.unary(UnaryOp.SOFTPLUS, a);
            k.release(a);
            k.release(b);
        }
        long grown = rssKiB() - before;
        assertTrue(grown < 256 * 1024, "resident memory grew by " + grown + " KiB");
        assertEquals(0, k.liveArrays());
    }

    private static long rssKiB() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/proc/self/status")), "needs Linux /proc");
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
