package dev.vae.cli.jmh;

import dev.vae.api.spi.AdamHyper;
import dev.vae.api.spi.DeviceArray;
import dev.vae.cli.bench.Recipe;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Adam update of every parameter of the recipe (the weights and biases of fc1, fc21, fc22,
 * fc3, fc4: 652,824 values in 10 tensors) through the backend's {@code adamStep} kernel, in place,
 * as {@code optimizer.step()} does it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AdamBench {
    /** The backend's name. */
    @Param({"jvm", "nd4j", "djl", "cuda"})
    public String backend;

    /** Compute threads, 0 for the backend's default. */
    @Param("0")
    public int threads;

    private OpenBackend open;
    private final List<DeviceArray[]> tensors = new ArrayList<>();
    private AdamHyper hyper;

    /** Opens the backend and creates parameters, gradients and both moments for every recipe tensor. */
    @Setup(Level.Trial)
    public void setUp() {
        open = new OpenBackend(backend, threads);
        for (int[] io : Recipe.layers(Recipe.model())) {
            for (int[] shape : new int[][] {{io[1], io[0]}, {io[1]}}) {
                tensors.add(new DeviceArray[] {open.normal(0.05, shape), open.normal(1e-2, shape),
                        open.normal(1e-3, shape), open.uniform(shape)});
            }
        }
        int t = 10;
        hyper = new AdamHyper(Recipe.LEARNING_RATE, 0.9, 0.999, 1e-8, 1 - Math.pow(0.9, t), 1 - Math.pow(0.999, t), 0);
    }

    /** Releases everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
        tensors.clear();
        open.close();
    }

    /** One step over all ten parameter tensors. */
    @Benchmark
    public void adamStep() {
        DeviceArray last = null;
        for (DeviceArray[] p : tensors) {
            open.kernels().adamStep(p[0], p[1], p[2], p[3], hyper);
            last = p[0];
        }
        open.sync(last);
    }
}
