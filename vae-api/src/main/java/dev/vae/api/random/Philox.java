package dev.vae.api.random;

/**
 * The Philox4x32-10 counter-based generator (Salmon et al., "Parallel random numbers: as easy as
 * 1, 2, 3", SC 2011) and the platform's fixed mapping from its output to floating-point values.
 * Every backend that generates random numbers on its device must reproduce this mapping.
 *
 * <h2>Stream layout</h2>
 * A stream is identified by {@code (seed, stream)}; blocks within it by a 64-bit block index.
 * Block {@code b} of stream {@code (seed, s)} is {@code philox(counter = (lo(b), hi(b), lo(s),
 * hi(s)), key = (lo(seed), hi(seed)))}, four 32-bit words {@code w0..w3}.
 *
 * <h2>Mapping to values</h2>
 * <ul>
 *   <li>float32 uniform from one word: {@code ((w >>> 9) + 0.5f) * 2^-23}, exact in float32 and
 *       strictly inside (0, 1). Element {@code i} of a request uses word {@code i % 4} of block
 *       {@code counter + i / 4}.</li>
 *   <li>float64 uniform from two words: {@code (((hi << 32 | lo) >>> 12) + 0.5) * 2^-52}, with
 *       (w0, w1) then (w2, w3) of a block. Element {@code i} uses pair {@code i % 2} of block
 *       {@code counter + i / 2}.</li>
 *   <li>normals by Box–Muller, evaluated in float64 and then rounded to the requested type:
 *       from a pair of uniforms (u, v), {@code r = sqrt(-2 ln u)}, values {@code r cos(2 pi v)}
 *       and {@code r sin(2 pi v)}. In float32 a block gives the pairs (u0, u1) and (u2, u3), so
 *       element {@code i} is lane {@code i % 4} of block {@code counter + i / 4} in the order
 *       cos, sin, cos, sin. In float64 a block gives one pair, element {@code i} is lane
 *       {@code i % 2} of block {@code counter + i / 2}.</li>
 * </ul>
 * A request of {@code n} values therefore consumes {@link #blocks(int, boolean) ceil(n/4)} blocks
 * in float32 and {@code ceil(n/2)} in float64, and the caller advances its counter by that much.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final double TWO_PI = 2 * Math.PI;

    private Philox() {
    }

    /**
     * Computes one Philox4x32-10 block.
     *
     * @param counter four 32-bit counter words
     * @param key two 32-bit key words
     * @param out receives four words
     */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32);
            int lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32);
            int lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
            k0 += W0;
            k1 += W1;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /** Block {@code index} of stream {@code (seed, stream)} into {@code out}. */
    public static void block(long seed, long stream, long index, int[] out) {
        block((int) index, (int) (index >>> 32), (int) stream, (int) (stream >>> 32),
                (int) seed, (int) (seed >>> 32), out);
    }

    /** @return the number of blocks a request of {@code n} values consumes */
    public static long blocks(int n, boolean float64) {
        int per = float64 ? 2 : 4;
        return (n + per - 1) / per;
    }

    /** @return the float32 uniform of one word, strictly inside (0, 1) */
    public static float uniformFloat(int w) {
        return ((w >>> 9) + 0.5f) * 0x1p-23f;
    }

    /** @return the float64 uniform of two words, strictly inside (0, 1) */
    public static double uniformDouble(int hi, int lo) {
        long bits = ((long) hi << 32) | (lo & 0xFFFFFFFFL);
        return ((bits >>> 12) + 0.5) * 0x1p-52;
    }

    /** Fills {@code out[off..off+n)} with float32 uniforms from block {@code counter} on. */
    public static void uniformFloats(long seed, long stream, long counter, float[] out, int off, int n) {
        int[] w = new int[4];
        for (int i = 0; i < n; i += 4) {
            block(seed, stream, counter + i / 4, w);
            for (int j = 0; j < 4 && i + j < n; j++) {
                out[off + i + j] = uniformFloat(w[j]);
            }
        }
    }

    /** Fills {@code out[off..off+n)} with float64 uniforms from block {@code counter} on. */
    public static void uniformDoubles(long seed, long stream, long counter, double[] out, int off, int n) {
        int[] w = new int[4];
        for (int i = 0; i < n; i += 2) {
            block(seed, stream, counter + i / 2, w);
            out[off + i] = uniformDouble(w[0], w[1]);
            if (i + 1 < n) {
                out[off + i + 1] = uniformDouble(w[2], w[3]);
            }
        }
    }

    /** Fills {@code out[off..off+n)} with float32 standard normals from block {@code counter} on. */
    public static void normalFloats(long seed, long stream, long counter, float[] out, int off, int n) {
        int[] w = new int[4];
        for (int i = 0; i < n; i += 4) {
            block(seed, stream, counter + i / 4, w);
            double r0 = Math.sqrt(-2 * Math.log(uniformFloat(w[0])));
            double t0 = TWO_PI * uniformFloat(w[1]);
            double r1 = Math.sqrt(-2 * Math.log(uniformFloat(w[2])));
            double t1 = TWO_PI * uniformFloat(w[3]);
            double[] v = {r0 * Math.cos(t0), r0 * Math.sin(t0), r1 * Math.cos(t1), r1 * Math.sin(t1)};
            for (int j = 0; j < 4 && i + j < n; j++) {
                out[off + i + j] = (float) v[j];
            }
        }
    }

    /** Fills {@code out[off..off+n)} with float64 standard normals from block {@code counter} on. */
    public static void normalDoubles(long seed, long stream, long counter, double[] out, int off, int n) {
        int[] w = new int[4];
        for (int i = 0; i < n; i += 2) {
            block(seed, stream, counter + i / 2, w);
            double r = Math.sqrt(-2 * Math.log(uniformDouble(w[0], w[1])));
            double t = TWO_PI * uniformDouble(w[2], w[3]);
            out[off + i] = r * Math.cos(t);
            if (i + 1 < n) {
                out[off + i + 1] = r * Math.sin(t);
            }
        }
    }
}
