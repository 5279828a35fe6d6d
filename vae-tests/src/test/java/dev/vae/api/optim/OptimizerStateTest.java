package dev.vae.api.optim;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.ShapeException;
import dev.vae.api.Tensor;
import dev.vae.api.nn.HostArray;
import dev.vae.api.nn.Init;
import dev.vae.api.nn.Linear;
import dev.vae.api.nn.Parameters;
import dev.vae.api.nn.ReLU;
import dev.vae.api.nn.Sequential;
import dev.vae.api.nn.TestBackend;
import dev.vae.api.random.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Export/import of optimizer state, resumption, skipped parameters, and memory. */
class OptimizerStateTest {
    static Backend b;

    @BeforeAll
    static void open() {
        b = TestBackend.open();
    }

    @AfterAll
    static void close() {
        b.close();
    }

    static final List<Function<Map<String, Tensor>, Optimizer>> FACTORIES = List.of(
            ps -> new Sgd(ps, 0.05, 0.9, 0.1, 0.01, false),
            ps -> new Sgd(ps, 0.05, 0.9, 0, 0, true),
            ps -> new Adam(ps, 0.01, 0.9, 0.999, 1e-8, 0.01),
            ps -> new AdamW(ps, 0.01),
            ps -> new RmsProp(ps, 0.01, 0.95, 1e-8, 0.01, 0.5, true),
            ps -> new Adagrad(ps, 0.05, 0.01, 0.0, 0.1, 1e-10));

    static Sequential model(long seed) {
        Rng r = new Rng(seed);
        return new Sequential(new Linear(b, 4, 8, true, Init.PYTORCH_DEFAULT, DType.FLOAT32, r), new ReLU(),
                new Linear(b, 8, 3, true, Init.PYTORCH_DEFAULT, DType.FLOAT32, r));
    }

    /** One training step on a fixed batch: loss, backward, optional clipping, step, zeroGrad. */
    static double trainStep(Sequential m, Optimizer opt, int t) {
        try (Scope s = Scope.open()) {
            Tensor x = b.randn(new Rng(99, t, 0), DType.FLOAT32, 16, 4);
            Tensor loss = m.forward(x).sub(1.0).square().mean();
            loss.backward();
            GradientClipping.clipGlobalNorm(m.parameters(), 0.5);
            opt.step();
            opt.zeroGrad();
            return loss.item();
        }
    }

    @Test
    void resumedRunIsBitIdentical() {
        for (Function<Map<String, Tensor>, Optimizer> f : FACTORIES) {
            float[][] uninterrupted;
            OptimizerState finalState;
            try (Sequential m = model(1); Optimizer opt = f.apply(m.parameters())) {
                for (int t = 0; t < 6; t++) {
                    if (t == 2) {
                        opt.setLearningRate(opt.learningRate() * 0.5);
                    }
                    trainStep(m, opt, t);
                }
                uninterrupted = values(m);
                finalState = opt.exportState();
            }
            Map<String, HostArray> savedParams;
            OptimizerState savedState;
            String name;
            try (Sequential m = model(1); Optimizer opt = f.apply(m.parameters())) {
                for (int t = 0; t < 3; t++) {
                    if (t == 2) {
                        opt.setLearningRate(opt.learningRate() * 0.5);
                    }
                    trainStep(m, opt, t);
                }
                savedParams = Parameters.toHost(m.parameters());
                savedState = opt.exportState();
                name = opt.name();
            }
            assertEquals(3, savedState.step());
            try (Sequential m = model(12345); Optimizer opt = f.apply(m.parameters())) {
                Parameters.load(m.parameters(), savedParams);
                opt.importState(savedState);
                assertEquals(savedState.learningRate(), opt.learningRate());
                for (int t = 3; t < 6; t++) {
                    trainStep(m, opt, t);
                }
                float[][] resumed = values(m);
                for (int i = 0; i < resumed.length; i++) {
                    assertArrayEquals(uninterrupted[i], resumed[i], 0.0f, name + ": parameter " + i + " after resuming");
                }
                OptimizerState st = opt.exportState();
                assertEquals(finalState, st, name + ": state after resuming");
                assertEquals(6, opt.stepCount());
            }
        }
    }

    static float[][] values(Sequential m) {
        return m.parameters().values().stream().map(Tensor::toFloats).toArray(float[][]::new);
    }

