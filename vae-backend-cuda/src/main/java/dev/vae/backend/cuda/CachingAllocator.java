package dev.vae.backend.cuda;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A size-bucketed caching allocator over raw device memory, in the spirit of PyTorch's CUDA
 * caching allocator but without block splitting. Requests are rounded up to a size class (512
 * bytes, then four classes per power of two, so at most 25% is wasted); a freed block goes onto
 * its class's free list and the next request of that class reuses it without a driver call. Since
 * every kernel runs on one stream, a block freed after launching a kernel that reads it may be
 * handed out at once: later work on the stream is ordered after that kernel.
 *
 * <p>When the raw allocator runs out of memory, every cached block is returned to it and the
 * request retried once. {@link #close()} frees cached and live blocks alike. Not thread-safe: the
 * backend calls it from one thread at a time.
 *
 * @param <P> the raw pointer type
 */
final class CachingAllocator<P> {
    /** Smallest size class in bytes. */
    static final long MIN_BLOCK = 512;

    /** The raw memory beneath the cache. */
    interface RawMemory<P> {
        /** @return a new block of exactly {@code bytes}, or null when the device is out of memory */
        P allocate(long bytes);

        /** Returns a block obtained from {@link #allocate}. */
        void free(P pointer);
    }

    /** A block handed out by the allocator; identity matters, not equality. */
    static final class Block<P> {
        private final P pointer;
        private final long size;

        private Block(P pointer, long size) {
            this.pointer = pointer;
            this.size = size;
        }

        /** @return the device pointer */
        P pointer() {
            return pointer;
        }

        /** @return the size class in bytes (at least the requested size) */
        long size() {
            return size;
        }
    }

    private final RawMemory<P> raw;
    private final TreeMap<Long, ArrayDeque<Block<P>>> free = new TreeMap<>();
    private final Map<Block<P>, Boolean> live = new IdentityHashMap<>();
    private long cachedBytes;
    private long liveBytes;
    private long rawAllocations;
    private boolean closed;

    CachingAllocator(RawMemory<P> raw) {
        this.raw = raw;
    }

    /** @return the size class of a request of {@code bytes} */
    static long sizeClass(long bytes) {
        if (bytes <= MIN_BLOCK) {
            return MIN_BLOCK;
        }
        int k = 63 - Long.numberOfLeadingZeros(bytes - 1); // 2^k < bytes <= 2^(k+1)
        long step = 1L << (k - 2); // four classes in (2^k, 2^(k+1)]
        return ((bytes + step - 1) / step) * step;
    }

    /**
     * @param bytes requested size, positive
     * @return a block of at least {@code bytes}
     * @throws IllegalStateException if the device is out of memory even after emptying the cache
     */
    Block<P> allocate(long bytes) {
        if (closed) {
            throw new IllegalStateException("allocator is closed");
        }
        if (bytes <= 0) {
            throw new IllegalArgumentException("allocation of " + bytes + " bytes");
        }
        long size = sizeClass(bytes);
        ArrayDeque<Block<P>> list = free.get(size);
        Block<P> b = null;
        if (list != null && !list.isEmpty()) {
            b = list.pop();
            cachedBytes -= size;
        } else {
            P p = raw.allocate(size);
            if (p == null) {
                emptyCache();
                p = raw.allocate(size);
            }
            if (p == null) {
                throw new IllegalStateException("CUDA device out of memory allocating " + size + " bytes ("
                        + liveBytes + " bytes in " + live.size() + " live blocks)");
            }
            rawAllocations++;
            b = new Block<>(p, size);
        }
        live.put(b, Boolean.TRUE);
        liveBytes += size;
        return b;
    }

    /** Returns {@code b} to the cache; freeing a block twice or one from elsewhere is an error. */
    void free(Block<P> b) {
        if (closed) {
            return;
        }
        if (live.remove(b) == null) {
            throw new IllegalArgumentException("block is not live in this allocator");
        }
        liveBytes -= b.size;
        free.computeIfAbsent(b.size, s -> new ArrayDeque<>()).push(b);
        cachedBytes += b.size;
    }

    /** Hands every cached (not live) block back to the raw allocator. */
    void emptyCache() {
        for (ArrayDeque<Block<P>> list : free.values()) {
            for (Block<P> b : list) {
                raw.free(b.pointer);
            }
        }
        free.clear();
        cachedBytes = 0;
    }

    /** Frees every block, cached or live; the allocator refuses further requests. */
    void close() {
        if (closed) {
            return;
        }
        emptyCache();
        for (Block<P> b : live.keySet()) {
            raw.free(b.pointer);
        }
        live.clear();
        liveBytes = 0;
        closed = true;
    }

    /** @return bytes in blocks handed out and not freed */
    long liveBytes() {
        return liveBytes;
    }

    /** @return number of blocks handed out and not freed */
    int liveBlocks() {
        return live.size();
    }

    /** @return bytes held in free lists */
    long cachedBytes() {
        return cachedBytes;
    }

    /** @return how many times the raw allocator was asked for memory */
    long rawAllocations() {
        return rawAllocations;
    }
}
