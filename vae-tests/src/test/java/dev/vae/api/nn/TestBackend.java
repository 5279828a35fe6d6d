package dev.vae.api.nn;

import dev.vae.api.Backend;
import dev.vae.api.Backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared helpers for the API tests on the reference (jvm) backend. */
public final class TestBackend {
    private TestBackend() {
    }

    /** @return a new reference backend (the caller closes it) */
    public static Backend open() {
        return Backends.open("jvm");
    }

    /** Asserts element-wise closeness with a mixed absolute/relative tolerance, naming the index. */
    public static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            assertTrue(Math.abs(e - a) <= tol * Math.max(1, Math.abs(e)),
                    what + "[" + i + "]: expected " + e + " but was " + a);
        }
    }

    /** Scalar form of {@link #assertClose(double[], double[], double, String)}. */
    public static void assertClose(double expected, double actual, double tol, String what) {
        assertClose(new double[] {expected}, new double[] {actual}, tol, what);
    }
}
