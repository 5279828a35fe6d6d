package dev.vae.api.dist;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.nn.TestBackend;
import dev.vae.api.random.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.vae.api.nn.TestBackend.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BernoulliTest {
    static Backend b;
    Scope scope;

    @BeforeAll
    static void open() {
        b = TestBackend.open();
    }

    @AfterAll
    static void close() {
        b.close();
    }

    @BeforeEach
    void openScope() {
        scope = Scope.open();
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }

    static double softplus(double l) {
        return Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
    }

    @Test
    void logProbMatchesClosedForm() {
        double[] l = {-2, 0.5, 3, 0, -0.1, 1.7};
        double[] x = {0, 1, 1, 0.25, 1, 0};
        Tensor lp = new Bernoulli(b.tensor(l, 2, 3)).logProb(b.tensor(x, 2, 3));
        assertArrayEquals(new int[] {2}, lp.shape());
        double[] expected = new double[2];
        for (int i = 0; i < 6; i++) {
            double p = 1 / (1 + Math.exp(-l[i]));
            expected[i / 3] += x[i] * Math.log(p) + (1 - x[i]) * Math.log(1 - p);
        }
        assertClose(expected, lp.toDoubles(), 1e-12, "logProb");
    }

    @Test
    void logProbIsStableAtExtremeLogits() {
        for (DType dt : DType.values()) {
            double[] l = {100, 100, -100, -100};
            double[] x = {1, 0, 1, 0};
            Tensor logits = b.tensor(l, dt, 4, 1).requiresGrad(true);
            Tensor lp = new Bernoulli(logits).logProb(b.tensor(x, dt, 4, 1));
            double[] v = lp.toDoubles();
            double[] expected = {-softplus(-100), -100, -100, -softplus(-100)};
            assertClose(expected, v, 1e-6, "logProb at +-100 in " + dt);
            lp.sum().backward();
            double[] g = logits.grad().toDoubles();
            for (int i = 0; i < 4; i++) {
                assertTrue(Double.isFinite(g[i]), dt + " gradient " + i + " is " + g[i]);
                assertEquals(x[i] - 1 / (1 + Math.exp(-l[i])), g[i], 1e-6, dt + " gradient " + i);
            }
            logits.zeroGrad();
        }
    }

    @Test
    void sampleCompareUniformsWithProbabilities() {
        double[] l = {-3, -1, 0, 0.5, 2, 4};
        Bernoulli d = new Bernoulli(b.tensor(l, 2, 3));
        Tensor s = d.sample(new Rng(5));
        assertFalse(s.requiresGrad());
        double[] u = new Rng(5).uniformDoubles(6);
        double[] expected = new double[6];
        for (int i = 0; i < 6; i++) {
            expected[i] = u[i] < 1 / (1 + Math.exp(-l[i])) ? 1 : 0;
        }
        assertArrayEquals(expected, s.toDoubles(), 0.0);
        // frequencies
        int n = 4000;
        Bernoulli many = new Bernoulli(b.full(0.8, DType.FLOAT64, n, 1));
        double mean = many.sample(new Rng(6)).mean().item();
        double p = 1 / (1 + Math.exp(-0.8));
        assertEquals(p, mean, 4 * Math.sqrt(p * (1 - p) / n));
        assertClose(new double[] {p}, new double[] {many.mean().toDoubles()[0]}, 1e-14, "mean");
    }

    @Test
    void broadcastsTargetsAgainstLogitsAndEntropy() {
        double[] l = new Rng(2).normalDoubles(2 * 3 * 4);
        double[] x = {1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0};
        Tensor lp = new Bernoulli(b.tensor(l, 2, 3, 4)).logProb(b.tensor(x, 3, 4));
        assertArrayEquals(new int[] {2, 3}, lp.shape());
        double[] expected = new double[6];
        double[] ent = new double[6];
        for (int i = 0; i < 24; i++) {
            double xi = x[i % 12];
            expected[i / 4] += xi * l[i] - softplus(l[i]);
            double p = 1 / (1 + Math.exp(-l[i]));
            ent[i / 4] -= p * Math.log(p) + (1 - p) * Math.log(1 - p);
        }
        assertClose(expected, lp.toDoubles(), 1e-12, "broadcast logProb");
        assertClose(ent, new Bernoulli(b.tensor(l, 2, 3, 4)).entropy().toDoubles(), 1e-12, "entropy");
    }
}