    @Test
    void stateKeysFollowPytorchNames() {
        try (Sequential m = model(1)) {
            Map<String, List<String>> expected = new LinkedHashMap<>();
            expected.put("adam", List.of("step", "exp_avg", "exp_avg_sq"));
            expected.put("adamw", List.of("step", "exp_avg", "exp_avg_sq"));
            expected.put("sgd", List.of("step", "momentum_buffer"));
            expected.put("rmsprop", List.of("step", "square_avg", "grad_avg", "momentum_buffer"));
            expected.put("adagrad", List.of("step", "sum"));
            for (Function<Map<String, Tensor>, Optimizer> f : FACTORIES) {
                try (Optimizer opt = f.apply(m.parameters())) {
                    trainStep(m, opt, 0);
                    OptimizerState s = opt.exportState();
                    List<String> perParam = expected.get(opt.name());
                    for (String p : m.parameters().keySet()) {
                        for (String k : perParam) {
                            assertTrue(s.tensors().containsKey(p + "." + k), opt.name() + " lacks " + p + "." + k
                                    + " in " + s.tensors().keySet());
                        }
                    }
                    assertEquals(m.parameters().size() * perParam.size(), s.tensors().size(), opt.name() + " keys");
                    assertArrayEquals(new double[] {1}, s.tensors().get("0.weight.step").data(), 0.0);
                    assertArrayEquals(new int[0], s.tensors().get("2.bias.step").shape());
                    assertEquals(1, s.step());
                }
            }
        }
    }

    @Test
    void importValidatesBeforeChangingAnything() {
        try (Sequential m = model(1); Adam adam = new Adam(m.parameters(), 0.01); Sgd sgd = new Sgd(m.parameters(), 0.1, 0.9, 0, 0, false)) {
            trainStep(m, adam, 0);
            OptimizerState good = adam.exportState();
            assertThrows(IllegalArgumentException.class, () -> sgd.importState(good));

            Map<String, HostArray> t = new LinkedHashMap<>(good.tensors());
            t.put("nope.exp_avg", t.get("0.bias.exp_avg"));
            assertThrows(IllegalArgumentException.class, () -> adam.importState(new OptimizerState("adam", 1, 0.01, t)));

            Map<String, HostArray> u = new LinkedHashMap<>(good.tensors());
            u.put("0.bias.momentum_buffer", u.get("0.bias.exp_avg"));
            assertThrows(IllegalArgumentException.class, () -> adam.importState(new OptimizerState("adam", 1, 0.01, u)));

            Map<String, HostArray> v = new LinkedHashMap<>(good.tensors());
            v.put("0.bias.exp_avg", new HostArray(DType.FLOAT32, new int[] {3}, new double[3]));
            assertThrows(ShapeException.class, () -> adam.importState(new OptimizerState("adam", 7, 0.5, v)));
            assertEquals(good, adam.exportState(), "a rejected import changed the state");
        }
    }

    @Test
    void parametersWithoutGradientsAreSkipped() {
        Map<String, Tensor> ps = new LinkedHashMap<>();
        ps.put("used", Init.parameter(b, DType.FLOAT64, new double[] {1, 2}, 2));
        ps.put("unused", Init.parameter(b, DType.FLOAT64, new double[] {3, 4}, 2));
        try (Adam opt = new Adam(ps, 0.1); Adagrad ada = new Adagrad(ps, 0.1, 0, 0, 0.2, 1e-10)) {
            try (Scope s = Scope.open()) {
                ps.get("used").square().sum().backward();
            }
            opt.step();
            ada.step();
            assertArrayEquals(new double[] {3, 4}, ps.get("unused").toDoubles(), 0.0);
            assertFalse(ps.get("used").toDoubles()[0] == 1.0);
            assertEquals(List.of("used.step", "used.exp_avg", "used.exp_avg_sq"), List.copyOf(opt.exportState().tensors().keySet()));
            // Adagrad creates its accumulators up front, as PyTorch does
            Map<String, HostArray> st = ada.exportState().tensors();
            assertArrayEquals(new double[] {0}, st.get("unused.step").data(), 0.0);
            assertArrayEquals(new double[] {0.2, 0.2}, st.get("unused.sum").data(), 0.0);
        } finally {
            Parameters.close(ps);
        }
    }

    @Test
    void stepsLeakNothingAndCloseReleasesState() {
        long start = b.liveArrays();
        for (Function<Map<String, Tensor>, Optimizer> f : FACTORIES) {
            try (Sequential m = model(3)) {
                long withModel = b.liveArrays();
                Optimizer opt = f.apply(m.parameters());
                trainStep(m, opt, 0);
                long afterFirst = b.liveArrays();
                for (int t = 1; t < 100; t++) {
                    trainStep(m, opt, t);
                }
                assertEquals(afterFirst, b.liveArrays(), opt.name() + " leaked over 100 steps");
                assertTrue(afterFirst > withModel, opt.name() + " keeps state");
                opt.close();
                assertEquals(withModel, b.liveArrays(), opt.name() + " close() left state");
                assertThrows(IllegalStateException.class, opt::step);
            }
        }
        assertEquals(start, b.liveArrays());
    }
}
