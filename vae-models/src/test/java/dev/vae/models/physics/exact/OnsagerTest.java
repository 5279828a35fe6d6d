package dev.vae.models.physics.exact;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OnsagerTest {
    private static final double CATALAN = 0.915965594177219015054603514932;

    @Test
    void criticalPointValues() {
        // -beta f at K_c = ln(2)/2 + 2G/pi; u(K_c) = -sqrt(2) J
        assertEquals(0.5 * Math.log(2) + 2 * CATALAN / Math.PI, Onsager.logZPerSite(IsingExact.K_CRITICAL), 1e-12);
        assertEquals(-Math.sqrt(2), Onsager.energyPerSite(1, IsingExact.K_CRITICAL), 1e-9);
        assertEquals(0, Onsager.magnetisation(1, 0.4), 0);
    }

    @Test
    void limits() {
        // K -> 0: high-temperature series ln 2 + K^2 + O(K^4)
        double k = 1e-3;
        assertEquals(Math.log(2) + k * k, Onsager.logZPerSite(k), 1e-11);
        // K large: 2K + O(e^{-4K}) = 10 + 2e-9 at K = 5
        assertEquals(2 * 5.0, Onsager.logZPerSite(5), 1e-8);
        assertEquals(-2, Onsager.energyPerSite(1, 5), 1e-7);
        assertEquals(1, Onsager.magnetisation(1, 5), 1e-12);
    }

    @Test
    void energyIsMinusDerivativeOfLogZ() {
        for (double k : new double[] {0.2, 0.4, 0.5, 0.8}) {
            double h = 1e-5;
            double d = (Onsager.logZPerSite(k + h) - Onsager.logZPerSite(k - h)) / (2 * h);
            assertEquals(-d, Onsager.energyPerSite(1, k), 1e-8, "K=" + k);
        }
    }

    @Test
    void ellipticIntegral() {
        assertEquals(Math.PI / 2, Onsager.ellipticK(0), 1e-15);
        assertEquals(1.854074677301371918433850347195, Onsager.ellipticK(Math.sqrt(0.5)), 1e-14);
    }
}
