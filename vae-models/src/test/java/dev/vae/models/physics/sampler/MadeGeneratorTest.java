package dev.vae.models.physics.sampler;

import dev.vae.api.Backend;
import dev.vae.api.Backends;
import dev.vae.api.DType;
import dev.vae.api.GradMode;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.random.Rng;
import dev.vae.models.physics.IsingModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MadeGeneratorTest {
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.open("jvm");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /** All 2^n spin configurations, row-major. */
    private static double[] all(int n) {
        double[] x = new double[(1 << n) * n];
        for (int c = 0; c < 1 << n; c++) {
            for (int i = 0; i < n; i++) {
                x[c * n + i] = ((c >> i) & 1) == 1 ? 1 : -1;
            }
        }
        return x;
    }

    @Test
    void logitOfSiteIDependsOnlyOnEarlierSites() {
        int n = 6;
        try (MadeGenerator g = new MadeGenerator(backend, n, new int[] {12, 12}, false, DType.FLOAT64, new Rng(1));
             Scope s = Scope.open(); GradMode.Guard gm = GradMode.disable()) {
            double[] x = all(n);
            double[] logits = g.forward(backend.tensor(x, 1 << n, n)).toDoubles();
            for (int c = 0; c < 1 << n; c++) {
                for (int j = 0; j < n; j++) {
                    int flipped = c ^ (1 << j);
                    for (int i = 0; i <= j; i++) {
                        // flipping s_j (j >= i) must not change logit i
                        assertEquals(logits[c * n + i], logits[flipped * n + i], 1e-12, "site " + i + " saw site " + j);
                    }
                }
            }
            // and some logit does depend on an earlier site (the mask is not all zeros)
            assertTrue(Math.abs(logits[0 * n + n - 1] - logits[1 * n + n - 1]) > 1e-6);
        }
    }

    @Test
    void densityIsNormalisedAndMatchesSampleFrequencies() {
        int n = 4;
        for (boolean symmetric : new boolean[] {false, true}) {
            try (MadeGenerator g = new MadeGenerator(backend, n, new int[] {8}, symmetric, DType.FLOAT64, new Rng(2));
                 Scope s = Scope.open()) {
                double[] lq;
                try (GradMode.Guard gm = GradMode.disable()) {
                    lq = g.logQ(backend.tensor(all(n), 1 << n, n)).toDoubles();
                }
                double total = 0;
                for (double v : lq) {
                    total += Math.exp(v);
                }
                assertEquals(1, total, 1e-12, "sum of q over all configurations (symmetric=" + symmetric + ")");
                if (symmetric) {
                    for (int c = 0; c < 1 << n; c++) {
                        assertEquals(lq[c], lq[(1 << n) - 1 - c], 1e-12, "q(s) = q(-s)");
                    }
                }
                int m = 40_000;
                Generator.Draw d = g.draw(m, new Rng(3));
                int[] counts = new int[1 << n];
                for (int k = 0; k < m; k++) {
                    int c = 0;
                    for (int i = 0; i < n; i++) {
                        c |= (d.x()[k * n + i] > 0 ? 1 : 0) << i;
                    }
                    counts[c]++;
                    assertEquals(lq[c], d.logQ()[k], 1e-9, "reported ln q of a drawn sample");
                }
                for (int c = 0; c < 1 << n; c++) {
                    double p = Math.exp(lq[c]);
                    double sd = Math.sqrt(m * p * (1 - p));
                    // 16 cells at 4.5 sd: a false alarm has probability ~1e-4
                    assertEquals(m * p, counts[c], 4.5 * sd + 1, "frequency of configuration " + c);
                }
            }
        }
    }

    @Test
    void isingFourByFourFreeEnergyToOnePartIn10000() {
        // the acceptance criterion: |F_IS - F| / |F| < 1e-4 and within three error bars. A flip-
        // symmetric network with one hidden layer of 32 reaches an effective sample fraction ~0.95
        // in 400 steps, so 200,000 draws give an error bar of ~3e-5 relative.
        IsingModel m = new IsingModel(4);
        double beta = 0.44;
        try (MadeGenerator g = new MadeGenerator(backend, 16, new int[] {32}, true, DType.FLOAT32, new Rng(4))) {
            FreeEnergyTrainer.Config cfg = FreeEnergyTrainer.Config.of(400, 500).withLearningRate(5e-3, 5e-4);
            FreeEnergyTrainer.train(g, m, beta, cfg, null, new Rng(5), null);
            FreeEnergyReport r = FreeEnergyEstimator.estimate(g, m, beta, 200_000, 20_000, new Rng(6), null);
            double exact = m.freeEnergy(beta).getAsDouble();
            assertTrue(r.importanceFreeEnergy().within(exact, 3), r.importanceFreeEnergy() + " vs " + exact);
            assertTrue(r.relativeError() < 1e-4, "relative error " + r.relativeError());
            assertTrue(r.variationalBound().value() > exact, "the variational bound lies above F");
            assertTrue(r.essFraction() > 0.5, "effective sample fraction " + r.essFraction());
            assertTrue(r.reweighted().get("e").within(r.exact().get("e"), 3), "energy " + r.reweighted().get("e"));
            assertTrue(r.reweighted().get("|m|").within(r.exact().get("|m|"), 3), "|m| " + r.reweighted().get("|m|"));
            assertTrue(r.reweighted().get("c").within(r.exact().get("c"), 3), "c " + r.reweighted().get("c"));
            assertTrue(r.imh().get("e").estimate().within(r.exact().get("e"), 3), "chain energy " + r.imh().get("e").estimate());
            assertTrue(r.imhAcceptance() > 0.5);
        }
    }
}
