package dev.vae.backend.jvm;

import dev.vae.api.DType;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.ReduceOp;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The pool of released storage: exact-length reuse, the byte cap, eviction and close. */
class BufferPoolTest {

    @Test
    void reusesExactLengthAndType() {
        BufferPool pool = new BufferPool(1 << 20);
        float[] f = new float[100];
        double[] d = new double[100];
        pool.give(f);
        pool.give(d);
        assertNull(pool.takeFloats(99));
        assertNull(pool.takeDoubles(101));
        assertSame(f, pool.takeFloats(100));
        assertSame(d, pool.takeDoubles(100));
        assertNull(pool.takeFloats(100), "a buffer is handed out once");
        assertEquals(0, pool.pooledBytes());
    }

    @Test
    void staysUnderTheCapDroppingLeastRecentlyUsedLengths() {
        BufferPool pool = new BufferPool(1000);
        pool.give(new float[100]); // 400 bytes
        pool.give(new float[50]); // 200 bytes
        assertEquals(600, pool.pooledBytes());
        float[] c = new float[100];
        pool.give(c); // 1000 bytes: fits exactly
        assertEquals(1000, pool.pooledBytes());
        // 240 more bytes: the least recently used length (50) goes first, then the coldest 100
        pool.give(new float[60]);
        assertEquals(1000 - 200 - 400 + 240, pool.pooledBytes());
        assertNull(pool.takeFloats(50));
        assertSame(c, pool.takeFloats(100), "the most recently given buffer stays");
        assertNull(pool.takeFloats(100));
        pool.give(new float[1000]); // larger than the cap: never pooled
        assertNull(pool.takeFloats(1000));
    }

    @Test
    void closeAndZeroCapKeepNothing() {
        BufferPool off = new BufferPool(0);
        off.give(new float[4]);
        assertNull(off.takeFloats(4));
        BufferPool pool = new BufferPool(1 << 20);
        pool.give(new float[4]);
        pool.close();
        assertNull(pool.takeFloats(4));
        pool.give(new float[4]);
        assertEquals(0, pool.pooledBytes());
    }

    @Test
    void releasedStorageIsReusedButNeverVisibleThroughTheReleasedArray() {
        try (JvmKernels k = new JvmKernels(1)) {
            JvmArray a = (JvmArray) k.fromFloats(new float[] {1, 2, 3, 4, 5, 6}, new int[] {2, 3});
            float[] storage = a.f();
            k.release(a);
            assertThrows(IllegalStateException.class, a::f);
            JvmArray b = (JvmArray) k.fromFloats(new float[] {7, 8, 9, 10, 11, 12}, new int[] {3, 2});
            assertSame(storage, b.f(), "same length: the released storage is reused");
            assertArrayEquals(new float[] {7, 8, 9, 10, 11, 12}, k.toFloats(b));
            assertThrows(IllegalStateException.class, () -> k.toFloats(a));
            k.release(a); // a second release must not hand b's storage to the pool
            JvmArray c = (JvmArray) k.fromFloats(new float[6], new int[] {6});
            assertNotSame(b.f(), c.f());
            assertEquals(2, k.liveArrays());
        }
    }

    @Test
    void kernelsThatDoNotWriteEveryElementGetZeroedStorage() {
        try (JvmKernels k = new JvmKernels(1)) {
            for (DType t : DType.values()) {
                // leave stale non-zero data of the output's length in the pool, then reduce into it
                DeviceArray junk = k.full(new int[] {3}, t, 42.0);
                k.release(junk);
                DeviceArray a = k.full(new int[] {4, 3}, t, 1.0);
                DeviceArray s = k.reduce(ReduceOp.SUM, a, new int[] {0}, false);
                assertArrayEquals(new double[] {4, 4, 4}, k.toDoubles(s), t.label());
                k.release(a);
                k.release(s);
            }
        }
    }
}
