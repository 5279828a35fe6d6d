package dev.vae.models.physics.mcmc;

import dev.vae.api.random.Rng;
import dev.vae.models.physics.stats.Autocorrelation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndependenceMetropolisTest {
    @Test
    void correctsABroadProposalToTheMixture() {
        // target 0.3 N(-3, 1) + 0.7 N(3, 1); proposal N(0, 3^2), known exactly
        int n = 60_000;
        Rng rng = new Rng(11);
        double[] x = rng.normalDoubles(n);
        double[] lw = new double[n];
        double[] left = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] *= 3;
            double p = 0.3 * Math.exp(-0.5 * (x[i] + 3) * (x[i] + 3)) + 0.7 * Math.exp(-0.5 * (x[i] - 3) * (x[i] - 3));
            double logq = -0.5 * x[i] * x[i] / 9 - Math.log(3);
            lw[i] = Math.log(p) - logq;
            left[i] = x[i] < 0 ? 1 : 0;
        }
        IndependenceMetropolis.Result r = IndependenceMetropolis.run(lw, new Rng(12));
        assertTrue(r.acceptance() > 0.2 && r.acceptance() < 0.9, "acceptance " + r.acceptance());
        Autocorrelation.Analysis a = Autocorrelation.analyze(r.along(left));
        // P(x < 0) = 0.3 up to the 2e-4 of each mode on the wrong side
        double truth = 0.3 * 0.99865 + 0.7 * 0.00135;
        assertTrue(Math.abs(a.mean() - truth) < 3 * a.error(), a.mean() + " ± " + a.error());
        assertTrue(Math.abs(a.mean() - truth) < 0.02);
        // without the correction the proposal puts half of its mass on each side
        double raw = 0;
        for (double v : left) {
            raw += v;
        }
        assertEquals(0.5, raw / n, 0.01);
    }

    @Test
    void exactProposalAcceptsEverything() {
        IndependenceMetropolis.Result r = IndependenceMetropolis.run(new double[] {1, 1, 1, 1}, new Rng(1));
        assertEquals(1, r.acceptance(), 0);
        assertEquals(3, r.states()[3]);
        IndependenceMetropolis.Result s = IndependenceMetropolis.run(new double[] {0, Double.NaN, Double.NEGATIVE_INFINITY, 0}, new Rng(1));
        assertEquals(0, s.states()[2]);
    }
}
