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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParametersTest {
    static Backend b;

    @BeforeAll
    static void open() {
        b = TestBackend.open();
    }

    @AfterAll
    static void close() {
        b.close();
    }

    static Sequential model(DType dtype, long seed) {
        Rng r = new Rng(seed);
        return new Sequential(new Linear(b, 3, 4, true, Init.PYTORCH_DEFAULT, dtype, r), new ReLU(),
                new Linear(b, 4, 2, true, Init.PYTORCH_DEFAULT, dtype, r));
    }

    @Test
    void hostRoundTripIsExact() {
        try (Sequential a = model(DType.FLOAT32, 1); Sequential c = model(DType.FLOAT32, 2)) {
            Map<String, HostArray> host = Parameters.toHost(a.parameters());
            assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(host.keySet()));
            assertArrayEquals(new int[] {4, 3}, host.get("0.weight").shape());
            assertEquals(DType.FLOAT32, host.get("0.weight").dtype());
            assertNotEquals(host, Parameters.toHost(c.parameters()));
            Parameters.load(c.parameters(), host);
            assertEquals(host, Parameters.toHost(c.parameters()));
            assertArrayEquals(Parameters.flatten(a.parameters()), Parameters.flatten(c.parameters()), 0.0);
            assertEquals(Parameters.count(a.parameters()), Parameters.flatten(a.parameters()).length);
        }
    }

    @Test
    void loadIsStrictAndAtomic() {
        try (Sequential a = model(DType.FLOAT64, 1)) {
            double[] before = Parameters.flatten(a.parameters());
            Map<String, HostArray> host = new LinkedHashMap<>(Parameters.toHost(a.parameters()));
            host.put("0.weight", new HostArray(DType.FLOAT64, new int[] {4, 3}, new double[12]));
            host.remove("2.bias");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Parameters.load(a.parameters(), host));
            assertEquals(true, e.getMessage().contains("2.bias"), e.getMessage());
            host.put("2.bias", new HostArray(DType.FLOAT64, new int[] {3}, new double[3]));
            ShapeException se = assertThrows(ShapeException.class, () -> Parameters.load(a.parameters(), host));
            assertEquals(true, se.getMessage().contains("2.bias"), se.getMessage());
            assertArrayEquals(before, Parameters.flatten(a.parameters()), 0.0, "a failed load wrote values");
            assertThrows(ShapeException.class, () -> new HostArray(DType.FLOAT32, new int[] {2, 2}, new double[3]));
        }
    }

    @Test
    void copyAcrossDtypes() {
        try (Sequential a = model(DType.FLOAT64, 1); Sequential c = model(DType.FLOAT32, 5)) {
            Parameters.copy(a.parameters(), c.parameters());
            double[] src = Parameters.flatten(a.parameters());
            double[] dst = Parameters.flatten(c.parameters());
            for (int i = 0; i < src.length; i++) {
                assertEquals((float) src[i], dst[i], 0.0);
            }
        }
    }

    @Test
    void flattenUnflattenAndGradients() {
        try (Sequential a = model(DType.FLOAT64, 1)) {
            long live = b.liveArrays();
            int n = (int) Parameters.count(a.parameters());
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = i * 0.5 - 3;
            }
            Parameters.unflatten(v, a.parameters());
            assertArrayEquals(v, Parameters.flatten(a.parameters()), 0.0);
            assertArrayEquals(new double[] {-3, -2.5, -2}, java.util.Arrays.copyOf(a.parameters().get("0.weight").toDoubles(), 3), 0.0,
                    "0.weight row 0");
            assertEquals(live, b.liveArrays(), "unflatten leaked");
            assertThrows(ShapeException.class, () -> Parameters.unflatten(new double[n - 1], a.parameters()));

            assertArrayEquals(new double[n], Parameters.flattenGradients(a.parameters()), 0.0);
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = i;
            }
            Parameters.setGradients(a.parameters(), g);
            assertArrayEquals(g, Parameters.flattenGradients(a.parameters()), 0.0);
            try (Scope s = Scope.open()) {
                // a backward pass accumulates into the set gradients
                a.forward(b.tensor(new double[3], 1, 3)).sum().backward();
            }
            double[] acc = Parameters.flattenGradients(a.parameters());
            Tensor lastBias = a.parameters().get("2.bias");
            assertEquals(g[n - 1] + 1, acc[n - 1], 1e-12, "bias gradient accumulates");
            assertArrayEquals(new int[] {2}, lastBias.grad().shape());
            Parameters.zeroGrad(a.parameters());
            assertEquals(live, b.liveArrays(), "gradients leaked");
        }
    }

    @Test
    void prefixedAndClose() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("w", Init.parameter(b, DType.FLOAT32, new double[] {1, 2}, 2));
        Map<String, Tensor> q = Parameters.prefixed("enc", p);
        assertEquals(List.of("enc.w"), List.copyOf(q.keySet()));
        long live = b.liveArrays();
        Parameters.close(q);
        assertEquals(live - 1, b.liveArrays());
    }
}
