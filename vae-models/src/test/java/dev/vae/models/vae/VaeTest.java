package dev.vae.models.vae;

import dev.vae.api.Backend;
import dev.vae.api.Backends;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.dist.DiagonalGaussian;
import dev.vae.api.nn.Parameters;
import dev.vae.api.random.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VaeTest {
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.open("jvm");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static Map<String, List<Integer>> shapes(VAE m) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        m.parameters().forEach((k, v) -> {
            List<Integer> s = new ArrayList<>();
            for (int d : v.shape()) {
                s.add(d);
            }
            out.put(k, s);
        });
        return out;
    }

    @Test
    void recipeParametersAreNamedAndShapedAsInPytorchExamples() {
        try (VAE m = new VAE(backend, VaeConfig.pytorchExamples(), new Rng(1))) {
            Map<String, List<Integer>> expected = new LinkedHashMap<>();
            expected.put("fc1.weight", List.of(400, 784));
            expected.put("fc1.bias", List.of(400));
            expected.put("fc21.weight", List.of(20, 400));
            expected.put("fc21.bias", List.of(20));
            expected.put("fc22.weight", List.of(20, 400));
            expected.put("fc22.bias", List.of(20));
            expected.put("fc3.weight", List.of(400, 20));
            expected.put("fc3.bias", List.of(400));
            expected.put("fc4.weight", List.of(784, 400));
            expected.put("fc4.bias", List.of(784));
            assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(shapes(m).entrySet()));
            assertEquals(652_824, Parameters.count(m.parameters()));
            // PyTorch's default init: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias
            double bound = 1 / Math.sqrt(784);
            float[] w = m.parameters().get("fc1.weight").toFloats();
            double max = 0;
            for (float v : w) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max <= bound && max > 0.99 * bound, "fc1.weight bound " + max);
            for (Tensor p : m.parameters().values()) {
                assertEquals(DType.FLOAT32, p.dtype());
                assertTrue(p.requiresGrad());
            }
        }
    }

    @Test
    void deeperModelsUseSequentialNames() {
        VaeConfig c = new VaeConfig(10, List.of(32, 16), List.of(16, 32), 3, Activation.TANH, Likelihood.GAUSSIAN_LEARNED, 0.5,
                ParameterNaming.SEQUENTIAL, DType.FLOAT32, null);
        try (VAE m = new VAE(backend, c, new Rng(1))) {
            assertEquals(List.of("logvar_x", "encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias",
                    "fc_mu.weight", "fc_mu.bias", "fc_logvar.weight", "fc_logvar.bias", "decoder.0.weight", "decoder.0.bias",
                    "decoder.2.weight", "decoder.2.bias", "decoder.4.weight", "decoder.4.bias"), new ArrayList<>(m.parameters().keySet()));
            assertEquals(List.of(10, 32), shapes(m).get("decoder.4.weight"));
            assertEquals(Math.log(0.5), m.parameters().get("logvar_x").toDoubles()[3], 1e-6);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.withNaming(ParameterNaming.PYTORCH_EXAMPLES));
        assertTrue(e.getMessage().contains("exactly one hidden layer"));
        assertEquals(c, VaeConfig.fromJson(c.toJson()));
        assertThrows(IllegalArgumentException.class, () -> VaeConfig.fromJson("{\"format\":\"vae-mlp/1\"}"));
    }

    @Test
    void encodeDecodeSampleAndTraverseHaveTheRightShapes() {
        VaeConfig c = VaeConfig.mlp(12, List.of(8), 2);
        try (VAE m = new VAE(backend, c, new Rng(2)); Scope s = Scope.open()) {
            Tensor x = backend.rand(new Rng(3), DType.FLOAT32, 5, 12);
            DiagonalGaussian q = m.encode(x);
            assertArrayEquals(new int[] {5, 2}, q.shape());
            Tensor r = m.reconstruct(x);
            assertArrayEquals(new int[] {5, 12}, r.shape());
            for (float v : r.toFloats()) {
                assertTrue(v > 0 && v < 1, "Bernoulli means are probabilities");
            }
            assertArrayEquals(new int[] {7, 12}, m.samplePrior(7, new Rng(4)).shape());
            Tensor t = m.traverse(new double[] {0.5, -0.5}, 1, new double[] {-2, 0, 2});
            assertArrayEquals(new int[] {3, 12}, t.shape());
            float[] tv = t.toFloats();
            assertNotEquals(tv[0], tv[24], "the decoded image changes along the traversed axis");
            assertThrows(IllegalArgumentException.class, () -> m.traverse(new double[] {0}, 0, new double[] {1}));
            assertThrows(dev.vae.api.ShapeException.class, () -> m.encode(backend.zeros(DType.FLOAT32, 2, 11)));
        }
    }

    @Test
    void gaussianLikelihoodsGiveTheGaussianLogDensity() {
        VaeConfig c = VaeConfig.mlp(3, List.of(4), 2).withLikelihood(Likelihood.GAUSSIAN_FIXED, 0.25);
        try (VAE m = new VAE(backend, c, new Rng(5)); Scope s = Scope.open()) {
            Tensor z = backend.tensor(new float[] {0.1f, -0.3f}, 1, 2);
            Tensor x = backend.tensor(new float[] {0.2f, 0.4f, -1f}, 1, 3);
            float[] mean = m.decodeMean(z).toFloats();
            double expected = 0;
            float[] xv = x.toFloats();
            for (int j = 0; j < 3; j++) {
                expected += -0.5 * ((xv[j] - mean[j]) * (xv[j] - mean[j]) / 0.25 + Math.log(0.25) + Math.log(2 * Math.PI));
            }
            assertEquals(expected, m.decode(z).logProb(x).item(), 1e-4);
        }
    }
}
