package dev.vae.models.physics;

import dev.vae.api.Backend;
import dev.vae.api.Backends;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.random.Rng;
import dev.vae.models.physics.exact.Quadrature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SystemsTest {
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.open("jvm");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static double[] configurations(EnergyModel m, int n, Rng rng) {
        double[] x = rng.normalDoubles(n * m.dimension());
        for (int i = 0; i < x.length; i++) {
            x[i] = m.isDiscrete() ? (x[i] > 0 ? 1 : -1) : 1.5 * x[i];
        }
        return x;
    }

    private static List<EnergyModel> all() {
        return List.of(new IsingModel(2), new IsingModel(5, 0.7, 0.3), new IsingModel(4, -1, 0),
                GaussianMixture.twoModes(3, 4, 0.3), new DoubleWell(3), new DoubleWell(1, 0.5, -2, 0.7), new MullerBrown(0.1));
    }

    @Test
    void tensorEnergiesMatchHostEnergies() {
        Rng rng = new Rng(1);
        for (EnergyModel m : all()) {
            int n = 17;
            double[] x = configurations(m, n, rng);
            double[] host = m.energies(x, n);
            try (Scope s = Scope.open()) {
                double[] dev = m.energy(backend.tensor(x, n, m.dimension())).toDoubles();
                for (int i = 0; i < n; i++) {
                    assertEquals(host[i], dev[i], 1e-12 * Math.max(1, Math.abs(host[i])), m.describe() + " sample " + i);
                }
                float[] f = m.energy(backend.tensor(x, DType.FLOAT32, n, m.dimension())).toFloats();
                for (int i = 0; i < n; i++) {
                    // float32 rounding of inputs and sums: a few ulps of the largest term
                    assertEquals(host[i], f[i], 1e-4 * Math.max(1, Math.abs(host[i])), m.describe() + " float32 sample " + i);
                }
            }
        }
    }

    @Test
    void forcesFromAutodiffMatchFiniteDifferences() {
        Rng rng = new Rng(2);
        for (EnergyModel m : all()) {
            if (m.isDiscrete()) {
                continue;
            }
            int n = 5;
            int d = m.dimension();
            double[] x = configurations(m, n, rng);
            double[] g;
            try (Scope s = Scope.open()) {
                Tensor t = backend.tensor(x, n, d).requiresGrad(true);
                m.energy(t).sum().backward();
                g = t.grad().toDoubles();
                t.zeroGrad();
            }
            for (int i = 0; i < n * d; i++) {
                double h = 1e-6;
                double[] p = x.clone();
                double[] q = x.clone();
                p[i] += h;
                q[i] -= h;
                int row = i / d;
                double fd = (m.energy(p, row * d) - m.energy(q, row * d)) / (2 * h);
                // central difference: O(h^2) truncation plus rounding 1e-16 |U| / h
                assertEquals(fd, g[i], 1e-6 * Math.max(1, Math.abs(fd)), m.describe() + " coordinate " + i);
            }
        }
    }

    @Test
    void isingEnergyExamples() {
        IsingModel m = new IsingModel(3, 1, 0.5);
        double[] up = new double[9];
        java.util.Arrays.fill(up, 1);
        // 2 L^2 = 18 satisfied bonds and 9 aligned spins
        assertEquals(-18 - 4.5, m.energy(up, 0), 0);
        int[] checker = new int[16];
        for (int i = 0; i < 16; i++) {
            checker[i] = ((i / 4 + i % 4) % 2 == 0) ? 1 : -1;
        }
        assertEquals(32, new IsingModel(4).energy(checker), 0);
        Map<String, Double> ref = new IsingModel(4).exactExpectations(0.3);
        assertTrue(ref.containsKey("e") && ref.containsKey("|m|") && ref.containsKey("c"));
        assertEquals("exact (Kaufman 1949)", new IsingModel(16).logZMethod(0.4));
        assertTrue(new IsingModel(5, 1, 0.1).logZ(0.3).isEmpty());
    }

    @Test
    void gaussianMixtureReferences() {
        GaussianMixture m = GaussianMixture.twoModes(2, 8, 0.3);
        // closed form at beta = 1 against quadrature of the same Boltzmann factor
        double[] q = Quadrature.boltzmann2d((a, b) -> m.energy(new double[] {a, b}, 0), 1, new double[] {-6, 6, -3, 3}, 60);
        assertEquals(Math.log(2 * Math.PI), m.logZ(1).getAsDouble(), 1e-12);
        assertEquals(q[0], m.logZ(1).getAsDouble(), 1e-9);
        Map<String, Double> ex = m.exactExpectations(1);
        assertEquals(0.3, ex.get("mode0"), 1e-12);
        assertEquals(0.7, ex.get("mode1"), 1e-12);
        assertEquals(0.3 * -4 + 0.7 * 4, ex.get("x0"), 1e-9);
        // one component: Z(beta) = w^beta (2 pi sigma^2 / beta)^{D/2} for any beta (quadrature path)
        GaussianMixture one = new GaussianMixture(new double[] {1}, new double[][] {{0.5, -1}}, new double[] {0.8});
        double beta = 2.5;
        assertEquals(Math.log(2 * Math.PI * 0.64 / beta), one.logZ(beta).getAsDouble(), 1e-9);
        assertEquals("quadrature", one.logZMethod(beta));
        assertTrue(GaussianMixture.twoModes(3, 8, 0.3).logZ(2).isEmpty());
    }

    @Test
    void doubleWellReferences() {
        // c = 0, b > 0: a Gaussian with variance 1/(2 b beta) in x0
        DoubleWell g = new DoubleWell(3, 0, 0.5, 0);
        assertEquals(1.5 * Math.log(2 * Math.PI / 1.7), g.logZ(1.7).getAsDouble(), 1e-12);
        DoubleWell m = new DoubleWell(2);
        Map<String, Double> ex = m.exactExpectations(1);
        assertEquals(0.5, ex.get("right"), 1e-12);
        assertEquals(0, ex.get("x0"), 1e-12);
        // a tilt a > 0 raises the right well: its weight must drop, consistently with a direct average
        DoubleWell tilted = new DoubleWell(2, 0.5, -4, 1);
        double right = tilted.exactExpectations(1).get("right");
        assertTrue(right < 0.5);
        double direct = Quadrature.boltzmannAverage(tilted::u0, v -> v > 0 ? 1 : 0, 1, -3, 3);
        assertEquals(direct, right, 1e-6);
        // mean energy is -d ln Z / d beta
        double h = 1e-5;
        double fd = -(m.logZ(1 + h).getAsDouble() - m.logZ(1 - h).getAsDouble()) / (2 * h);
        assertEquals(fd, ex.get("U"), 1e-7);
    }

    @Test
    void mullerBrownReferences() {
        MullerBrown m = new MullerBrown();
        assertEquals(-146.69951720995402, m.potential(-0.558223634633024, 1.441725841804669), 1e-9);
        double beta = 0.05;
        double lz = m.logZ(beta).getAsDouble();
        // the same integral with half as many panels agrees: the quadrature has converged
        double[] coarse = Quadrature.boltzmann2d(m::potential, beta, new double[] {-1.8, 1.3, -0.5, 2.2}, 50);
        assertEquals(coarse[0], lz, 1e-9 * Math.abs(lz));
        double h = 1e-4;
        double fd = -(m.logZ(beta + h).getAsDouble() - m.logZ(beta - h).getAsDouble()) / (2 * h);
        assertEquals(fd, m.exactExpectations(beta).get("U"), 1e-5 * Math.abs(fd));
    }

    @Test
    void parseSpecifications() {
        EnergyModel i = Systems.parse("ising:L=6,J=0.5");
        assertEquals(36, i.dimension());
        assertEquals("ising", i.name());
        assertEquals(2, Systems.parse("gmm").dimension());
        assertEquals(5, Systems.parse("double-well:D=5").dimension());
        assertEquals("muller-brown", Systems.parse("muller-brown:scale=0.1").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Systems.parse("ising:Q=3"));
        assertTrue(e.getMessage().contains("unknown parameter 'Q'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Systems.parse("potts"));
        assertThrows(IllegalArgumentException.class, () -> Systems.parse("ising:L=x"));
    }
}
