package dev.vae.api.nn;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.ShapeException;
import dev.vae.api.Tensor;
import dev.vae.api.random.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vae.api.nn.TestBackend.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearTest {
    static Backend b;

    @BeforeAll
    static void open() {
        b = TestBackend.open();
    }

    @AfterAll
    static void close() {
        b.close();
    }

    @Test
    void namesShapesAndOwnership() {
        Linear l;
        try (Scope s = Scope.open()) {
            l = new Linear(b, 5, 3, new Rng(1));
        }
        try (l) {
            assertEquals(List.of("weight", "bias"), List.copyOf(l.parameters().keySet()));
            assertArrayEquals(new int[] {3, 5}, l.weight().shape());
            assertArrayEquals(new int[] {3}, l.bias().shape());
            assertEquals(DType.FLOAT32, l.weight().dtype());
            // created inside a scope, yet caller-owned: still alive after the scope closed
            assertFalse(l.weight().isReleased());
            assertFalse(l.bias().isReleased());
            assertTrue(l.weight().requiresGrad());
            assertTrue(l.bias().requiresGrad());
            assertEquals(18, Parameters.count(l.parameters()));
        }
        assertTrue(l.weight().isReleased());
    }

    @Test
    void pytorchDefaultInitIsUniformWithinBoundAndReproducible() {
        int in = 50;
        int out = 40;
        try (Linear l = new Linear(b, in, out, true, Init.PYTORCH_DEFAULT, DType.FLOAT64, new Rng(7))) {
            double bound = 1 / Math.sqrt(in);
            double[] w = l.weight().toDoubles();
            double[] bias = l.bias().toDoubles();
            double maxAbs = 0;
            double mean = 0;
            for (double v : w) {
                assertTrue(Math.abs(v) <= bound, "weight " + v + " outside +-" + bound);
                maxAbs = Math.max(maxAbs, Math.abs(v));
                mean += v / w.length;
            }
            assertTrue(maxAbs > 0.95 * bound, "weights do not fill the interval: max " + maxAbs);
            assertTrue(Math.abs(mean) < 0.05 * bound, "weights are not centred: mean " + mean);
            for (double v : bias) {
                assertTrue(Math.abs(v) <= bound, "bias " + v + " outside +-" + bound);
            }
            // exact values: weight drawn first (row-major), then bias, from the Philox float64 uniforms
            Rng r = new Rng(7);
            double[] u = r.uniformDoubles(in * out);
            double[] ub = r.uniformDoubles(out);
            for (int i = 0; i < w.length; i++) {
                assertEquals(bound * (2 * u[i] - 1), w[i], 0.0, "weight " + i);
            }
            for (int i = 0; i < out; i++) {
                assertEquals(bound * (2 * ub[i] - 1), bias[i], 0.0, "bias " + i);
            }
        }
    }

    @Test
    void float32WeightsAreRoundedFloat64Weights() {
        try (Linear l32 = new Linear(b, 6, 4, true, Init.XAVIER_NORMAL, DType.FLOAT32, new Rng(3, 9, 0));
             Linear l64 = new Linear(b, 6, 4, true, Init.XAVIER_NORMAL, DType.FLOAT64, new Rng(3, 9, 0))) {
            double[] w64 = l64.weight().toDoubles();
            float[] w32 = l32.weight().toFloats();
            for (int i = 0; i < w64.length; i++) {
                assertEquals((float) w64[i], w32[i], 0.0f);
            }
            assertArrayEquals(new double[4], l64.bias().toDoubles(), 0.0);
        }
    }

    @Test
    void heAndXavierScales() {
        int in = 100;
        int out = 200;
        Object[][] cases = {
                {Init.HE_NORMAL, Math.sqrt(2.0 / in)},
                {Init.XAVIER_NORMAL, Math.sqrt(2.0 / (in + out))},
                {Init.HE_UNIFORM, Math.sqrt(6.0 / in) / Math.sqrt(3)},
                {Init.XAVIER_UNIFORM, Math.sqrt(6.0 / (in + out)) / Math.sqrt(3)},
        };
        for (Object[] c : cases) {
            Init init = (Init) c[0];
            double std = (Double) c[1];
            double[] w = init.weightValues(new Rng(11), out, in);
            double ss = 0;
            double max = 0;
            for (double v : w) {
                ss += v * v;
                max = Math.max(max, Math.abs(v));
            }
            double sampleStd = Math.sqrt(ss / w.length);
            assertEquals(std, sampleStd, 0.03 * std, init + " std");
            if (!init.isNormal()) {
                assertTrue(max <= init.weightScale(out, in), init + " exceeds its bound");
            }
            assertArrayEquals(new double[out], init.biasValues(new Rng(11), out, in), 0.0, init + " bias");
        }
    }

    @Test
    void forwardMatchesDoubleLoopsForAnyLeadingShape() {
        try (Linear l = new Linear(b, 5, 3, true, Init.PYTORCH_DEFAULT, DType.FLOAT64, new Rng(2));
             Scope s = Scope.open()) {
            double[] w = l.weight().toDoubles();
            double[] bias = l.bias().toDoubles();
            double[] x = new Rng(5).normalDoubles(2 * 4 * 5);
            Tensor y3 = l.forward(b.tensor(x, 2, 4, 5));
            Tensor y2 = l.forward(b.tensor(x, 8, 5));
            assertArrayEquals(new int[] {2, 4, 3}, y3.shape());
            double[] expected = new double[8 * 3];
            for (int n = 0; n < 8; n++) {
                for (int o = 0; o < 3; o++) {
                    double acc = bias[o];
                    for (int i = 0; i < 5; i++) {
                        acc += x[n * 5 + i] * w[o * 5 + i];
                    }
                    expected[n * 3 + o] = acc;
                }
            }
            assertClose(expected, y3.toDoubles(), 1e-12, "linear 3-D");
            assertClose(expected, y2.toDoubles(), 1e-12, "linear 2-D");
            assertThrows(ShapeException.class, () -> l.forward(b.tensor(new double[8], 2, 4)));
        }
    }

    @Test
    void withoutBiasAndAdoptingTensors() {
        try (Linear l = new Linear(b, 3, 2, false, Init.HE_UNIFORM, DType.FLOAT64, new Rng(1))) {
            assertNull(l.bias());
            assertEquals(List.of("weight"), List.copyOf(l.parameters().keySet()));
        }
        Tensor w = Init.parameter(b, DType.FLOAT64, new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor bias = Init.parameter(b, DType.FLOAT64, new double[] {10, 20}, 2);
        try (Linear l = new Linear(w, bias); Scope s = Scope.open()) {
            assertEquals(3, l.inFeatures());
            assertEquals(2, l.outFeatures());
            double[] y = l.forward(b.tensor(new double[] {1, 1, 1}, 3)).toDoubles();
            assertArrayEquals(new double[] {16, 35}, y, 0.0);
        }
        Tensor w2 = Init.parameter(b, DType.FLOAT64, new double[6], 2, 3);
        Tensor bad = Init.parameter(b, DType.FLOAT64, new double[3], 3);
        assertThrows(ShapeException.class, () -> new Linear(w2, bad));
        w2.close();
        bad.close();
    }

    @Test
    void gradientsReachWeightAndBias() {
        try (Linear l = new Linear(b, 2, 1, true, Init.PYTORCH_DEFAULT, DType.FLOAT64, new Rng(4));
             Scope s = Scope.open()) {
            Tensor x = b.tensor(new double[] {1, 2, 3, 4}, 2, 2);
            l.forward(x).sum().backward();
            assertArrayEquals(new double[] {4, 6}, l.weight().grad().toDoubles(), 1e-12);
            assertArrayEquals(new double[] {2}, l.bias().grad().toDoubles(), 1e-12);
            Parameters.zeroGrad(l.parameters());
            assertNull(l.weight().grad());
        }
    }
}
