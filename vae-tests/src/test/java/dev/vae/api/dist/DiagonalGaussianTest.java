package dev.vae.api.dist;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.ShapeException;
import dev.vae.api.Tensor;
import dev.vae.api.nn.TestBackend;
import dev.vae.api.random.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static dev.vae.api.nn.TestBackend.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiagonalGaussianTest {
    static final double LOG_2PI = Math.log(2 * Math.PI);
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

    static final int N = 3;
    static final int D = 4;
    static final double[] MU = {0.1, -0.4, 1.5, 0, 2, -2, 0.3, 0.7, -1.1, 0.05, 0.6, -0.9};
    static final double[] LV = {0, -1, 0.5, 1.2, -2, 0.3, 0.8, -0.6, 1.5, -0.2, 0.1, -3};

    DiagonalGaussian q() {
        return new DiagonalGaussian(b.tensor(MU, N, D), b.tensor(LV, N, D));
    }

    @Test
    void logProbMatchesClosedFormWithBroadcasting() {
        double[] x = new Rng(3).normalDoubles(2 * N * D);
        Tensor lp = q().logProb(b.tensor(x, 2, N, D));
        assertArrayEquals(new int[] {2, N}, lp.shape());
        double[] expected = new double[2 * N];
        for (int k = 0; k < 2; k++) {
            for (int n = 0; n < N; n++) {
                double acc = 0;
                for (int d = 0; d < D; d++) {
                    int i = n * D + d;
                    double diff = x[k * N * D + i] - MU[i];
                    acc += -0.5 * (diff * diff / Math.exp(LV[i]) + LV[i] + LOG_2PI);
                }
                expected[k * N + n] = acc;
            }
        }
        assertClose(expected, lp.toDoubles(), 1e-12, "logProb");
    }

    @Test
    void entropyAndKlMatchClosedForms() {
        DiagonalGaussian q = q();
        double[] mu2 = {0.5, 0, -0.3, 1, 0.2, 0.2, -1, 0, 0.4, 0.9, -0.5, 0};
        double[] lv2 = {0.3, 0.3, -0.5, 0, 1, -1, 0.2, 0.4, 0, -0.7, 2, 0.5};
        DiagonalGaussian p = new DiagonalGaussian(b.tensor(mu2, N, D), b.tensor(lv2, N, D));
        double[] ent = new double[N];
        double[] klStd = new double[N];
        double[] klStdDim = new double[N * D];
        double[] kl = new double[N];
        for (int n = 0; n < N; n++) {
            for (int d = 0; d < D; d++) {
                int i = n * D + d;
                ent[n] += 0.5 * (1 + LOG_2PI + LV[i]);
                klStdDim[i] = 0.5 * (Math.exp(LV[i]) + MU[i] * MU[i] - 1 - LV[i]);
                klStd[n] += klStdDim[i];
                double v1 = Math.exp(LV[i]);
                double v2 = Math.exp(lv2[i]);
                kl[n] += 0.5 * (Math.log(v2 / v1) + (v1 + (MU[i] - mu2[i]) * (MU[i] - mu2[i])) / v2 - 1);
            }
        }
        assertClose(ent, q.entropy().toDoubles(), 1e-12, "entropy");
        assertClose(klStd, q.klToStandardNormal().toDoubles(), 1e-12, "kl to N(0,1)");
        assertClose(klStdDim, q.klPerDimToStandardNormal().toDoubles(), 1e-12, "kl per dim");
        assertArrayEquals(new int[] {N, D}, q.klPerDimToStandardNormal().shape());
        assertClose(kl, q.kl(p).toDoubles(), 1e-12, "kl(q, p)");
        assertClose(new double[N], q.kl(q).toDoubles(), 1e-12, "kl(q, q)");
        DiagonalGaussian std = new DiagonalGaussian(b.zeros(DType.FLOAT64, D), b.zeros(DType.FLOAT64, D));
        assertClose(klStd, q.kl(std).toDoubles(), 1e-12, "kl against a broadcast standard normal");
    }

    @Test
    void rsampleUsesBackendNormalsAndSampleIsDetached() {
        DiagonalGaussian q = q();
        double[] eps = new Rng(9).normalDoubles(N * D);
        Rng rng = new Rng(9);
        double[] z = q.rsample(rng).toDoubles();
        for (int i = 0; i < N * D; i++) {
            assertEquals(MU[i] + Math.exp(0.5 * LV[i]) * eps[i], z[i], 1e-12, "z[" + i + "]");
        }
        assertEquals((N * D + 1) / 2, rng.counter(), "rsample advanced the generator by one float64 block per two normals");
        double[] zk = q.rsample(new Rng(9), 1).toDoubles();
        assertArrayEquals(z, zk, 0.0, "rsample(rng, 1) uses the same noise");
        Tensor mu = b.tensor(MU, N, D).requiresGrad(true);
        DiagonalGaussian qg = new DiagonalGaussian(mu, b.tensor(LV, N, D));
        assertTrue(qg.rsample(new Rng(1)).requiresGrad());
        assertFalse(qg.sample(new Rng(1)).requiresGrad());
        assertArrayEquals(qg.rsample(new Rng(1)).toDoubles(), qg.sample(new Rng(1)).toDoubles(), 0.0);
        assertArrayEquals(new int[] {5, N, D}, q.rsample(new Rng(1), 5).shape());
        assertClose(MU, q.mean().toDoubles(), 0, "mean");
        assertClose(new double[] {Math.exp(0.5 * LV[0])}, new double[] {q.std().toDoubles()[0]}, 1e-15, "std");
    }

    /** Gradient of a scalar function of (mu, logvar) by central differences. */
    static double[] numericGradient(double[] at, Function<double[], Double> f) {
        double h = 1e-6;
        double[] g = new double[at.length];
        for (int i = 0; i < at.length; i++) {
            double[] p = at.clone();
            double[] m = at.clone();
            p[i] += h;
            m[i] -= h;
            g[i] = (f.apply(p) - f.apply(m)) / (2 * h);
        }
        return g;
    }

    @Test
    void rsampleAndLogProbGradientsMatchFiniteDifferences() {
        double[] w = {0.3, -1.2, 0.8, 0.5, 1.0, -0.2, 0.4, 2.0, -0.7, 0.1, 0.9, -0.3};
        double[] target = new Rng(21).normalDoubles(N * D);
        // f(mu, lv) = sum(w * z^2) + sum(logProb(target)) with z = rsample(rng seeded 17)
        Function<double[][], Tensor[]> build = args -> {
            Tensor mu = b.tensor(args[0], N, D).requiresGrad(true);
            Tensor lv = b.tensor(args[1], N, D).requiresGrad(true);
            DiagonalGaussian q = new DiagonalGaussian(mu, lv);
            Tensor z = q.rsample(new Rng(17));
            Tensor f = z.square().mul(b.tensor(w, N, D)).sum().add(q.logProb(b.tensor(target, N, D)).sum());
            return new Tensor[] {f, mu, lv};
        };
        Tensor[] r = build.apply(new double[][] {MU, LV});
        r[0].backward();
        double[] gMu = numericGradient(MU, m -> build.apply(new double[][] {m, LV})[0].item());
        double[] gLv = numericGradient(LV, l -> build.apply(new double[][] {MU, l})[0].item());
        assertClose(gMu, r[1].grad().toDoubles(), 1e-6, "d/dmu");
        assertClose(gLv, r[2].grad().toDoubles(), 1e-6, "d/dlogvar");
        r[1].zeroGrad();
        r[2].zeroGrad();
    }

    @Test
    void invalidParameters() {
        assertThrows(ShapeException.class, () -> new DiagonalGaussian(b.zeros(DType.FLOAT64, 2, 3), b.zeros(DType.FLOAT64, 3)));
        assertThrows(ShapeException.class, () -> new DiagonalGaussian(b.zeros(DType.FLOAT64), b.zeros(DType.FLOAT64)));
        assertThrows(ShapeException.class, () -> new DiagonalGaussian(b.zeros(DType.FLOAT64, 3), b.zeros(DType.FLOAT32, 3)));
    }
}
