package dev.vae.api.random;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Philox4x32-10 against the Random123 known-answer vectors, and the value mapping's contracts. */
class PhiloxTest {

    private static int[] block(int c0, int c1, int c2, int c3, int k0, int k1) {
        int[] out = new int[4];
        Philox.block(c0, c1, c2, c3, k0, k1, out);
        return out;
    }

    @Test
    void random123KnownAnswers() {
        // kat_vectors from Random123 1.09: philox4x32 10 rounds
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
                block(0, 0, 0, 0, 0, 0));
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
                block(-1, -1, -1, -1, -1, -1));
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0));
    }

    @Test
    void uniformsStayStrictlyInsideTheUnitInterval() {
        assertTrue(Philox.uniformFloat(0) > 0f);
        assertTrue(Philox.uniformFloat(-1) < 1f);
        assertEquals(0x1p-24f, Philox.uniformFloat(0));
        assertEquals(1f - 0x1p-24f, Philox.uniformFloat(-1));
        assertTrue(Philox.uniformDouble(0, 0) > 0);
        assertTrue(Philox.uniformDouble(-1, -1) < 1);
    }

    @Test
    void requestsSplitAcrossCallsEqualOneRequest() {
        Rng whole = new Rng(42, 7, 0);
        float[] all = whole.normalFloats(12);
        Rng parts = new Rng(42, 7, 0);
        float[] a = parts.normalFloats(4);
        float[] b = parts.normalFloats(8);
        float[] joined = new float[12];
        System.arraycopy(a, 0, joined, 0, 4);
        System.arraycopy(b, 0, joined, 4, 8);
        assertArrayEquals(all, joined);
        assertEquals(3, whole.counter());
        // a request of 5 float64 normals consumes ceil(5/2) = 3 blocks
        Rng d = new Rng(1);
        d.normalDoubles(5);
        assertEquals(3, d.counter());
    }

    @Test
    void normalsHaveUnitMomentsWithinSamplingError() {
        int n = 200_000;
        double[] z = new Rng(123).normalDoubles(n);
        double mean = Arrays.stream(z).average().orElseThrow();
        double var = Arrays.stream(z).map(x -> (x - mean) * (x - mean)).sum() / (n - 1);
        // standard errors: mean 1/sqrt(n) = 0.0022, variance sqrt(2/n) = 0.0032; allow 5 sigma
        assertEquals(0.0, mean, 5 * 0.0023);
        assertEquals(1.0, var, 5 * 0.0032);
        float[] f = new Rng(123).normalFloats(n);
        double fm = 0;
        for (float v : f) {
            fm += v;
        }
        assertEquals(0.0, fm / n, 5 * 0.0023);
    }

    @Test
    void streamsAndSeedsDiffer() {
        assertNotEquals(new Rng(1, 0, 0).uniformDoubles(1)[0], new Rng(1, 1, 0).uniformDoubles(1)[0]);
        assertNotEquals(new Rng(1, 0, 0).uniformDoubles(1)[0], new Rng(2, 0, 0).uniformDoubles(1)[0]);
        Rng r = new Rng(9);
        assertNotEquals(r.split(0).stream(), r.split(1).stream());
        assertEquals(r.split(3).stream(), new Rng(9).split(3).stream());
    }

    @Test
    void permutationIsAPermutationAndReproducible() {
        int[] p = new Rng(5).permutation(1000);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertArrayEquals(p, new Rng(5).permutation(1000));
        assertNotEquals(Arrays.toString(p), Arrays.toString(new Rng(6).permutation(1000)));
    }
}
