package dev.vae.models.physics.mcmc;

import dev.vae.api.random.Rng;
import dev.vae.models.physics.IsingModel;
import dev.vae.models.physics.exact.IsingExact;
import dev.vae.models.physics.stats.Autocorrelation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IsingMonteCarloTest {
    private static void assertWithin(double exact, Autocorrelation.Analysis a, String what) {
        assertTrue(Math.abs(a.mean() - exact) <= 3 * a.error(),
                what + ": " + a.mean() + " ± " + a.error() + " vs exact " + exact + " (tau " + a.tau() + ")");
    }

    @Test
    void metropolisMatchesEnumerationOnFourByFour() {
        for (double beta : new double[] {0.3, 0.44, 0.6}) {
            IsingModel m = new IsingModel(4);
            IsingExact.Enumeration ex = IsingExact.enumerate(4, 1, 0, beta);
            ChainSamples s = new IsingMonteCarlo(m, beta, new Rng(21)).run(IsingMonteCarlo.Algorithm.METROPOLIS, 500, 40_000, 1, false, null);
            assertWithin(ex.energyPerSite(), s.analysis("e"), "metropolis e at beta " + beta);
            assertWithin(ex.absMagnetisationPerSite(), s.analysis("|m|"), "metropolis |m| at beta " + beta);
            assertTrue(s.acceptance() > 0 && s.acceptance() < 1);
        }
    }

    @Test
    void metropolisInAFieldMatchesEnumeration() {
        IsingModel m = new IsingModel(3, 1, 0.3);
        IsingExact.Enumeration ex = IsingExact.enumerate(3, 1, 0.3, 0.5);
        ChainSamples s = new IsingMonteCarlo(m, 0.5, new Rng(22)).run(IsingMonteCarlo.Algorithm.METROPOLIS, 500, 40_000, 1, false, null);
        assertWithin(ex.energyPerSite(), s.analysis("e"), "e in a field");
    }

    @Test
    void wolffMatchesKaufmanAndDecorrelatesFaster() {
        double beta = 0.44;
        IsingModel m = new IsingModel(8);
        double exact = IsingExact.energyPerSite(8, 1, beta);
        ChainSamples w = new IsingMonteCarlo(m, beta, new Rng(23)).run(IsingMonteCarlo.Algorithm.WOLFF, 200, 20_000, 1, false, null);
        ChainSamples p = new IsingMonteCarlo(m, beta, new Rng(24)).run(IsingMonteCarlo.Algorithm.METROPOLIS, 500, 20_000, 1, false, null);
        assertWithin(exact, w.analysis("e"), "wolff e");
        assertWithin(exact, p.analysis("e"), "metropolis e");
        // near criticality, clusters decorrelate |m| several times faster per sweep
        double tw = w.analysis("|m|").tau();
        double tp = p.analysis("|m|").tau();
        assertTrue(tw * 3 < tp, "tau(|m|): wolff " + tw + ", metropolis " + tp);
        // wolff and metropolis agree with each other
        Autocorrelation.Analysis aw = w.analysis("|m|");
        Autocorrelation.Analysis ap = p.analysis("|m|");
        double diff = Math.abs(aw.mean() - ap.mean());
        assertTrue(diff < 3 * Math.hypot(aw.error(), ap.error()), "|m|: " + aw.mean() + " vs " + ap.mean());
    }

    @Test
    void storedConfigurationsMatchRecordedObservables() {
        IsingModel m = new IsingModel(5);
        ChainSamples s = new IsingMonteCarlo(m, 0.4, new Rng(25)).run(IsingMonteCarlo.Algorithm.WOLFF, 10, 50, 2, true, null);
        assertEquals(50, s.storedConfigurations());
        float[] c = s.configurations();
        double[] e = s.series("e")[0];
        for (int k = 0; k < 50; k++) {
            double[] x = new double[25];
            for (int i = 0; i < 25; i++) {
                x[i] = c[k * 25 + i];
                assertTrue(x[i] == 1 || x[i] == -1);
            }
            assertEquals(m.energy(x, 0) / 25, e[k], 1e-12);
        }
    }

    @Test
    void reproducibleFromTheSeed() {
        IsingModel m = new IsingModel(6);
        ChainSamples a = new IsingMonteCarlo(m, 0.4, new Rng(9)).run(IsingMonteCarlo.Algorithm.METROPOLIS, 5, 100, 1, false, null);
        ChainSamples b = new IsingMonteCarlo(m, 0.4, new Rng(9)).run(IsingMonteCarlo.Algorithm.METROPOLIS, 5, 100, 1, false, null);
        assertArrayEquals(a.series("e")[0], b.series("e")[0]);
        assertThrows(IllegalArgumentException.class,
                () -> new IsingMonteCarlo(new IsingModel(4, 1, 0.1), 0.4, new Rng(1)).run(IsingMonteCarlo.Algorithm.WOLFF, 1, 1, 1, false, null));
    }
}
