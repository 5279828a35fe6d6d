package dev.vae.api.nn;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.random.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vae.api.nn.TestBackend.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleTest {
    static Backend b;

    @BeforeAll
    static void open() {
        b = TestBackend.open();
    }

    @AfterAll
    static void close() {
        b.close();
    }

    /** The layout of PyTorch's VAE example: fc1, fc21, fc22, fc3, fc4. */
    static final class ExampleVae extends Module {
        final Linear fc1;
        final Linear fc21;
        final Linear fc22;
        final Sequential decoder;

        ExampleVae(Backend backend, Rng rng) {
            fc1 = register("fc1", new Linear(backend, 6, 4, rng));
            fc21 = register("fc21", new Linear(backend, 4, 2, rng));
            fc22 = register("fc22", new Linear(backend, 4, 2, rng));
            decoder = register("decoder", new Sequential(new Linear(backend, 2, 4, rng), new ReLU(),
                    new Linear(backend, 4, 6, rng)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return fc21.forward(fc1.forward(x).relu());
        }
    }

    @Test
    void sequentialNamesLikeTorch() {
        try (Sequential s = new Sequential(new Linear(b, 3, 4, new Rng(1)), new Tanh(), new Linear(b, 4, 2, new Rng(2)))) {
            assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(s.parameters().keySet()));
            assertEquals(3, s.size());
            assertSame(((Linear) s.get(2)).weight(), s.parameters().get("2.weight"));
            try (Scope sc = Scope.open()) {
                Tensor x = b.tensor(new float[] {1, 2, 3}, 1, 3);
                Tensor expected = ((Linear) s.get(2)).forward(((Linear) s.get(0)).forward(x).tanh());
                assertArrayEquals(expected.toFloats(), s.forward(x).toFloats(), 0f);
            }
        }
    }

    @Test
    void nestedModulesNameLikeTorch() {
        try (ExampleVae m = new ExampleVae(b, new Rng(3))) {
            assertEquals(List.of("fc1.weight", "fc1.bias", "fc21.weight", "fc21.bias", "fc22.weight", "fc22.bias",
                    "decoder.0.weight", "decoder.0.bias", "decoder.2.weight", "decoder.2.bias"),
                    List.copyOf(m.parameters().keySet()));
            assertEquals(List.of("fc1", "fc21", "fc22", "decoder"), List.copyOf(m.children().keySet()));
            assertArrayEquals(new int[] {2, 4}, m.parameters().get("fc21.weight").shape());
            assertThrows(UnsupportedOperationException.class, () -> m.parameters().clear());
        }
    }

    @Test
    void registrationRejectsBadNames() {
        class Bad extends Module {
            Bad(String first, String second) {
                register(first, new ReLU());
                register(second, new ReLU());
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Bad("a", "a"));
        assertThrows(IllegalArgumentException.class, () -> new Bad("a", "b.c"));
        assertThrows(IllegalArgumentException.class, () -> new Bad("", "b"));
    }

    @Test
    void closeReleasesParametersAndGradients() {
        long before = b.liveArrays();
        ExampleVae m = new ExampleVae(b, new Rng(3));
        try (Scope s = Scope.open()) {
            m.forward(b.tensor(new float[12], 2, 6)).sum().backward();
        }
        assertTrue(m.fc1.weight().grad() != null);
        assertTrue(b.liveArrays() > before);
        m.close();
        m.close();
        assertEquals(before, b.liveArrays(), "arrays left after close");
        assertTrue(m.fc1.weight().isReleased());
    }

    @Test
    void activationsMatchClosedForms() {
        double[] x = {-100, -3, -0.5, 0, 0.25, 2, 40};
        try (Scope s = Scope.open()) {
            Tensor t = b.tensor(x, x.length);
            double[] relu = new double[x.length];
            double[] leaky = new double[x.length];
            double[] tanh = new double[x.length];
            double[] sig = new double[x.length];
            double[] sp = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                relu[i] = Math.max(x[i], 0);
                leaky[i] = x[i] > 0 ? x[i] : 0.2 * x[i];
                tanh[i] = Math.tanh(x[i]);
                sig[i] = 1 / (1 + Math.exp(-x[i]));
                sp[i] = Math.max(x[i], 0) + Math.log1p(Math.exp(-Math.abs(x[i])));
            }
            assertClose(relu, new ReLU().forward(t).toDoubles(), 1e-15, "relu");
            assertClose(leaky, new LeakyReLU(0.2).forward(t).toDoubles(), 1e-15, "leaky relu");
            assertClose(tanh, new Tanh().forward(t).toDoubles(), 1e-14, "tanh");
            assertClose(sig, new Sigmoid().forward(t).toDoubles(), 1e-14, "sigmoid");
            assertClose(sp, new Softplus().forward(t).toDoubles(), 1e-14, "softplus");
            assertEquals(0.01, new LeakyReLU().slope());
            assertTrue(new ReLU().parameters().isEmpty());
        }
    }

    @Test
    void initDtypeConversionUsesSameDraws() {
        Tensor p = Init.HE_NORMAL.weight(b, DType.FLOAT64, new Rng(5), 2, 3);
        double[] n = new Rng(5).normalDoubles(6);
        double std = Math.sqrt(2.0 / 3);
        for (int i = 0; i < 6; i++) {
            n[i] *= std;
        }
        assertArrayEquals(n, p.toDoubles(), 0.0);
        p.close();
    }
}
