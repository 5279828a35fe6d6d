package dev.vae.models.physics.exact;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QuadratureTest {
    @Test
    void gaussLegendreIntegratesPolynomialsExactly() {
        double[] x = new double[7];
        double[] w = new double[7];
        Quadrature.gaussLegendre(7, x, w);
        double s0 = 0;
        double s12 = 0;
        for (int i = 0; i < 7; i++) {
            s0 += w[i];
            s12 += w[i] * Math.pow(x[i], 12);
        }
        assertEquals(2, s0, 1e-14);
        assertEquals(2.0 / 13, s12, 1e-14);
    }

    @Test
    void boltzmannIntegralsOfKnownPotentials() {
        for (double beta : new double[] {0.1, 1, 7}) {
            // Gaussian: sqrt(2 pi / beta)
            assertEquals(0.5 * Math.log(2 * Math.PI / beta), Quadrature.logBoltzmannIntegral(x -> 0.5 * x * x, beta, -1, 1), 1e-12);
            // quartic: 2 Gamma(5/4) beta^{-1/4}
            assertEquals(Math.log(2 * 0.906402477055477) - 0.25 * Math.log(beta),
                    Quadrature.logBoltzmannIntegral(x -> x * x * x * x, beta, -1, 1), 1e-12);
        }
        // shifted far from the initial bracket and with a large offset
        assertEquals(0.5 * Math.log(2 * Math.PI) + 1000,
                Quadrature.logBoltzmannIntegral(x -> 0.5 * (x - 30) * (x - 30) - 1000, 1, -1, 1), 1e-10);
        assertEquals(4.0, Quadrature.boltzmannAverage(x -> 0.5 * (x - 4) * (x - 4), x -> x, 1, -1, 1), 1e-12);
        assertEquals(0.5, Quadrature.boltzmannMassBelow(x -> 0.5 * x * x, 1, -1, 1, 0), 1e-14);
    }

    @Test
    void twoDimensionalGaussian() {
        double[] r = Quadrature.boltzmann2d((x, y) -> 0.5 * (x * x + 4 * y * y) + x, 1.0, new double[] {-1, 1, -1, 1}, 40,
                (x, y) -> x, (x, y) -> y * y);
        // completing the square: 0.5 (x+1)^2 - 0.5 + 2 y^2 -> 2 pi / 2 * e^{0.5}
        assertEquals(Math.log(Math.PI) + 0.5, r[0], 1e-11);
        assertEquals(-1, r[1], 1e-11);
        assertEquals(0.25, r[2], 1e-11);
    }
}
