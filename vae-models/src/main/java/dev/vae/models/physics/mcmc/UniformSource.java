package dev.vae.models.physics.mcmc;

import dev.vae.api.random.Rng;

/**
 * Uniform doubles in {@code (0, 1)} drawn from an {@link Rng} in blocks of 4096 (one Philox
 * request per block, far cheaper than one per value). Reproducible: the same generator state
 * gives the same sequence. Not thread-safe.
 */
public final class UniformSource {
    private static final int BLOCK = 4096;
    private final Rng rng;
    private double[] buffer = new double[0];
    private int next;

    /** @param rng the generator to draw from (advanced as blocks are consumed) */
    public UniformSource(Rng rng) {
        this.rng = rng;
    }

    /** @return the next uniform in {@code (0, 1)} */
    public double nextDouble() {
        if (next == buffer.length) {
            buffer = rng.uniformDoubles(BLOCK);
            next = 0;
        }
        return buffer[next++];
    }

    /**
     * @param bound exclusive upper bound, {@code > 0}
     * @return a uniform integer in {@code [0, bound)}
     */
    public int nextInt(int bound) {
        return (int) Math.min(bound - 1, (long) (nextDouble() * bound));
    }
}
