package dev.vae.models.eval;

import dev.vae.api.Backend;
import dev.vae.api.Backends;
import dev.vae.api.DType;
import dev.vae.api.GradMode;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.optim.Optimizer;
import dev.vae.api.random.Rng;
import dev.vae.models.TestData;
import dev.vae.models.data.DataSplit;
import dev.vae.models.train.OptimizerSpec;
import dev.vae.models.train.TrainConfig;
import dev.vae.models.train.Trainer;
import dev.vae.models.train.TrainingListener;
import dev.vae.models.vae.Activation;
import dev.vae.models.vae.Likelihood;
import dev.vae.models.vae.ParameterNaming;
import dev.vae.models.vae.VAE;
import dev.vae.models.vae.VaeConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On models small enough to integrate numerically (1-D and 2-D latent, a linear decoder to sixteen
 * Bernoulli outputs, float64), the importance-weighted estimate of −log p(x) approaches the
 * exact value from quadrature as k grows, and never lies above the negative ELBO.
 */
class IwaeExactTest {
    private static Backend backend;
    private static final int D = 16;

    @BeforeAll
    static void open() {
        backend = Backends.open("jvm");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static VAE trainedModel(int latent, DataSplit data) {
        VaeConfig c = new VaeConfig(D, List.of(8), List.of(), latent, Activation.TANH, Likelihood.BERNOULLI, 1.0,
                ParameterNaming.SEQUENTIAL, DType.FLOAT64, null);
        VAE m = new VAE(backend, c, new Rng(latent));
        try (Optimizer opt = OptimizerSpec.adam(1e-2).create(m.parameters())) {
            new Trainer(TrainConfig.recipe().withEpochs(1).withBatchSize(50).withOptimizer(OptimizerSpec.adam(1e-2))
                    .withEvaluation(false), TrainingListener.NONE).fit(m, opt, data.train(), null);
        }
        return m;
    }

    /** Exact mean of −log p(x) = −log ∫ p(x|z) N(z; 0, I) dz by the midpoint rule on a grid. */
    private static double exactNll(VAE m, double[] x, int n, int latent) {
        double lo = latent == 1 ? -9 : -6;
        double h = latent == 1 ? 0.002 : 0.04;
        int g = (int) Math.round(-2 * lo / h);
        int points = latent == 1 ? g : g * g;
        double[] z = new double[points * latent];
        double[] logPrior = new double[points];
        for (int p = 0; p < points; p++) {
            double sq = 0;
            for (int a = 0; a < latent; a++) {
                int idx = latent == 1 ? p : (a == 0 ? p / g : p % g);
                double v = lo + (idx + 0.5) * h;
                z[p * latent + a] = v;
                sq += v * v;
            }
            logPrior[p] = -0.5 * sq - 0.5 * latent * Math.log(2 * Math.PI) + latent * Math.log(h);
        }
        double[] logits;
        try (Scope s = Scope.open(); GradMode.Guard gm = GradMode.disable()) {
            logits = m.decodeRaw(backend.tensor(z, points, latent)).toDoubles();
        }
        double[] base = new double[points];
        for (int p = 0; p < points; p++) {
            double sp = 0;
            for (int j = 0; j < D; j++) {
                double l = logits[p * D + j];
                sp += l > 0 ? l + Math.log1p(Math.exp(-l)) : Math.log1p(Math.exp(l));
            }
            base[p] = logPrior[p] - sp;
        }
        double total = 0;
        double[] lw = new double[points];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < points; p++) {
                double ll = base[p];
                for (int j = 0; j < D; j++) {
                    ll += x[i * D + j] * logits[p * D + j];
                }
                lw[p] = ll;
                max = Math.max(max, ll);
            }
            double sum = 0;
            for (double v : lw) {
                sum += Math.exp(v - max);
            }
            total += -(max + Math.log(sum));
        }
        return total / n;
    }

    private static void check(int latent) {
        DataSplit grey = TestData.split(500, 100, D, latent, 3.0, 30 + latent);
        DataSplit data = new DataSplit(grey.train().binarized(new Rng(1)), grey.test().binarized(new Rng(2)));
        try (VAE m = trainedModel(latent, data); Tensor test = data.test().toTensor(backend).cast(DType.FLOAT64).untrack()) {
            double[] x = test.toDoubles();
            double exact = exactNll(m, x, data.test().size(), latent);
            IwaeReport k1 = Evaluator.iwae(m, test, 20, 1, 1, new Rng(1));
            IwaeReport k10 = Evaluator.iwae(m, test, 20, 10, 10, new Rng(2));
            IwaeReport kBig = Evaluator.iwae(m, test, 20, 2000, 500, new Rng(3));
            ElboReport elbo = Evaluator.elbo(m, test, 20, new Rng(4));
            String msg = "latent " + latent + ": exact " + exact + ", k=1 " + k1.negLogLikelihood() + ", k=10 "
                    + k10.negLogLikelihood() + ", k=2000 " + kBig.negLogLikelihood() + " ± " + kBig.standardError()
                    + ", elbo " + elbo.loss();
            // the bound tightens with k and converges to the exact value
            // with many samples the bound has converged to the exact value
            assertEquals(exact, kBig.negLogLikelihood(), 0.01, msg);
            // it tightens with k: one sample is the ELBO, well above; ten samples are close
            assertTrue(k1.negLogLikelihood() > exact + 0.1, msg);
            assertTrue(k1.negLogLikelihood() > k10.negLogLikelihood() + 0.1, msg);
            assertTrue(k10.negLogLikelihood() > exact - 0.05, msg);
            // IWAE >= ELBO: on the same samples the estimate of -log p(x) is never above the negative ELBO
            assertTrue(kBig.negLogLikelihood() <= kBig.negElbo(), msg);
            assertTrue(k10.negLogLikelihood() <= k10.negElbo(), msg);
            assertEquals(k1.negLogLikelihood(), k1.negElbo(), 1e-9, "with k = 1 IWAE is the ELBO");
            assertTrue(elbo.loss() - exact > 0.1, "the ELBO lies visibly below log p(x): " + msg);
        }
    }

    @Test
    void oneDimensionalLatent() {
        check(1);
    }

    @Test
    void twoDimensionalLatent() {
        check(2);
    }
}
