package dev.vae.models.physics.exact;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IsingExactTest {
    /** Couplings from deep high temperature through the critical point to deep low temperature. */
    private static final double[] KS = {0.01, 0.1, 0.3, 0.4, 0.43, IsingExact.K_CRITICAL, 0.45, 0.5, 0.7, 1.0, 2.0, 5.0, 20.0};

    @Test
    void kaufmanMatchesEnumerationToTenDigits() {
        // Both sides are sums of positive terms computed in double precision (enumeration adds
        // 65,536 terms), so they agree to ~1e-14; 1e-10 relative is the acceptance criterion.
        for (int l = 2; l <= 4; l++) {
            for (double k : KS) {
                double exact = IsingExact.logZ(l, k);
                double brute = IsingExact.enumerate(l, 1, 0, k).logZ();
                assertEquals(brute, exact, 1e-10 * Math.abs(brute), "L=" + l + " K=" + k);
            }
        }
    }

    @Test
    void kaufmanWithCouplingAndTemperatureSeparately() {
        for (double j : new double[] {0.5, 2.0}) {
            for (double beta : new double[] {0.2, 0.44, 1.3}) {
                double brute = IsingExact.enumerate(4, j, 0, beta).logZ();
                assertEquals(brute, IsingExact.logZ(4, j, beta), 1e-10 * Math.abs(brute));
            }
        }
    }

    @Test
    void antiferromagnetOnEvenLatticeEqualsFerromagnet() {
        for (double k : new double[] {0.2, 0.6}) {
            double brute = IsingExact.enumerate(4, -1, 0, k).logZ();
            assertEquals(brute, IsingExact.logZ(4, -k), 1e-10 * Math.abs(brute));
        }
        assertThrows(IllegalArgumentException.class, () -> IsingExact.logZ(3, -0.3));
    }

    @Test
    void meanEnergyAndHeatCapacityMatchEnumeration() {
        // analytic derivative: rounding only (1e-10); the heat capacity is a finite difference of
        // step 1e-4 K with a fourth-order stencil, truncation error ~1e-14 K^4 |f^(5)|, well below 1e-7
        for (int l = 2; l <= 4; l++) {
            for (double k : KS) {
                if (k > 5) {
                    continue;
                }
                IsingExact.Enumeration e = IsingExact.enumerate(l, 1, 0, k);
                assertEquals(e.energyPerSite(), IsingExact.energyPerSite(l, 1, k), 1e-10 * Math.max(1, Math.abs(e.energyPerSite())),
                        "energy L=" + l + " K=" + k);
                assertEquals(e.heatCapacityPerSite(), IsingExact.heatCapacityPerSite(l, 1, k),
                        1e-7 * Math.max(1, e.heatCapacityPerSite()), "heat capacity L=" + l + " K=" + k);
            }
        }
    }

    @Test
    void analyticDerivativeMatchesFiniteDifferenceOnLargeLattices() {
        for (int l : new int[] {16, 64, 128}) {
            for (double k : new double[] {0.3, 0.44, IsingExact.K_CRITICAL, 0.6}) {
                double h = 1e-5;
                double fd = (IsingExact.logZ(l, k + h) - IsingExact.logZ(l, k - h)) / (2 * h);
                // central difference: truncation h^2 |f'''| / 6 plus rounding 1e-16 |lnZ| / h
                double tol = 1e-6 * l * l;
                assertEquals(fd, IsingExact.dLogZdK(l, k), tol, "L=" + l + " K=" + k);
            }
        }
    }

    @Test
    void largeLatticesApproachOnsager() {
        // finite-size corrections are exponentially small off criticality; at low temperature
        // the two ground states add ln 2 / N
        int l = 256;
        double n = (double) l * l;
        assertEquals(Onsager.logZPerSite(0.2), IsingExact.logZ(l, 0.2) / n, 1e-12);
        assertEquals(Onsager.logZPerSite(1.0) + Math.log(2) / n, IsingExact.logZ(l, 1.0) / n, 1e-12);
        // at K_c the correction is O(1/N): (ln Z_L - N f)/N shrinks as L grows
        double d64 = Math.abs(IsingExact.logZ(64, IsingExact.K_CRITICAL) / (64.0 * 64) - Onsager.logZPerSite(IsingExact.K_CRITICAL));
        double d256 = Math.abs(IsingExact.logZ(256, IsingExact.K_CRITICAL) / n - Onsager.logZPerSite(IsingExact.K_CRITICAL));
        assertTrue(d256 < d64 / 10, "finite-size error at K_c must shrink: " + d64 + " -> " + d256);
        assertEquals(Onsager.energyPerSite(1, 0.3), IsingExact.energyPerSite(l, 1, 0.3), 1e-10);
        assertEquals(Onsager.energyPerSite(1, 0.6), IsingExact.energyPerSite(l, 1, 0.6), 1e-10);
    }

    @Test
    void noOverflowForHugeLatticesAndCouplings() {
        for (double k : new double[] {1e-4, 0.44, 10, 100}) {
            double lz = IsingExact.logZ(1024, k);
            assertTrue(Double.isFinite(lz), "K=" + k);
            // the four terms are weighted by exp(ln Z_i - ln Z) with ln Z ~ 2e8 at K = 100, so
            // rounding of 1e-16 * ln Z limits the per-site energy to ~1e-8 here (1e-11 for L <= 64)
            double e = IsingExact.energyPerSite(1024, 1, k);
            assertTrue(e >= -2 - 1e-8 && e <= 1e-8, "energy per site in [-2, 0]: " + e);
        }
        // ground state: ln Z -> 2 K N + ln 2
        assertEquals(2 * 100 * 1024.0 * 1024 + Math.log(2), IsingExact.logZ(1024, 100), 1e-6);
        assertEquals(1024.0 * 1024 * Math.log(2), IsingExact.logZ(1024, 0), 1e-6);
    }

    @Test
    void enumerationInAFieldIsConsistent() {
        // a field breaks the symmetry: <|m|> grows with h; ln Z(h) = ln Z(-h)
        IsingExact.Enumeration a = IsingExact.enumerate(3, 1, 0.5, 0.3);
        IsingExact.Enumeration b = IsingExact.enumerate(3, 1, -0.5, 0.3);
        assertEquals(a.logZ(), b.logZ(), 1e-12);
        assertTrue(a.absMagnetisationPerSite() > IsingExact.enumerate(3, 1, 0, 0.3).absMagnetisationPerSite());
        assertThrows(IllegalArgumentException.class, () -> IsingExact.enumerate(5, 1, 0, 0.3));
    }
}
