package dev.vae.api.dist;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.ShapeException;
import dev.vae.api.Tensor;
import dev.vae.api.nn.TestBackend;
import dev.vae.api.random.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.vae.api.nn.TestBackend.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StandardNormalTest {
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
    void logProbSampleAndMean() {
        try (Scope s = Scope.open()) {
            StandardNormal p = new StandardNormal(b, DType.FLOAT64, 3);
            double[] x = {0, 1, -2, 0.5, 0.5, 3};
            Tensor lp = p.logProb(b.tensor(x, 2, 3));
            double c = -1.5 * Math.log(2 * Math.PI);
            assertClose(new double[] {c - 2.5, c - 0.5 * 9.5}, lp.toDoubles(), 1e-12, "logProb");
            assertArrayEquals(new double[] {0, 0, 0}, p.mean().toDoubles(), 0.0);
            assertArrayEquals(new Rng(4).normalDoubles(12), p.sample(new Rng(4), 4, 3).toDoubles(), 0.0);
            assertArrayEquals(new int[] {3}, p.sample(new Rng(4)).shape());
            assertThrows(ShapeException.class, () -> p.logProb(b.tensor(x, 3, 2)));
            // logProb equals a DiagonalGaussian with zero parameters
            DiagonalGaussian g = new DiagonalGaussian(b.zeros(DType.FLOAT64, 3), b.zeros(DType.FLOAT64, 3));
            assertClose(g.logProb(b.tensor(x, 2, 3)).toDoubles(), lp.toDoubles(), 1e-14, "vs DiagonalGaussian");
        }
    }
}
