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

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GradientClippingTest {
    static Backend b;

    @BeforeAll
    static void open() {
        b = TestBackend.open();
    }

    @AfterAll
    static void close() {
        b.close();
    }

    static Map<String, Tensor> withGrads(double[] g1, double[] g2) {
        Map<String, Tensor> ps = new LinkedHashMap<>();
        ps.put("a", Init.parameter(b, DType.FLOAT64, new double[g1.length], g1.length));
        ps.put("b", Init.parameter(b, DType.FLOAT64, new double[g2.length], g2.length));
        ps.put("c", Init.parameter(b, DType.FLOAT64, new double[1], 1));
        double[] flat = new double[g1.length + g2.length + 1];
        System.arraycopy(g1, 0, flat, 0, g1.length);
        System.arraycopy(g2, 0, flat, g1.length, g2.length);
        Parameters.setGradients(ps, flat);
        ps.get("c").zeroGrad();
        return ps;
    }

    @Test
    void clipsToMaxNormAndReturnsPreClipNorm() {
        long live = b.liveArrays();
        Map<String, Tensor> ps = withGrads(new double[] {3, 0}, new double[] {0, 4, 12});
        double norm = GradientClipping.clipGlobalNorm(ps, 6.5);
        assertEquals(13.0, norm, 1e-12);
        double scale = 6.5 / (13.0 + 1e-6);
        assertArrayEquals(new double[] {3 * scale, 0}, ps.get("a").grad().toDoubles(), 1e-14);
        assertArrayEquals(new double[] {0, 4 * scale, 12 * scale}, ps.get("b").grad().toDoubles(), 1e-14);
        assertEquals(6.5, GradientClipping.clipGlobalNorm(ps, 100), 1e-5);
        // below the limit: unchanged
        assertArrayEquals(new double[] {3 * scale, 0}, ps.get("a").grad().toDoubles(), 0.0);
        Parameters.close(ps);
        assertEquals(live, b.liveArrays());
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipGlobalNorm(Map.of(), -1));
        assertEquals(0.0, GradientClipping.clipGlobalNorm(Map.of(), 1));
    }

    @Test
    void clipValueClamps() {
        Map<String, Tensor> ps = withGrads(new double[] {-3, 0.5}, new double[] {2, -0.1, 0});
        try (Scope s = Scope.open()) {
            GradientClipping.clipValue(ps, 1);
            assertArrayEquals(new double[] {-1, 0.5}, ps.get("a").grad().toDoubles(), 0.0);
            assertArrayEquals(new double[] {1, -0.1, 0}, ps.get("b").grad().toDoubles(), 0.0);
        } finally {
            Parameters.close(ps);
        }
    }
}
