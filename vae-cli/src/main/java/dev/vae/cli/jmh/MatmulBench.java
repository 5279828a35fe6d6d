package dev.vae.cli.jmh;

import dev.vae.api.spi.DeviceArray;
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

import java.util.concurrent.TimeUnit;

/**
 * The recipe's matrix products, per dense layer ({@code fc1} 784→400, {@code fc21} 400→20 (fc22
 * is the same), {@code fc3} 20→400, {@code fc4} 400→784) at the batch size: the forward product
 * {@code x · Wᵀ} (transposed right operand, what the fused {@code linear} computes before its
 * bias), the input gradient {@code g · W} and the weight gradient {@code gᵀ · x} (transposed left
 * operand), exactly the calls the autodiff makes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MatmulBench {
    /** The backend's name. */
    @Param({"jvm", "nd4j", "djl", "cuda"})
    public String backend;

    /** Compute threads, 0 for the backend's default. */
    @Param("0")
    public int threads;

    /** Batch size (rows of x and g). */
    @Param("128")
    public int batch;

    /** The dense layer whose shapes are used. */
    @Param({"fc1", "fc21", "fc3", "fc4"})
    public String layer;

    private OpenBackend open;
    private DeviceArray x;
    private DeviceArray w;
    private DeviceArray g;

    /**
     * @param layer a layer name of the recipe
     * @return its (inputs, outputs)
     */
    static int[] layerSize(String layer) {
        return switch (layer) {
            case "fc1" -> new int[] {784, 400};
            case "fc21", "fc22" -> new int[] {400, 20};
            case "fc3" -> new int[] {20, 400};
            case "fc4" -> new int[] {400, 784};
            default -> throw new IllegalArgumentException("unknown layer " + layer + "; the recipe has fc1, fc21, fc22, fc3, fc4");
        };
    }

    /** Opens the backend and creates x (batch, in), W (out, in) and g (batch, out). */
    @Setup(Level.Trial)
    public void setUp() {
        int[] io = layerSize(layer);
        open = new OpenBackend(backend, threads);
        x = open.uniform(batch, io[0]);
        w = open.normal(0.05, io[1], io[0]);
        g = open.normal(1, batch, io[1]);
    }

    /** Releases everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
        open.close();
    }

    /** Forward: {@code x · Wᵀ}, (batch, out). */
    @Benchmark
    public void forward() {
        open.finish(open.kernels().matmul(x, w, false, true));
    }

    /** Input gradient: {@code g · W}, (batch, in). */
    @Benchmark
    public void gradInput() {
        open.finish(open.kernels().matmul(g, w, false, false));
    }

    /** Weight gradient: {@code gᵀ · x}, (out, in). */
    @Benchmark
    public void gradWeight() {
        open.finish(open.kernels().matmul(g, x, true, false));
    }
}
