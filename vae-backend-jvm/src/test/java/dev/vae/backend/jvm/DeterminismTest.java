package dev.vae.backend.jvm;

import dev.vae.api.DType;
import dev.vae.api.spi.AdamHyper;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.ReduceOp;
import dev.vae.api.spi.UnaryOp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Results must be bit-identical whatever the thread count: every kernel with a parallel path is
 * run on 1, 2 and 3 threads with inputs large enough to be split, and the bits compared.
 */
class DeterminismTest {

    /** Runs {@code f} on kernels with 1, 2 and 3 threads and asserts identical bits. */
    private static void same(String what, Function<JvmKernels, double[]> f) {
        List<double[]> results = new ArrayList<>();
        for (int threads = 1; threads <= 3; threads++) {
            try (JvmKernels k = new JvmKernels(threads)) {
                results.add(f.apply(k));
            }
        }
        Ref.assertBitEqual(results.get(0), results.get(1), what + ": 1 vs 2 threads");
        Ref.assertBitEqual(results.get(0), results.get(2), what + ": 1 vs 3 threads");
    }

    private static final Map<String, double[]> VALUES = new HashMap<>();

    private static DeviceArray rand(JvmKernels k, DType t, long seed, int... shape) {
        double[] v = VALUES.computeIfAbsent(seed + " " + Arrays.toString(shape),
                key -> Ref.values(Ref.size(shape), seed, false));
        return Ref.make(k, t, shape, v);
    }

    @Test
    void matmulEveryFlagCombination() {
        for (DType t : DType.values()) {
            for (int flags = 0; flags < 4; flags++) {
                boolean ta = (flags & 1) != 0;
                boolean tb = (flags & 2) != 0;
                int m = 150;
                int kk = 301;
                int n = 530;
                same("matmul " + t + " " + flags, k -> k.toDoubles(k.matmul(
                        rand(k, t, 1, ta ? kk : m, ta ? m : kk), rand(k, t, 2, tb ? n : kk, tb ? kk : n), ta, tb)));
            }
            same("linear " + t, k -> k.toDoubles(k.linear(rand(k, t, 3, 128, 784), rand(k, t, 4, 400, 784),
                    rand(k, t, 5, 400))));
        }
    }

    @Test
    void reductions() {
        int[][] shapes = {{100003}, {3, 50000}, {300, 400}, {20, 300, 30}};
        for (DType t : DType.values()) {
            for (int[] shape : shapes) {
                for (int[] axes : ReduceTest.subsets(shape.length)) {
                    if (axes.length == 0) {
                        continue;
                    }
                    for (ReduceOp op : ReduceOp.values()) {
                        same(op + " " + t + " " + Ref.fmt(shape) + " " + Ref.fmt(axes),
                                k -> k.toDoubles(k.reduce(op, rand(k, t, 6, shape), axes, false)));
                    }
                }
                for (int axis = 0; axis < shape.length; axis++) {
                    int ax = axis;
                    same("logSumExp " + t + " " + Ref.fmt(shape) + " " + axis,
                            k -> k.toDoubles(k.logSumExp(rand(k, t, 7, shape), ax, false)));
                }
            }
        }
    }

    @Test
    void elementwiseAndFused() {
        for (DType t : DType.values()) {
            for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.TANH, UnaryOp.SOFTPLUS}) {
                same(op + " " + t, k -> k.toDoubles(k.unary(op, rand(k, t, 8, 400, 300))));
            }
            same("add broadcast " + t, k -> k.toDoubles(k.binary(BinaryOp.ADD, rand(k, t, 9, 400, 300),
                    rand(k, t, 10, 400, 1))));
            same("pow " + t, k -> k.toDoubles(k.binary(BinaryOp.POW, k.unary(UnaryOp.ABS, rand(k, t, 11, 400, 300)),
                    rand(k, t, 12, 300))));
            same("permute " + t, k -> k.toDoubles(k.permute(rand(k, t, 13, 30, 40, 50), new int[] {2, 0, 1})));
            same("bernoulli " + t, k -> k.toDoubles(k.bernoulliLogProb(rand(k, t, 14, 400, 300),
                    k.unary(UnaryOp.SIGMOID, rand(k, t, 15, 400, 300)))));
            same("adam " + t, k -> {
                DeviceArray p = rand(k, t, 16, 400, 300);
                DeviceArray v = k.unary(UnaryOp.ABS, rand(k, t, 19, 400, 300));
                k.adamStep(p, rand(k, t, 17, 400, 300), rand(k, t, 18, 400, 300), v,
                        new AdamHyper(1e-3, 0.9, 0.999, 1e-8, 0.1, 0.001, 0.01));
                return k.toDoubles(p);
            });
            same("philox " + t, k -> k.toDoubles(k.philoxNormal(1, 2, 3, new int[] {100001}, t)));
        }
    }
}
