package dev.vae.backend.cuda;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The caching allocator over a fake device with a fixed capacity. */
class CachingAllocatorTest {

    /** Raw memory that hands out increasing addresses up to a capacity and tracks what is held. */
    static final class FakeDevice implements CachingAllocator.RawMemory<Long> {
        final long capacity;
        long used;
        long next = 4096;
        long calls;
        final java.util.Map<Long, Long> held = new java.util.HashMap<>();

        FakeDevice(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public Long allocate(long bytes) {
            calls++;
            if (used + bytes > capacity) {
                return null;
            }
            long p = next;
            next += bytes;
            used += bytes;
            held.put(p, bytes);
            return p;
        }

        @Override
        public void free(Long pointer) {
            Long b = held.remove(pointer);
            if (b == null) {
                throw new AssertionError("double or foreign free of " + pointer);
            }
            used -= b;
        }
    }

    @Test
    void sizeClassesWasteAtMostAQuarter() {
        assertEquals(512, CachingAllocator.sizeClass(1));
        assertEquals(512, CachingAllocator.sizeClass(512));
        assertEquals(640, CachingAllocator.sizeClass(513));
        assertEquals(1024, CachingAllocator.sizeClass(1024));
        assertEquals(1280, CachingAllocator.sizeClass(1025));
        for (long b = 1; b < 10_000_000; b = b * 3 + 1) {
            long c = CachingAllocator.sizeClass(b);
            assertTrue(c >= b);
            assertTrue(c <= Math.max(512, b + b / 4 + 1), b + " -> " + c);
            assertEquals(c, CachingAllocator.sizeClass(c), "classes are fixed points");
        }
    }

    @Test
    void freedBlocksAreReusedWithoutRawCalls() {
        FakeDevice dev = new FakeDevice(1 << 20);
        CachingAllocator<Long> a = new CachingAllocator<>(dev);
        CachingAllocator.Block<Long> b1 = a.allocate(1000);
        a.free(b1);
        for (int i = 0; i < 1000; i++) {
            CachingAllocator.Block<Long> b = a.allocate(900 + (i % 100));
            assertSame(b1.pointer(), b.pointer());
            a.free(b);
        }
        assertEquals(1, dev.calls);
        assertEquals(1, a.rawAllocations());
        assertEquals(0, a.liveBlocks());
        assertEquals(1024, a.cachedBytes());
    }

    @Test
    void outOfMemoryEmptiesTheCacheAndRetries() {
        FakeDevice dev = new FakeDevice(4096);
        CachingAllocator<Long> a = new CachingAllocator<>(dev);
        List<CachingAllocator.Block<Long>> bs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            bs.add(a.allocate(512));
        }
        bs.forEach(a::free);
        assertEquals(4096, a.cachedBytes());
        CachingAllocator.Block<Long> big = a.allocate(2048);
        assertEquals(0, a.cachedBytes());
        assertEquals(2048, dev.used);
        a.free(big);
        CachingAllocator.Block<Long> x = a.allocate(2048);
        CachingAllocator.Block<Long> y = a.allocate(2048);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.allocate(512));
        assertTrue(e.getMessage().contains("out of memory"), e.getMessage());
        a.free(x);
        a.free(y);
    }

    @Test
    void closeFreesLiveAndCachedBlocks() {
        FakeDevice dev = new FakeDevice(1 << 20);
        CachingAllocator<Long> a = new CachingAllocator<>(dev);
        Set<CachingAllocator.Block<Long>> live = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            live.add(a.allocate(100 * (i + 1)));
        }
        a.free(a.allocate(5000));
        a.close();
        assertEquals(0, dev.used);
        assertEquals(0, dev.held.size());
        assertThrows(IllegalStateException.class, () -> a.allocate(1));
    }

    @Test
    void doubleFreeIsRejected() {
        CachingAllocator<Long> a = new CachingAllocator<>(new FakeDevice(1 << 20));
        CachingAllocator.Block<Long> b = a.allocate(10);
        a.free(b);
        assertThrows(IllegalArgumentException.class, () -> a.free(b));
    }
}
