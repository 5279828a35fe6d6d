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
 * The recipe's fused kernels at its shapes: the dense layer {@code linear} (x · Wᵀ + b) for fc1
 * (784→400) and fc4 (400→784), the ReLU gradient over (batch, 400), the Bernoulli log-likelihood
 * from logits over (batch, 784) and the Gaussian KL against N(0, 1) over (batch, 20). Each runs as the backend implements it: its own
 * override or the default composition in {@code vae-api}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FusedBench {
    /** The backend's name. */
    @Param({"jvm", "nd4j", "djl", "cuda"})
    public String backend;

    /** Compute threads, 0 for the backend's default. */
    @Param("0")
    public int threads;

    /** Batch size. */
    @Param("128")
    public int batch;

    private OpenBackend open;
    private DeviceArray x;
    private DeviceArray w1;
    private DeviceArray b1;
    private DeviceArray h;
    private DeviceArray w4;
    private DeviceArray b4;
    private DeviceArray pre;
    private DeviceArray grad;
    private DeviceArray logits;
    private DeviceArray mu;
    private DeviceArray logvar;

    /** Opens the backend and creates the operands. */
    @Setup(Level.Trial)
    public void setUp() {
        open = new OpenBackend(backend, threads);
        x = open.uniform(batch, 784);
        w1 = open.normal(0.035, 400, 784);
        b1 = open.normal(0.035, 400);
        h = open.uniform(batch, 400);
        w4 = open.normal(0.05, 784, 400);
        b4 = open.normal(0.05, 784);
        pre = open.normal(1, batch, 400);
        grad = open.normal(1, batch, 400);
        logits = open.normal(3, batch, 784);
        mu = open.normal(1, batch, 20);
        logvar = open.normal(1, batch, 20);
    }

    /** Releases everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
        open.close();
    }

    /** fc1: (batch, 784) · (400, 784)ᵀ + (400). */
    @Benchmark
    public void linearFc1() {
        open.finish(open.kernels().linear(x, w1, b1));
    }

    /** fc4: (batch, 400) · (784, 400)ᵀ + (784). */
    @Benchmark
    public void linearFc4() {
        open.finish(open.kernels().linear(h, w4, b4));
    }

    /** {@code g · (x > 0)} over (batch, 400), half the inputs negative. */
    @Benchmark
    public void reluBackward() {
        open.finish(open.kernels().reluBackward(pre, grad));
    }

    /** {@code x·l − softplus(l)} over (batch, 784). */
    @Benchmark
    public void bernoulliLogProb() {
        open.finish(open.kernels().bernoulliLogProb(logits, x));
    }

    /** {@code ½(e^logvar + mu² − 1 − logvar)} over (batch, 20). */
    @Benchmark
    public void gaussianKlStdNormal() {
        open.finish(open.kernels().gaussianKlStdNormal(mu, logvar));
    }
}
