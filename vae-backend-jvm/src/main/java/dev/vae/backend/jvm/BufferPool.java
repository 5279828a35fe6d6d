package dev.vae.backend.jvm;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded pool of the storage of released {@link JvmArray}s, owned by one {@link JvmKernels}
 * instance: {@link JvmKernels#release release} hands an array's {@code float[]} or
 * {@code double[]} back here and the next array of exactly that length and type takes it, instead
 * of allocating (a training step creates and releases the same shapes over and over, so in steady
 * state it allocates next to nothing and the garbage collector stays idle).
 *
 * <ul>
 *   <li>Buffers are matched by exact length and type. A buffer taken from the pool holds stale
 *       data: the caller either zero-fills it or overwrites every element.</li>
 *   <li>At most {@link #capBytes()} bytes are pooled ({@link #DEFAULT_CAP_BYTES} unless the
 *       system property {@code vae.jvm.poolMB} gives another number of MiB; 0 disables pooling).
 *       When a returned buffer does not fit, buffers of the lengths least recently used are
 *       dropped first; a buffer larger than the cap is never pooled.</li>
 *   <li>Methods are synchronized: arrays may be released from another thread than the one
 *       running the kernels.</li>
 *   <li>After {@link #close} the pool is empty and keeps nothing.</li>
 * </ul>
 */
final class BufferPool {
    /** Default cap on the pooled bytes: 64 MiB. */
    static final long DEFAULT_CAP_BYTES = 64L << 20;

    private final long capBytes;
    /** Per (length, type) key, most recently used last; values are stacks of buffers. */
    private final LinkedHashMap<Long, ArrayDeque<Object>> free = new LinkedHashMap<>(16, 0.75f, true);
    private long pooledBytes;
    private boolean closed;

    /** A pool capped by {@code vae.jvm.poolMB} MiB, or {@link #DEFAULT_CAP_BYTES}. */
    BufferPool() {
        this(configuredCap());
    }

    /** @param capBytes the most bytes pooled at once, 0 or less for no pooling */
    BufferPool(long capBytes) {
        this.capBytes = Math.max(0, capBytes);
    }

    private static long configuredCap() {
        String mb = System.getProperty("vae.jvm.poolMB");
        if (mb == null) {
            return DEFAULT_CAP_BYTES;
        }
        try {
            return Long.parseLong(mb.trim()) << 20;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("vae.jvm.poolMB must be a whole number of MiB, got '" + mb + "'", e);
        }
    }

    /** @return the most bytes this pool keeps */
    long capBytes() {
        return capBytes;
    }

    /** @return the bytes pooled now */
    synchronized long pooledBytes() {
        return pooledBytes;
    }

    private static Long key(int length, boolean dbl) {
        return ((long) length << 1) | (dbl ? 1 : 0);
    }

    /** @return a pooled float32 buffer of exactly {@code n} elements (stale contents), or null */
    synchronized float[] takeFloats(int n) {
        return (float[]) take(key(n, false), 4L * n);
    }

    /** @return a pooled float64 buffer of exactly {@code n} elements (stale contents), or null */
    synchronized double[] takeDoubles(int n) {
        return (double[]) take(key(n, true), 8L * n);
    }

    private Object take(Long key, long bytes) {
        ArrayDeque<Object> q = free.get(key);
        if (q == null || q.isEmpty()) {
            return null;
        }
        pooledBytes -= bytes;
        return q.pop();
    }

    /** Pools {@code buf}, which nothing else references any more. */
    synchronized void give(float[] buf) {
        put(buf, key(buf.length, false), 4L * buf.length);
    }

    /** Pools {@code buf}, which nothing else references any more. */
    synchronized void give(double[] buf) {
        put(buf, key(buf.length, true), 8L * buf.length);
    }

    private void put(Object buf, Long key, long bytes) {
        if (closed || bytes == 0 || bytes > capBytes) {
            return;
        }
        if (pooledBytes + bytes > capBytes) {
            evict(pooledBytes + bytes - capBytes);
        }
        free.computeIfAbsent(key, x -> new ArrayDeque<>()).push(buf);
        pooledBytes += bytes;
    }

    /** Drops at least {@code bytes} bytes of buffers, least recently used lengths first. */
    private void evict(long bytes) {
        long dropped = 0;
        Iterator<Map.Entry<Long, ArrayDeque<Object>>> it = free.entrySet().iterator();
        while (dropped < bytes && it.hasNext()) {
            Map.Entry<Long, ArrayDeque<Object>> e = it.next();
            long each = (e.getKey() >>> 1) * ((e.getKey() & 1) != 0 ? 8 : 4);
            ArrayDeque<Object> q = e.getValue();
            while (dropped < bytes && !q.isEmpty()) {
                q.pollLast(); // the coldest buffer of that length
                dropped += each;
            }
            if (q.isEmpty()) {
                it.remove();
            }
        }
        pooledBytes -= dropped;
    }

    /** Drops every buffer; later {@code give} calls keep nothing. */
    synchronized void close() {
        closed = true;
        free.clear();
        pooledBytes = 0;
    }
}
