package dev.vae.models.physics.sampler;

import dev.vae.api.Backend;
import dev.vae.api.Backends;
import dev.vae.api.DType;
import dev.vae.api.random.Rng;
import dev.vae.models.physics.DoubleWell;
import dev.vae.models.physics.IsingModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FreeEnergyTrainerTest {
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.open("jvm");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void memoryStaysFlatAndBetaIsAnnealed() {
        IsingModel m = new IsingModel(3);
        try (MadeGenerator g = new MadeGenerator(backend, 9, new int[] {8}, true, DType.FLOAT32, new Rng(1))) {
            FreeEnergyTrainer.train(g, m, 0.4, FreeEnergyTrainer.Config.of(3, 16), null, new Rng(2), null);
            long live = backend.liveArrays();
            List<FreeEnergyTrainer.Point> curve = FreeEnergyTrainer.train(g, m, 0.4,
                    FreeEnergyTrainer.Config.of(50, 16).withAnnealing(0.5, 10), null, new Rng(3), null);
            assertEquals(live, backend.liveArrays(), "live arrays after 50 scoped steps");
            assertEquals(0.2, curve.get(0).beta(), 1e-12);
            assertEquals(0.4, curve.get(10).beta(), 1e-12);
            assertEquals(0.4, curve.get(49).beta(), 1e-12);
        }
        try (LatentGenerator g = new LatentGenerator(backend, 2, false, 1, new int[] {8}, 2, DType.FLOAT32, new Rng(4))) {
            DoubleWell w = new DoubleWell(2);
            FreeEnergyTrainer.train(g, w, 1, FreeEnergyTrainer.Config.of(3, 16), null, new Rng(5), null);
            long live = backend.liveArrays();
            float[] data = new float[] {1, 0, -1, 0, 1.4f, 0.2f};
            FreeEnergyTrainer.train(g, w, 1, FreeEnergyTrainer.Config.of(30, 16).withData(0.5, 2), data, new Rng(6), null);
            assertEquals(live, backend.liveArrays());
        }
    }

    @Test
    void dataWeightDecaysAndNonFiniteStepsAreSkipped() {
        FreeEnergyTrainer.Config c = FreeEnergyTrainer.Config.of(100, 8).withData(2, 4).withDataDecay(40);
        assertEquals(2, c.dataWeightAt(1), 1e-12);
        assertEquals(1, c.dataWeightAt(21), 1e-12);
        assertEquals(0, c.dataWeightAt(41), 1e-12);
        assertEquals(0, c.dataWeightAt(100), 1e-12);
        assertEquals(2, FreeEnergyTrainer.Config.of(100, 8).withData(2, 4).dataWeightAt(100), 0);
        // an energy that is NaN everywhere: every step is skipped, parameters stay finite, and
        // training stops with an error after MAX_SKIPPED steps
        DoubleWell w = new DoubleWell(2);
        dev.vae.models.physics.EnergyModel broken = new dev.vae.models.physics.EnergyModel() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public String describe() {
                return "NaN energy";
            }

            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public int[] sampleShape() {
                return new int[] {2};
            }

            @Override
            public boolean isDiscrete() {
                return false;
            }

            @Override
            public int sites() {
                return 1;
            }

            @Override
            public double energy(double[] x, int offset) {
                return Double.NaN;
            }

            @Override
            public dev.vae.api.Tensor energy(dev.vae.api.Tensor x) {
                return w.energy(x).mul(Double.NaN);
            }

            @Override
            public java.util.OptionalDouble logZ(double beta) {
                return java.util.OptionalDouble.empty();
            }

            @Override
            public String logZMethod(double beta) {
                return "none";
            }

            @Override
            public List<dev.vae.models.physics.Observable> observables() {
                return w.observables();
            }

            @Override
            public java.util.Map<String, Double> exactExpectations(double beta) {
                return java.util.Map.of();
            }
        };
        try (LatentGenerator g = new LatentGenerator(backend, 2, false, 1, new int[] {4}, 1, DType.FLOAT32, new Rng(5))) {
            double[] before = g.parameters().get("decoder.0.weight").toDoubles();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> FreeEnergyTrainer.train(g, broken, 1,
                    FreeEnergyTrainer.Config.of(100, 8), null, new Rng(6), null));
            assertTrue(e.getMessage().contains("diverged"), e.getMessage());
            assertArrayEquals(before, g.parameters().get("decoder.0.weight").toDoubles(), 0.0, "no update from a NaN batch");
        }
    }

    @Test
    void trainingReducesTheBoundAndIsReproducible() {
        IsingModel m = new IsingModel(3);
        double[][] finals = new double[2][];
        for (int rep = 0; rep < 2; rep++) {
            try (MadeGenerator g = new MadeGenerator(backend, 9, new int[] {16}, false, DType.FLOAT32, new Rng(7))) {
                List<FreeEnergyTrainer.Point> curve = FreeEnergyTrainer.train(g, m, 0.4,
                        FreeEnergyTrainer.Config.of(150, 128).withAnnealing(1, 0).withLearningRate(1e-2, 1e-3), null, new Rng(8), null);
                double first = curve.get(0).bound();
                double last = curve.get(curve.size() - 1).bound();
                assertTrue(last < first - 5 * curve.get(0).boundError(), "bound " + first + " -> " + last);
                finals[rep] = new double[] {first, last};
            }
        }
        assertArrayEquals(finals[0], finals[1], 0.0, "same seeds, same training curve");
        assertThrows(IllegalArgumentException.class, () -> FreeEnergyTrainer.Config.of(0, 10));
        try (MadeGenerator g = new MadeGenerator(backend, 9, new int[] {4}, false, DType.FLOAT32, new Rng(9))) {
            assertThrows(IllegalArgumentException.class, () -> FreeEnergyTrainer.train(g, m, 0.4,
                    FreeEnergyTrainer.Config.of(1, 4).withData(1, 4), null, new Rng(1), null));
            assertThrows(IllegalArgumentException.class, () -> FreeEnergyTrainer.train(g, new IsingModel(4), 0.4,
                    FreeEnergyTrainer.Config.of(1, 4), null, new Rng(1), null));
        }
    }
}
