package dev.vae.models.physics.stats;

import dev.vae.api.random.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutocorrelationTest {
    /** AR(1) x_t = phi x_{t-1} + sqrt(1 - phi^2) e_t, stationary N(0, 1), tau_int = (1 + phi) / (2 (1 - phi)). */
    static double[] ar1(double phi, int n, Rng rng) {
        double[] e = rng.normalDoubles(n);
        double[] x = new double[n];
        x[0] = e[0];
        double s = Math.sqrt(1 - phi * phi);
        for (int t = 1; t < n; t++) {
            x[t] = phi * x[t - 1] + s * e[t];
        }
        return x;
    }

    @Test
    void ar1IntegratedTime() {
        double phi = 0.9;
        double exact = (1 + phi) / (2 * (1 - phi));
        Autocorrelation.Analysis a = Autocorrelation.analyze(ar1(phi, 200_000, new Rng(3)));
        // statistical error of tau ~ tau sqrt(2 (2M + 1) / n) ~ 3%, window bias ~ 0.6%: allow 10%
        assertEquals(exact, a.tau(), 0.1 * exact);
        assertEquals(200_000 / (2 * a.tau()), a.ess(), 1e-6);
        assertTrue(a.window() >= 5 * a.tau() && a.window() < 10 * a.tau(), "window " + a.window());
        assertTrue(a.reliable());
        assertEquals(1.0, a.variance(), 0.1);
    }

    @Test
    void independentSamplesHaveTauOneHalf() {
        Autocorrelation.Analysis a = Autocorrelation.analyze(new Rng(4).normalDoubles(50_000));
        assertEquals(0.5, a.tau(), 0.03);
        assertEquals(50_000, a.ess(), 0.06 * 50_000);
        double[] rho = Autocorrelation.function(new double[][] {new Rng(5).normalDoubles(1000)});
        assertEquals(1, rho[0], 1e-12);
        assertTrue(Math.abs(rho[1]) < 0.1);
    }

    @Test
    void errorBarsAreCalibrated() {
        // 300 independent AR(1) chains (phi = 0.7, tau = 2.83) of length 2000 with mean 0: the
        // fraction whose |mean| is within 1.96 errors should be ~0.95 (binomial sd 0.013)
        Rng rng = new Rng(6);
        int inside = 0;
        int reps = 300;
        for (int r = 0; r < reps; r++) {
            Autocorrelation.Analysis a = Autocorrelation.analyze(ar1(0.7, 2000, rng));
            if (Math.abs(a.mean()) <= 1.96 * a.error()) {
                inside++;
            }
        }
        double f = (double) inside / reps;
        assertTrue(f > 0.89 && f < 0.99, "coverage of the 95% interval: " + f);
        // ignoring the correlation (tau = 1/2) would give a coverage near 0.6: the test can fail
    }

    @Test
    void chainsArePooled() {
        Rng rng = new Rng(7);
        double[][] chains = new double[16][];
        for (int c = 0; c < chains.length; c++) {
            chains[c] = ar1(0.8, 5000, rng);
        }
        Autocorrelation.Analysis a = Autocorrelation.analyze(chains);
        assertEquals(16, a.chains());
        assertEquals(80_000, a.samples());
        assertEquals(4.5, a.tau(), 0.45);
        // a short chain is flagged
        assertFalse(Autocorrelation.analyze(ar1(0.99, 500, rng)).reliable());
    }

    @Test
    void constantSeries() {
        Autocorrelation.Analysis a = Autocorrelation.analyze(new double[] {2, 2, 2, 2});
        assertEquals(2, a.mean(), 0);
        assertEquals(0, a.error(), 0);
        assertEquals(0.5, a.tau(), 0);
    }
}
