package dev.vae.api.objective;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.ShapeException;
import dev.vae.api.Tensor;
import dev.vae.api.dist.DiagonalGaussian;
import dev.vae.api.dist.Distribution;
import dev.vae.api.dist.StandardNormal;
import dev.vae.api.nn.TestBackend;
import dev.vae.api.random.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.vae.api.nn.TestBackend.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NegativeElboTest {
    static final int B = 4;
    static final int X = 5;
    static final int L = 2;
    static final double[] DATA = {1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1, 1};
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

    NegativeElbo.Terms run(NegativeElbo obj, long seed) {
        return obj.compute(b.tensor(DATA, B, X), vae::encode, vae::decode, prior, new Rng(seed));
    }

    @Test
    void termsMatchHandComputation() {
        double beta = 0.7;
        NegativeElbo.Terms t = run(new NegativeElbo(beta), 8);
        double[] eps = new Rng(8).normalDoubles(B * L);
        double recon = 0;
        double kl = 0;
        double[] klDim = new double[L];
        for (int n = 0; n < B; n++) {
            double[] xr = ToyVae.row(DATA, n, X);
            double[] mu = ToyVae.affine(vae.fcMu, xr);
            double[] lv = ToyVae.affine(vae.fcLv, xr);
            double[] z = new double[L];
            for (int i = 0; i < L; i++) {
                z[i] = mu[i] + Math.exp(0.5 * lv[i]) * eps[n * L + i];
                double k = 0.5 * (Math.exp(lv[i]) + mu[i] * mu[i] - 1 - lv[i]);
                kl += k;
                klDim[i] += k / B;
            }
            recon -= vae.logPx(xr, z);
        }
        assertClose(recon, t.reconstruction().item(), 1e-12, "reconstruction");
        assertClose(kl, t.kl().item(), 1e-12, "kl");
        assertClose(klDim, t.klPerDim().toDoubles(), 1e-12, "kl per dim");
        assertArrayEquals(new int[] {L}, t.klPerDim().shape());
        assertClose(recon + beta * kl, t.loss().item(), 1e-12, "loss");
        assertEquals(B, t.batchSize());
        assertArrayEquals(new int[] {B, L}, t.z().shape());
        assertEquals(0, t.loss().rank());
    }

    @Test
    void lossGradientMatchesFiniteDifferences() {
        NegativeElbo obj = new NegativeElbo(1.5);
        run(obj, 3).loss().backward();
        Map<String, Tensor> params = vae.parameters();
        for (String name : new String[] {"fc21.weight", "fc22.bias", "fc3.weight"}) {
            Tensor p = params.get(name);
            double[] grad = p.grad().toDoubles();
            double[] v = p.toDoubles();
            double h = 1e-6;
            for (int i = 0; i < v.length; i += 3) {
                double[] plus = v.clone();
                double[] minus = v.clone();
                plus[i] += h;
                minus[i] -= h;
                p.assign(b.tensor(plus, p.shape()));
                double fp = run(obj, 3).loss().item();
                p.assign(b.tensor(minus, p.shape()));
                double fm = run(obj, 3).loss().item();
                p.assign(b.tensor(v, p.shape()));
                assertEquals((fp - fm) / (2 * h), grad[i], 1e-6 * Math.max(1, Math.abs(grad[i])), name + "[" + i + "]");
            }
        }
    }

    @Test
    void monteCarloKlAndFreeBits() {
        NegativeElbo.Terms analytic = run(new NegativeElbo(1.0), 5);
        NegativeElbo.Terms mc = run(new NegativeElbo(1.0, 0, NegativeElbo.KlMode.MONTE_CARLO), 5);
        double[] eps = new Rng(5).normalDoubles(B * L);
        double klMc = 0;
        for (int n = 0; n < B; n++) {
            double[] xr = ToyVae.row(DATA, n, X);
            double[] mu = ToyVae.affine(vae.fcMu, xr);
            double[] lv = ToyVae.affine(vae.fcLv, xr);
            double[] z = new double[L];
            for (int i = 0; i < L; i++) {
                z[i] = mu[i] + Math.exp(0.5 * lv[i]) * eps[n * L + i];
            }
            klMc += ToyVae.logNormal(z, mu, lv) - ToyVae.logNormal(z, new double[L], new double[L]);
        }
        assertClose(klMc, mc.kl().item(), 1e-12, "Monte-Carlo kl");
        assertClose(analytic.reconstruction().item(), mc.reconstruction().item(), 1e-14, "same noise, same reconstruction");
        assertNotNull(mc.klPerDim());

        double lambda = 50;
        NegativeElbo.Terms fb = run(new NegativeElbo(2.0, lambda, NegativeElbo.KlMode.ANALYTIC), 5);
        assertClose(analytic.reconstruction().item() + 2.0 * B * L * lambda, fb.loss().item(), 1e-12, "free bits clamp");
        assertClose(analytic.kl().item(), fb.kl().item(), 1e-14, "free bits keep the true kl");
        assertThrows(IllegalArgumentException.class, () -> new NegativeElbo(1, 0.5, NegativeElbo.KlMode.MONTE_CARLO));
        assertThrows(IllegalArgumentException.class, () -> new NegativeElbo(-1));
    }

    @Test
    void priorsAndErrors() {
        Tensor x = b.tensor(DATA, B, X);
        DiagonalGaussian gaussPrior = new DiagonalGaussian(b.zeros(DType.FLOAT64, L), b.zeros(DType.FLOAT64, L));
        double viaStd = run(new NegativeElbo(), 1).loss().item();
        double viaGauss = new NegativeElbo().compute(x, vae::encode, vae::decode, gaussPrior, new Rng(1)).loss().item();
        assertClose(viaStd, viaGauss, 1e-12, "N(0,1) as a DiagonalGaussian prior");

        Distribution opaque = new Distribution() {
            @Override
            public Tensor logProb(Tensor v) {
                return prior.logProb(v);
            }

            @Override
            public Tensor sample(Rng rng) {
                return prior.sample(rng);
            }

            @Override
            public Tensor mean() {
                return prior.mean();
            }
        };
        assertThrows(IllegalArgumentException.class,
                () -> new NegativeElbo().compute(x, vae::encode, vae::decode, opaque, new Rng(1)));
        NegativeElbo.Terms t = new NegativeElbo(1, 0, NegativeElbo.KlMode.MONTE_CARLO)
                .compute(x, vae::encode, vae::decode, opaque, new Rng(1));
        assertEquals(null, t.klPerDim());
        assertTrue(Double.isFinite(t.loss().item()));
        StandardNormal wrong = new StandardNormal(b, DType.FLOAT64, L + 1);
        assertThrows(ShapeException.class, () -> new NegativeElbo().compute(x, vae::encode, vae::decode, wrong, new Rng(1)));
    }
}
