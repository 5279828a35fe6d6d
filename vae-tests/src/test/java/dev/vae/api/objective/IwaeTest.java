package dev.vae.api.objective;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.dist.StandardNormal;
import dev.vae.api.nn.TestBackend;
import dev.vae.api.random.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.vae.api.nn.TestBackend.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IwaeTest {
    static final int B = NegativeElboTest.B;
    static final int X = NegativeElboTest.X;
    static final int L = NegativeElboTest.L;
    static final double[] DATA = NegativeElboTest.DATA;
    static Backend b;
    Scope scope;
    ToyVae vae;
    StandardNormal prior;

    @BeforeAll
    static void open() {
        b = TestBackend.open();
    }

    @AfterAll
    static void close() {
        b.close();
    }

    @BeforeEach
    void setUp() {
        vae = new ToyVae(b, X, L, 42);
        prior = new StandardNormal(b, DType.FLOAT64, L);
        scope = Scope.open();
    }

    @AfterEach
    void tearDown() {
        scope.close();
        vae.close();
    }

    Iwae.Estimate run(Iwae obj, long seed) {
        return obj.compute(b.tensor(DATA, B, X), vae::encode, vae::decode, prior, new Rng(seed));
    }

    @Test
    void oneSampleEqualsTheMonteCarloElbo() {
        for (long seed = 1; seed <= 3; seed++) {
            Iwae.Estimate iw = run(new Iwae(1), seed);
            NegativeElbo.Terms elbo = new NegativeElbo(1, 0, NegativeElbo.KlMode.MONTE_CARLO)
                    .compute(b.tensor(DATA, B, X), vae::encode, vae::decode, prior, new Rng(seed));
            assertClose(elbo.loss().item(), iw.loss().item(), 1e-12, "IWAE(k=1) vs ELBO, seed " + seed);
        }
    }

    @Test
    void matchesHandComputedLogMeanExp() {
        int k = 3;
        Iwae.Estimate iw = run(new Iwae(k), 11);
        assertArrayEquals(new int[] {k, B}, iw.logWeights().shape());
        assertArrayEquals(new int[] {B}, iw.logLikelihood().shape());
        double[] eps = new Rng(11).normalDoubles(k * B * L);
        double[] expected = new double[B];
        double total = 0;
        for (int n = 0; n < B; n++) {
            double[] xr = ToyVae.row(DATA, n, X);
            double[] lw = new double[k];
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < k; i++) {
                double[] e = new double[L];
                System.arraycopy(eps, (i * B + n) * L, e, 0, L);
                lw[i] = vae.logWeight(xr, e);
                max = Math.max(max, lw[i]);
            }
            double s = 0;
            for (double v : lw) {
                s += Math.exp(v - max);
            }
            expected[n] = max + Math.log(s / k);
            total -= expected[n];
        }
        assertClose(expected, iw.logLikelihood().toDoubles(), 1e-12, "log-likelihood estimate");
        assertClose(total, iw.loss().item(), 1e-12, "loss");
    }

    @Test
    void boundIncreasesWithSamplesOnAverage() {
        double elbo = 0;
        double iwae = 0;
        int reps = 20;
        for (int r = 0; r < reps; r++) {
            elbo -= run(new Iwae(1), 100 + r).loss().item() / reps;
            iwae -= run(new Iwae(16), 200 + r).loss().item() / reps;
        }
        assertTrue(iwae > elbo, "E[L_16] = " + iwae + " should exceed E[L_1] = " + elbo);
    }

    @Test
    void chunkingWithAlignedRequestsGivesTheSameWeights() {
        // B * L * chunk is even: float64 requests end on block boundaries, so the noise is identical
        Tensor whole = run(new Iwae(4), 9).logWeights();
        Tensor chunked = run(new Iwae(4, 2), 9).logWeights();
        assertClose(whole.toDoubles(), chunked.toDoubles(), 1e-13, "chunked log-weights");
        Tensor ragged = run(new Iwae(5, 2), 9).logWeights();
        assertArrayEquals(new int[] {5, B}, ragged.shape());
    }

    @Test
    void gradientsFlowToEncoderAndDecoder() {
        run(new Iwae(5), 4).loss().backward();
        for (Tensor p : vae.parameters().values()) {
            assertNotNull(p.grad());
            double norm = 0;
            for (double g : p.grad().toDoubles()) {
                norm += g * g;
            }
            assertTrue(norm > 0 && Double.isFinite(norm));
            p.zeroGrad();
        }
        assertThrows(IllegalArgumentException.class, () -> new Iwae(0));
    }
}
