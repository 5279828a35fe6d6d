package dev.vae.backend.jvm;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A small fork-join helper owned by one {@link JvmKernels} instance: the calling thread plus
 * {@code threads - 1} daemon workers share a list of chunks through an atomic counter.
 *
 * <p>Which thread runs which chunk is not deterministic, so every caller partitions its work such
 * that the result of a chunk does not depend on who runs it or on how many threads there are.
 * Chunk bodies also receive a worker index in {@code [0, threads)} that is unique among the
 * bodies running at the same time, for per-worker scratch buffers.
 */
final class Parallel implements AutoCloseable {

    /** The body of one chunk. */
    @FunctionalInterface
    interface Body {
        /**
         * @param chunk the chunk index in {@code [0, chunks)}
         * @param worker the index of the running worker in {@code [0, threads)}
         */
        void run(int chunk, int worker);
    }

    private static final int PENDING = 0;
    private static final int RUNNING = 1;
    private static final int ABANDONED = 2;

    private final int threads;
    private final ExecutorService pool;

    Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        if (threads == 1) {
            pool = null;
        } else {
            AtomicInteger ids = new AtomicInteger();
            ThreadFactory tf = r -> {
                Thread t = new Thread(r, "vae-jvm-worker-" + ids.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            pool = Executors.newFixedThreadPool(threads - 1, tf);
        }
    }

    /** @return the number of threads, the calling one included */
    int threads() {
        return threads;
    }

    /**
     * Runs {@code body} for every chunk in {@code [0, chunks)} and returns when all are done.
     * Runs inline when there is one thread or at most one chunk. The first exception thrown by a
     * chunk is rethrown after every started chunk has finished.
     */
    void run(int chunks, Body body) {
        if (chunks <= 0) {
            return;
        }
        int parts = Math.min(threads, chunks);
        if (parts <= 1 || pool == null) {
            for (int c = 0; c < chunks; c++) {
                body.run(c, 0);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        // per helper: 0 pending, 1 running, 2 abandoned (never started; the caller did its share)
        AtomicIntegerArray state = new AtomicIntegerArray(parts - 1);
        Future<?>[] helpers = new Future<?>[parts - 1];
        for (int w = 1; w < parts; w++) {
            final int worker = w;
            helpers[w - 1] = pool.submit(() -> {
                if (state.compareAndSet(worker - 1, PENDING, RUNNING)) {
                    loop(next, chunks, body, worker);
                }
            });
        }
        Throwable failure = null;
        try {
            loop(next, chunks, body, 0);
        } catch (Throwable t) {
            failure = t;
            next.set(chunks);
        }
        boolean interrupted = false;
        for (int i = 0; i < helpers.length; i++) {
            // a helper that has not started has nothing left to do: abandon it instead of waiting
            if (state.compareAndSet(i, PENDING, ABANDONED)) {
                continue;
            }
            while (true) {
                try {
                    helpers[i].get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (CancellationException e) {
                    break;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    private static void loop(AtomicInteger next, int chunks, Body body, int worker) {
        int c;
        while ((c = next.getAndIncrement()) < chunks) {
            body.run(c, worker);
        }
    }

    /**
     * Splits {@code [0, n)} into ranges of about {@code grain} elements and runs them, in parallel
     * when there is more than one range. Element-wise kernels only: each element must be computed
     * independently of the partition.
     */
    void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int g = Math.max(1, grain);
        int chunks = (int) Math.min(Integer.MAX_VALUE, ((long) n + g - 1) / g);
        if (chunks <= 1 || threads == 1) {
            body.run(0, n);
            return;
        }
        run(chunks, (c, w) -> body.run(c * g, (int) Math.min(n, (long) c * g + g)));
    }

    /** The body of an element range {@code [start, end)}. */
    @FunctionalInterface
    interface RangeBody {
        void run(int start, int end);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
