package dev.vae.api.random;

/**
 * A stateful view of one Philox stream {@code (seed, stream)}: a position (block counter) that
 * advances as values are drawn. Cheap to create; not thread-safe (give each thread or partition
 * its own stream with {@link #split(long)}). The state is three longs, readable and restorable for
 * checkpoints with {@link #counter()} and {@link #seek(long)}.
 */
public final class Rng {
    private final long seed;
    private final long stream;
    private long counter;

    /** A generator at the start of stream {@code (seed, 0)}. */
    public Rng(long seed) {
        this(seed, 0, 0);
    }

    /** A generator at block {@code counter} of stream {@code (seed, stream)}. */
    public Rng(long seed, long stream, long counter) {
        this.seed = seed;
        this.stream = stream;
        this.counter = counter;
    }

    /** @return the seed (Philox key) */
    public long seed() {
        return seed;
    }

    /** @return the stream id (upper counter words) */
    public long stream() {
        return stream;
    }

    /** @return the next block index this generator will use */
    public long counter() {
        return counter;
    }

    /** Moves to block {@code counter}. */
    public void seek(long newCounter) {
        this.counter = newCounter;
    }

    /**
     * Reserves the blocks for {@code n} values and returns the first block index; used by device
     * generation through {@link dev.vae.api.spi.Kernels#philoxNormal}.
     */
    public long reserve(int n, boolean float64) {
        long start = counter;
        counter += Philox.blocks(n, float64);
        return start;
    }

    /**
     * A generator for an independent stream derived from this one's seed and stream and
     * {@code id} (a SplitMix64 mix), starting at block 0. Splitting does not advance this one.
     */
    public Rng split(long id) {
        long z = stream * 0x9E3779B97F4A7C15L + id + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return new Rng(seed, z, 0);
    }

    /** @return {@code n} float32 uniforms in (0, 1) */
    public float[] uniformFloats(int n) {
        float[] out = new float[n];
        Philox.uniformFloats(seed, stream, reserve(n, false), out, 0, n);
        return out;
    }

    /** @return {@code n} float64 uniforms in (0, 1) */
    public double[] uniformDoubles(int n) {
        double[] out = new double[n];
        Philox.uniformDoubles(seed, stream, reserve(n, true), out, 0, n);
        return out;
    }

    /** @return {@code n} float32 standard normals */
    public float[] normalFloats(int n) {
        float[] out = new float[n];
        Philox.normalFloats(seed, stream, reserve(n, false), out, 0, n);
        return out;
    }

    /** @return {@code n} float64 standard normals */
    public double[] normalDoubles(int n) {
        double[] out = new double[n];
        Philox.normalDoubles(seed, stream, reserve(n, true), out, 0, n);
        return out;
    }

    /** @return one float64 uniform in (0, 1) (consumes one block) */
    public double nextDouble() {
        return uniformDoubles(1)[0];
    }

    /** @return a uniform integer in [0, bound) (consumes one block; bias below 2^-20 for bound < 2^32) */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        return (int) Math.min(bound - 1, (long) (nextDouble() * bound));
    }

    /**
     * A uniformly random permutation of {@code 0..n-1} (Fisher–Yates driven by float64 uniforms
     * drawn in one request), identical on every machine for the same state.
     */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        if (n < 2) {
            return p;
        }
        double[] u = uniformDoubles(n - 1);
        for (int i = n - 1; i > 0; i--) {
            int j = (int) Math.min(i, (long) (u[n - 1 - i] * (i + 1)));
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
