package dev.vae.models.physics.mcmc;

import dev.vae.api.Backend;
import dev.vae.api.Backends;
import dev.vae.api.random.Rng;
import dev.vae.models.physics.DoubleWell;
import dev.vae.models.physics.EnergyModel;
import dev.vae.models.physics.GaussianMixture;
import dev.vae.models.physics.MullerBrown;
import dev.vae.models.physics.stats.Autocorrelation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContinuousMonteCarloTest {
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.open("jvm");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static void check(EnergyModel m, double beta, ChainSamples s, String... names) {
        Map<String, Double> ex = m.exactExpectations(beta);
        for (String name : names) {
            Autocorrelation.Analysis a = s.analysis(name);
            double exact = ex.get(name);
            assertTrue(Math.abs(a.mean() - exact) <= 3 * a.error(), m.name() + " " + s.algorithm() + " " + name + ": "
                    + a.mean() + " ± " + a.error() + " vs " + exact + " (tau " + a.tau() + ")");
        }
    }

    @Test
    void randomWalkOnTheDoubleWell() {
        DoubleWell m = new DoubleWell(2);
        ContinuousMonteCarlo mc = new ContinuousMonteCarlo(m, 1, 64, new Rng(31));
        ChainSamples s = mc.run(ContinuousMonteCarlo.Algorithm.RWM, null, 500, 3000, 2, false, null);
        check(m, 1, s, "U", "right", "x0");
        assertEquals(0.3, s.acceptance(), 0.1);
    }

    @Test
    void malaOnAnOverlappingMixture() {
        GaussianMixture m = GaussianMixture.twoModes(2, 3, 0.3);
        ContinuousMonteCarlo mc = new ContinuousMonteCarlo(m, 1, 64, new Rng(32));
        ChainSamples s = mc.run(ContinuousMonteCarlo.Algorithm.MALA, backend, 300, 2000, 1, false, null);
        check(m, 1, s, "U", "mode0", "x0");
        assertEquals(0.57, s.acceptance(), 0.1);
    }

    @Test
    void malaOnMullerBrownAtHighTemperature() {
        MullerBrown m = new MullerBrown();
        double beta = 0.03;
        ContinuousMonteCarlo mc = new ContinuousMonteCarlo(m, beta, 64, new Rng(33));
        ChainSamples s = mc.run(ContinuousMonteCarlo.Algorithm.MALA, backend, 500, 2000, 1, true, null);
        check(m, beta, s, "U", "x", "y");
        assertEquals(64 * 2000, s.storedConfigurations());
    }
}
