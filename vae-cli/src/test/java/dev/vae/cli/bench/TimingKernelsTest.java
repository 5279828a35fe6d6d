package dev.vae.cli.bench;

import dev.vae.api.Backend;
import dev.vae.api.Backends;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.nn.Init;
import dev.vae.api.nn.Linear;
import dev.vae.api.random.Rng;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.UnaryOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timing decorator forwards every call and charges each to the right operation and category. */
class TimingKernelsTest {
    private Backend plain;
    private TimingKernels timing;

    @BeforeEach
    void open() {
        plain = Backends.open("jvm");
        timing = new TimingKernels(plain.kernels());
    }

    @AfterEach
    void close() {
        plain.close();
    }

    private DeviceArray random(Kernels k, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return k.fromFloats(new Rng(3).normalFloats(n), shape);
    }

    @Test
    void matmulTimeIsChargedToMatmul() {
        DeviceArray a = random(timing, 64, 96);
        DeviceArray b = random(timing, 48, 96);
        timing.reset();
        DeviceArray c = timing.matmul(a, b, false, true);
        TimingKernels.Snapshot s = timing.snapshot();
        assertEquals(1, s.calls(KernelCategory.MATMUL));
        assertTrue(s.nanos(KernelCategory.MATMUL) > 0);
        assertEquals(s.totalNanos(), s.nanos(KernelCategory.MATMUL), "nothing else was called");
        assertEquals(1, s.totalCalls());
        assertEquals(List.of("matmul NT"), s.ops().stream().map(TimingKernels.OpTime::name).toList());
        assertArrayEquals(plain.kernels().toFloats(plain.kernels().matmul(a, b, false, true)), timing.toFloats(c),
                "the decorator returns the wrapped kernel's result");
        for (DeviceArray x : new DeviceArray[] {a, b, c}) {
            timing.release(x);
        }
    }

    @Test
    void elementWiseAndOverrideCategories() {
        DeviceArray a = random(timing, 32, 32);
        timing.reset();
        DeviceArray e = timing.unary(UnaryOp.EXP, a);
        KernelCategory before = timing.attributeTo(KernelCategory.OPTIMIZER);
        DeviceArray m = timing.matmul(a, a, false, false);
        timing.attributeTo(before);
        TimingKernels.Snapshot s = timing.snapshot();
        assertEquals(1, s.calls(KernelCategory.ELEMENTWISE));
        assertEquals(0, s.calls(KernelCategory.MATMUL), "the override took the matmul");
        assertEquals(1, s.calls(KernelCategory.OPTIMIZER));
        assertTrue(s.ops().stream().anyMatch(o -> o.name().equals("matmul NN") && o.category() == KernelCategory.MATMUL),
                "per-op statistics keep the op's own category");
        timing.release(e);
        timing.release(m);
        timing.release(a);
        assertEquals(0, timing.liveArrays());
    }

    @Test
    void aModelOnTheDecoratedBackendChargesItsDenseLayersToMatmul() {
        Backend b = Backend.of(timing);
        Linear layer = new Linear(b, 96, 64, true, Init.PYTORCH_DEFAULT, DType.FLOAT32, new Rng(1));
        try (Scope s = Scope.open()) {
            Tensor x = b.tensor(new Rng(2).uniformFloats(16 * 96), 16, 96);
            timing.reset();
            Tensor loss = layer.forward(x).relu().sum();
            loss.backward();
        }
        TimingKernels.Snapshot s = timing.snapshot();
        assertTrue(s.ops().stream().anyMatch(o -> o.name().equals("linear") && o.calls() == 1),
                "the fused linear is one call, forwarded as a whole: " + s.ops());
        assertTrue(s.ops().stream().anyMatch(o -> o.name().equals("matmul TN")), "the weight gradient is gᵀ·x: " + s.ops());
        assertEquals(2, s.calls(KernelCategory.MATMUL), "forward linear and the weight gradient: " + s.ops());
        assertTrue(s.nanos(KernelCategory.MATMUL) > 0);
        assertTrue(s.calls(KernelCategory.ELEMENTWISE) > 0 && s.calls(KernelCategory.REDUCTION) > 0);
        layer.close();
    }
}
