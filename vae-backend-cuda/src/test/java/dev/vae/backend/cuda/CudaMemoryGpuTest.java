package dev.vae.backend.cuda;

import dev.vae.api.DType;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.UnaryOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The caching allocator, live-array accounting, view sharing and close() on the device. */
class CudaMemoryGpuTest {
    static CudaKernels k;

    @BeforeAll
    static void open() {
        if (!GpuTestSupport.usable()) {
            return;
        }
        k = GpuTestSupport.open(Map.of());
    }

    @BeforeEach
    void gpu() {
        GpuTestSupport.requireGpu();
    }

    @AfterAll
    static void close() {
        if (k != null) {
            k.close();
        }
    }

    @Test
    void repeatedStepsReuseCachedBlocks() {
        long live0 = k.liveArrays();
        float[] host = new float[4096];
        for (int i = 0; i < 3; i++) {
            DeviceArray a = k.fromFloats(host, new int[] {64, 64});
            DeviceArray b = k.unary(UnaryOp.EXP, a);
            DeviceArray c = k.matmul(a, b, false, true);
            k.release(a);
            k.release(b);
            k.release(c);
        }
        long raw = k.rawAllocations();
        // a thousand steps on a device; fewer on the CPU-emulated one, where each costs far more
        int steps = Boolean.getBoolean("vae.cuda.emulated") ? 100 : 1000;
        for (int i = 0; i < steps; i++) {
            DeviceArray a = k.fromFloats(host, new int[] {64, 64});
            DeviceArray b = k.unary(UnaryOp.EXP, a);
            DeviceArray c = k.matmul(a, b, false, true);
            k.release(a);
            k.release(b);
            k.release(c);
        }
        k.synchronize();
        assertEquals(raw, k.rawAllocations(), "steady-state steps must not call cuMemAlloc");
        assertEquals(live0, k.liveArrays());
        assertTrue(k.cachedBytes() >= 3 * 4096 * 4);
    }

    @Test
    void viewsShareStorageUntilTheLastRelease() {
        long live0 = k.liveArrays();
        long bytes0 = k.liveBytes();
        DeviceArray a = k.fromDoubles(new double[] {1, 2, 3, 4, 5, 6}, new int[] {2, 3});
        DeviceArray v = k.reshape(a, new int[] {3, 2});
        DeviceArray c = k.cast(a, DType.FLOAT64);
        assertEquals(live0 + 3, k.liveArrays());
        long shared = k.liveBytes() - bytes0;
        k.release(a);
        assertEquals(shared, k.liveBytes() - bytes0, "the storage is still referenced");
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, k.toDoubles(v));
        k.release(v);
        k.release(c);
        k.release(c);
        assertEquals(bytes0, k.liveBytes());
        assertEquals(live0, k.liveArrays());
        assertThrows(IllegalStateException.class, () -> k.toDoubles(a));
    }

    @Test
    void deviceMemoryInUseIsTheAllocatorsLiveBytes() {
        long before = k.deviceMemoryInUse().orElseThrow();
        assertEquals(k.liveBytes(), before);
        DeviceArray a = k.full(new int[] {1 << 20}, DType.FLOAT32, 1.0);
        long during = k.deviceMemoryInUse().orElseThrow();
        assertTrue(during - before >= 4L << 20, "a 4 MiB array adds at least 4 MiB: " + before + " -> " + during);
        k.release(a);
        assertEquals(before, k.deviceMemoryInUse().orElseThrow(), "released blocks go to the cache, not the count");
    }

    @Test
    void assignIsInvisibleToViews() {
        DeviceArray x = k.fromFloats(new float[] {1, 2, 3}, new int[] {3});
        DeviceArray y = k.reshape(x, new int[] {3, 1});
        DeviceArray z = k.fromFloats(new float[] {7, 8, 9}, new int[] {3});
        k.assign(x, z);
        assertArrayEquals(new float[] {7, 8, 9}, k.toFloats(x));
        assertArrayEquals(new float[] {1, 2, 3}, k.toFloats(y));
        DeviceArray w = k.scalar(BinaryOp.MUL, x, 2);
        k.assign(x, w);
        assertArrayEquals(new float[] {14, 16, 18}, k.toFloats(x));
        for (DeviceArray d : new DeviceArray[] {x, y, z, w}) {
            k.release(d);
        }
    }

    @Test
    void closeFreesEverythingAndRefusesFurtherWork() {
        CudaKernels other = GpuTestSupport.open(Map.of("matmul", "tiled"));
        DeviceArray a = other.full(new int[] {1000, 1000}, DType.FLOAT32, 1);
        DeviceArray b = other.full(new int[] {10}, DType.FLOAT64, 1);
        other.release(b);
        assertTrue(other.liveBytes() >= 4_000_000);
        other.close();
        other.close();
        assertEquals(0, other.liveBytes());
        assertEquals(0, other.cachedBytes());
        assertThrows(IllegalStateException.class, () -> other.full(new int[] {1}, DType.FLOAT32, 0));
        other.release(a);
        assertEquals(0, other.liveArrays());
    }

    @Test
    void foreignArraysAreRejected() {
        DeviceArray foreign = new DeviceArray() {
            @Override
            public int[] shape() {
                return new int[] {1};
            }

            @Override
            public DType dtype() {
                return DType.FLOAT32;
            }
        };
        assertThrows(IllegalArgumentException.class, () -> k.unary(UnaryOp.NEG, foreign));
        assertThrows(IllegalArgumentException.class, () -> k.release(foreign));
    }
}
