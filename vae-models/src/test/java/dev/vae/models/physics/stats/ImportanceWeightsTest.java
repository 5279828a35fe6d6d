package dev.vae.models.physics.stats;

import dev.vae.api.random.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImportanceWeightsTest {
    private static final double LOG_Z = 0.5 * Math.log(2 * Math.PI);

    /** Samples from N(mu, s^2) with log-weights for the target exp(-x^2/2) (beta = 1). */
    private static double[][] draw(double mu, double s, int n, Rng rng) {
        double[] x = rng.normalDoubles(n);
        double[] lw = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = mu + s * x[i];
            double z = (x[i] - mu) / s;
            double logq = -0.5 * z * z - Math.log(s) - LOG_Z;
            lw[i] = -0.5 * x[i] * x[i] - logq;
        }
        return new double[][] {x, lw};
    }

    @Test
    void exactProposalGivesExactAnswers() {
        double[][] d = draw(0, 1, 1000, new Rng(1));
        ImportanceWeights w = new ImportanceWeights(d[1]);
        assertEquals(LOG_Z, w.logZ().value(), 1e-12);
        assertEquals(0, w.logZ().error(), 1e-12);
        assertEquals(1000, w.kishEss(), 1e-9);
        assertEquals(-LOG_Z, w.variationalFreeEnergy(1).value(), 1e-12);
        assertEquals(-LOG_Z / 2, w.freeEnergy(2).value(), 1e-12);
    }

    @Test
    void mismatchedProposal() {
        double mu = 0.3;
        double s = 1.3;
        double[][] d = draw(mu, s, 20_000, new Rng(2));
        ImportanceWeights w = new ImportanceWeights(d[1]);
        assertTrue(w.logZ().within(LOG_Z, 3), w.logZ() + " vs " + LOG_Z);
        // the bound exceeds F by KL(q || p) = ln(1/s) + (s^2 + mu^2)/2 - 1/2, known exactly
        double kl = -Math.log(s) + (s * s + mu * mu) / 2 - 0.5;
        Estimate bound = w.variationalFreeEnergy(1);
        assertTrue(bound.within(-LOG_Z + kl, 3), bound + " vs " + (-LOG_Z + kl));
        assertTrue(bound.value() > w.freeEnergy(1).value() + 3 * bound.error());
        assertTrue(w.reweight(d[0]).within(0, 3), "mean " + w.reweight(d[0]));
        assertTrue(w.reweightVariance(d[0]).within(1, 3), "variance " + w.reweightVariance(d[0]));
        assertTrue(w.essFraction() > 0.5 && w.essFraction() < 1);
    }

    @Test
    void errorBarsAreCalibrated() {
        // 300 replicas of 2000 samples: the 95% intervals of ln Z and of <x> should cover ~95%
        Rng rng = new Rng(3);
        int reps = 300;
        int coverZ = 0;
        int coverX = 0;
        for (int r = 0; r < reps; r++) {
            double[][] d = draw(0.3, 1.3, 2000, rng);
            ImportanceWeights w = new ImportanceWeights(d[1]);
            coverZ += w.logZ().within(LOG_Z, 1.96) ? 1 : 0;
            coverX += w.reweight(d[0]).within(0, 1.96) ? 1 : 0;
        }
        assertTrue(coverZ > 0.89 * reps && coverZ < 0.99 * reps, "ln Z coverage " + coverZ / (double) reps);
        assertTrue(coverX > 0.89 * reps && coverX < 0.99 * reps, "<x> coverage " + coverX / (double) reps);
    }

    @Test
    void hugeLogWeightsDoNotOverflow() {
        ImportanceWeights w = new ImportanceWeights(new double[] {1e4, 1e4 + Math.log(3), Double.NEGATIVE_INFINITY});
        assertEquals(1e4 + Math.log(4.0 / 3), w.logZ().value(), 1e-9);
        assertEquals(16.0 / 10, w.kishEss(), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, ImportanceWeights.logSumExp(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new ImportanceWeights(new double[] {Double.NaN}));
    }
}
