package dev.vae.api.optim;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.nn.Init;
import dev.vae.api.nn.Parameters;
import dev.vae.api.nn.TestBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static dev.vae.api.nn.TestBackend.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each optimizer's first steps against the PyTorch update rules evaluated in plain double loops, on
 * the quadratic loss {@code sum(c p^2 / 2 + a p)} whose gradient is {@code c p + a}.
 */
class OptimizerSemanticsTest {
    static final String[] NAMES = {"fc.weight", "fc.bias"};
    static final int[][] SHAPES = {{2, 3}, {3}};
    static final double[][] P0 = {{0.5, -1.2, 2.0, 0.03, -0.4, 1.1}, {0.2, -0.7, 0.9}};
    static final double[][] C = {{1.0, 0.5, 2.0, 3.0, 0.1, 1.5}, {0.8, 2.5, 0.3}};
    static final double[][] A = {{0.1, -0.3, 0.0, 0.5, 0.2, -0.1}, {-0.2, 0.4, 0.05}};
    static final int STEPS = 5;
    static Backend b;

    @BeforeAll
    static void open() {
        b = TestBackend.open();
    }

    @AfterAll
    static void close() {
        b.close();
    }

    static Map<String, Tensor> params(DType dtype) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.length; i++) {
            m.put(NAMES[i], Init.parameter(b, dtype, P0[i], SHAPES[i]));
        }
        return m;
    }

    /** Computes the quadratic loss and back-propagates it into the parameters' gradients. */
    static void backward(Map<String, Tensor> params) {
        try (Scope s = Scope.open()) {
            Tensor loss = null;
            int i = 0;
            for (Tensor p : params.values()) {
                Tensor c = b.tensor(C[i], p.dtype(), SHAPES[i]);
                Tensor a = b.tensor(A[i], p.dtype(), SHAPES[i]);
                Tensor term = p.square().mul(c).mul(0.5).add(p.mul(a)).sum();
                loss = loss == null ? term : loss.add(term);
                i++;
            }
            loss.backward();
        }
    }

    /** One reference update of one parameter: p and state updated in place. */
    interface Reference {
        void step(double[] p, double[] g, Map<String, double[]> state, long t);
    }

    static void check(Function<Map<String, Tensor>, Optimizer> factory, Reference ref, String what) {
        Map<String, Tensor> params = params(DType.FLOAT64);
        double[][] p = {P0[0].clone(), P0[1].clone()};
        Map<String, Map<String, double[]>> state = new HashMap<>();
        try (Optimizer opt = factory.apply(params)) {
            for (int t = 1; t <= STEPS; t++) {
                backward(params);
                opt.step();
                opt.zeroGrad();
                for (int i = 0; i < p.length; i++) {
                    double[] g = new double[p[i].length];
                    for (int j = 0; j < g.length; j++) {
                        g[j] = C[i][j] * p[i][j] + A[i][j];
                    }
                    ref.step(p[i], g, state.computeIfAbsent(NAMES[i], k -> new HashMap<>()), t);
                    assertClose(p[i], params.get(NAMES[i]).toDoubles(), 1e-12, what + " step " + t + " " + NAMES[i]);
                }
            }
            assertEquals(STEPS, opt.stepCount());
        } finally {
            Parameters.close(params);
        }
    }

    static Reference sgd(double lr, double momentum, double dampening, double wd, boolean nesterov) {
        return (p, g, s, t) -> {
            double[] d = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                d[i] = g[i] + wd * p[i];
            }
            if (momentum != 0) {
                double[] buf = s.get("buf");
                if (buf == null) {
                    buf = d.clone();
                    s.put("buf", buf);
                } else {
                    for (int i = 0; i < p.length; i++) {
                        buf[i] = momentum * buf[i] + (1 - dampening) * d[i];
                    }
                }
                for (int i = 0; i < p.length; i++) {
                    d[i] = nesterov ? d[i] + momentum * buf[i] : buf[i];
                }
            }
            for (int i = 0; i < p.length; i++) {
                p[i] -= lr * d[i];
            }
        };
    }

    static Reference adam(double lr, double b1, double b2, double eps, double wd, boolean decoupled) {
        return (p, g, s, t) -> {
            double[] m = s.computeIfAbsent("m", k -> new double[p.length]);
            double[] v = s.computeIfAbsent("v", k -> new double[p.length]);
            double bc1 = 1 - Math.pow(b1, t);
            double bc2 = 1 - Math.pow(b2, t);
            for (int i = 0; i < p.length; i++) {
                double gi = g[i];
                if (decoupled) {
                    p[i] *= 1 - lr * wd;
                } else {
                    gi += wd * p[i];
                }
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + eps;
                p[i] -= lr / bc1 * m[i] / denom;
            }
        };
    }

    static Reference rmsprop(double lr, double alpha, double eps, double wd, double momentum, boolean centered) {
        return (p, g, s, t) -> {
            double[] sq = s.computeIfAbsent("sq", k -> new double[p.length]);
            double[] ga = s.computeIfAbsent("ga", k -> new double[p.length]);
            double[] buf = s.computeIfAbsent("buf", k -> new double[p.length]);
            for (int i = 0; i < p.length; i++) {
                double gi = g[i] + wd * p[i];
                sq[i] = alpha * sq[i] + (1 - alpha) * gi * gi;
                double avg;
                if (centered) {
                    ga[i] = alpha * ga[i] + (1 - alpha) * gi;
                    avg = Math.sqrt(sq[i] - ga[i] * ga[i]) + eps;
                } else {
                    avg = Math.sqrt(sq[i]) + eps;
                }
                if (momentum > 0) {
                    buf[i] = momentum * buf[i] + gi / avg;
                    p[i] -= lr * buf[i];
                } else {
                    p[i] -= lr * gi / avg;
                }
            }
        };
    }

    static Reference adagrad(double lr, double lrDecay, double wd, double init, double eps) {
        return (p, g, s, t) -> {
            double[] sum = s.computeIfAbsent("sum", k -> {
                double[] a = new double[p.length];
                java.util.Arrays.fill(a, init);
                return a;
            });
            double clr = lr / (1 + (t - 1) * lrDecay);
            for (int i = 0; i < p.length; i++) {
                double gi = g[i] + wd * p[i];
                sum[i] += gi * gi;
                p[i] -= clr * gi / (Math.sqrt(sum[i]) + eps);
            }
        };
    }

    @Test
    void sgdPlain() {
        check(ps -> new Sgd(ps, 0.1), sgd(0.1, 0, 0, 0, false), "sgd");
    }

    @Test
    void sgdMomentumDampeningWeightDecay() {
        check(ps -> new Sgd(ps, 0.05, 0.9, 0.3, 0.01, false), sgd(0.05, 0.9, 0.3, 0.01, false), "sgd momentum");
    }

    @Test
    void sgdNesterov() {
        check(ps -> new Sgd(ps, 0.05, 0.8, 0, 0.02, true), sgd(0.05, 0.8, 0, 0.02, true), "sgd nesterov");
    }

    @Test
    void adamWithL2WeightDecay() {
        check(ps -> new Adam(ps, 0.01, 0.9, 0.999, 1e-8, 0.1), adam(0.01, 0.9, 0.999, 1e-8, 0.1, false), "adam");
        check(ps -> new Adam(ps, 0.02), adam(0.02, 0.9, 0.999, 1e-8, 0, false), "adam defaults");
    }

    @Test
    void adamWDecoupled() {
        check(ps -> new AdamW(ps, 0.01, 0.8, 0.99, 1e-6, 0.5), adam(0.01, 0.8, 0.99, 1e-6, 0.5, true), "adamw");
    }

    @Test
    void rmsprop() {
        check(ps -> new RmsProp(ps, 0.01), rmsprop(0.01, 0.99, 1e-8, 0, 0, false), "rmsprop");
        check(ps -> new RmsProp(ps, 0.01, 0.9, 1e-6, 0.05, 0.7, true), rmsprop(0.01, 0.9, 1e-6, 0.05, 0.7, true),
                "rmsprop centered momentum");
    }

    @Test
    void adagrad() {
        check(ps -> new Adagrad(ps, 0.1), adagrad(0.1, 0, 0, 0, 1e-10), "adagrad");
        check(ps -> new Adagrad(ps, 0.1, 0.05, 0.01, 0.3, 1e-8), adagrad(0.1, 0.05, 0.01, 0.3, 1e-8), "adagrad decay");
    }

    @Test
    void learningRateScheduleAppliesToNextStep() {
        Map<String, Tensor> params = params(DType.FLOAT64);
        try (Sgd opt = new Sgd(params, 0.1)) {
            backward(params);
            opt.setLearningRate(0.25);
            opt.step();
            double expected = P0[1][0] - 0.25 * (C[1][0] * P0[1][0] + A[1][0]);
            assertEquals(expected, params.get("fc.bias").toDoubles()[0], 1e-15);
            assertEquals(0.25, opt.learningRate());
        } finally {
            Parameters.close(params);
        }
    }
}
