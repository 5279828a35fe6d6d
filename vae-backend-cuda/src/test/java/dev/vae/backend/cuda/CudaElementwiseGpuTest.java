package dev.vae.backend.cuda;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.UnaryOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static dev.vae.backend.cuda.GpuTestSupport.assertClose;
import static dev.vae.backend.cuda.GpuTestSupport.assertShape;
import static dev.vae.backend.cuda.GpuTestSupport.round;
import static dev.vae.backend.cuda.GpuTestSupport.up;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Creation, transfer, casts and element-wise kernels against double computations on the host. */
class CudaElementwiseGpuTest {
    static final double[] EDGE = {0.0, -0.0, 1, -1, 0.5, -0.5, 1e-8, -1e-8, 1e-30, 3, -3, 20, -20, 50, -50, 88, -88,
        100, -100, 1000, -1000, 1e30, -1e30, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};

    static CudaKernels k;

    @BeforeAll
    static void open() {
        if (!GpuTestSupport.usable()) {
            return;
        }
        k = GpuTestSupport.open(Map.of());
        System.out.println("[cuda] " + k.deviceDescription());
    }

    @BeforeEach
    void gpu() {
        GpuTestSupport.requireGpu();
    }

    @AfterAll
    static void close() {
        if (k != null) {
            k.close();
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void transferRoundTrips(DType t) {
        double[] v = GpuTestSupport.uniform(1, 1000, -5, 5);
        DeviceArray a = up(k, v, new int[] {10, 100}, t);
        assertShape(a, t, 10, 100);
        assertArrayEquals(round(v, t), k.toDoubles(a));
        float[] f = k.toFloats(a);
        for (int i = 0; i < v.length; i++) {
            assertEquals((float) v[i], f[i]);
        }
        DeviceArray empty = up(k, new double[0], new int[] {0, 3}, t);
        assertEquals(0, k.toDoubles(empty).length);
        DeviceArray scalar = up(k, new double[] {2.5}, new int[0], t);
        assertArrayEquals(new double[] {2.5}, k.toDoubles(scalar));
        k.release(a);
        k.release(empty);
        k.release(scalar);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void fullAndCast(DType t) {
        DeviceArray a = k.full(new int[] {3, 4}, t, 0.1);
        double[] want = new double[12];
        java.util.Arrays.fill(want, round(0.1, t));
        assertArrayEquals(want, k.toDoubles(a));
        DType other = t == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32;
        DeviceArray c = k.cast(a, other);
        assertShape(c, other, 3, 4);
        double[] wantCast = new double[12];
        java.util.Arrays.fill(wantCast, round(round(0.1, t), other));
        assertArrayEquals(wantCast, k.toDoubles(c));
        DeviceArray same = k.cast(a, t);
        assertArrayEquals(want, k.toDoubles(same));
        DeviceArray inf = k.full(new int[] {2}, t, Double.NEGATIVE_INFINITY);
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, k.toDoubles(inf));
        for (DeviceArray x : new DeviceArray[] {a, c, same, inf}) {
            k.release(x);
        }
    }

    static double unaryRef(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case EXPM1 -> Math.expm1(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
            case RELU -> Math.max(x, 0);
            case SOFTPLUS -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
            case SQUARE -> x * x;
            case RECIPROCAL -> 1 / x;
        };
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyUnaryOpIncludingEdges(DType t) {
        double[] random = GpuTestSupport.uniform(2, 5000, -10, 10);
        double[] v = new double[EDGE.length + random.length];
        System.arraycopy(EDGE, 0, v, 0, EDGE.length);
        System.arraycopy(random, 0, v, EDGE.length, random.length);
        double[] in = round(v, t);
        DeviceArray a = up(k, v, new int[] {v.length}, t);
        for (UnaryOp op : UnaryOp.values()) {
            double[] want = new double[in.length];
            for (int i = 0; i < in.length; i++) {
                want[i] = round(unaryRef(op, in[i]), t);
            }
            DeviceArray r = k.unary(op, a);
            assertShape(r, t, v.length);
            assertClose(want, k.toDoubles(r), t, op + " " + t.label());
            k.release(r);
        }
        k.release(a);
    }

    @Test
    void signOfZeroIsZeroAndSoftplusIsExactForLargeInputs() {
        DeviceArray a = k.fromFloats(new float[] {0f, -0f, 5f, -5f}, new int[] {4});
        DeviceArray s = k.unary(UnaryOp.SIGN, a);
        assertArrayEquals(new float[] {0f, -0f, 1f, -1f}, k.toFloats(s));
        DeviceArray big = k.fromFloats(new float[] {1e4f, -1e4f, 100f}, new int[] {3});
        DeviceArray sp = k.unary(UnaryOp.SOFTPLUS, big);
        assertArrayEquals(new float[] {1e4f, 0f, 100f}, k.toFloats(sp));
        DeviceArray sg = k.unary(UnaryOp.SIGMOID, big);
        assertArrayEquals(new float[] {1f, 0f, 1f}, k.toFloats(sg));
        for (DeviceArray x : new DeviceArray[] {a, s, big, sp, sg}) {
            k.release(x);
        }
    }

    static double binaryRef(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case POW -> Math.pow(a, b);
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case EQ -> a == b ? 1 : 0;
        };
    }

    static final int[][][] BROADCASTS = {
        {{2, 3, 4}, {2, 3, 4}},
        {{2, 3, 4}, {4}},
        {{2, 3, 4}, {3, 1}},
        {{2, 1, 4}, {1, 3, 1}},
        {{5}, {}},
        {{}, {5}},
        {{}, {}},
        {{0, 3}, {3}},
        {{1, 0}, {2, 1}},
        {{64, 33}, {64, 1}},
        {{2, 3, 2, 3, 2, 3, 2, 3, 2, 3}, {3, 1, 3, 1, 3, 1, 3, 1, 3}},
    };

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyBinaryOpWithBroadcasting(DType t) {
        long seed = 10;
        for (int[][] c : BROADCASTS) {
            int[] out = Shapes.broadcast(c[0], c[1]);
            double[] x = GpuTestSupport.uniform(seed++, Shapes.sizeInt(c[0]), 0.1, 3);
            double[] y = GpuTestSupport.uniform(seed++, Shapes.sizeInt(c[1]), -2, 2);
            if (y.length > 2) {
                y[0] = x.length > 0 ? x[0] : 1;
                y[1] = Double.NaN;
            }
            double[] xr = round(x, t);
            double[] yr = round(y, t);
            DeviceArray a = up(k, x, c[0], t);
            DeviceArray b = up(k, y, c[1], t);
            for (BinaryOp op : BinaryOp.values()) {
                int n = Shapes.sizeInt(out);
                double[] want = new double[n];
                for (int i = 0; i < n; i++) {
                    double av = xr[GpuTestSupport.broadcastIndex(i, out, c[0])];
                    double bv = yr[GpuTestSupport.broadcastIndex(i, out, c[1])];
                    want[i] = round(binaryRef(op, av, bv), t);
                }
                DeviceArray r = k.binary(op, a, b);
                assertShape(r, t, out);
                assertClose(want, k.toDoubles(r), t, op + " " + Shapes.format(c[0]) + " with " + Shapes.format(c[1]));
                k.release(r);
            }
            k.release(a);
            k.release(b);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void binaryEdgeSemantics(DType t) {
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        double[] x = {1, -1, nan, 0, -8, 2, nan, 3, -0.0, 0.0, 5};
        double[] y = {nan, inf, 0, -1, 1.0 / 3, 10, 3, nan, 0.0, -0.0, -inf};
        DeviceArray a = up(k, x, new int[] {x.length}, t);
        DeviceArray b = up(k, y, new int[] {y.length}, t);
        for (BinaryOp op : BinaryOp.values()) {
            double[] want = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                want[i] = round(binaryRef(op, round(x[i], t), round(y[i], t)), t);
            }
            DeviceArray r = k.binary(op, a, b);
            double[] got = k.toDoubles(r);
            assertClose(want, got, t, op + " edges");
            if (op == BinaryOp.MAX || op == BinaryOp.MIN) {
                for (int i = 8; i < 10; i++) {
                    assertEquals(Double.doubleToLongBits(want[i]), Double.doubleToLongBits(got[i]), op + " signed zero");
                }
            }
            k.release(r);
        }
        k.release(a);
        k.release(b);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void scalarMatchesBinaryWithAFullScalar(DType t) {
        double[] x = GpuTestSupport.uniform(20, 777, -3, 3);
        x[0] = Double.NaN;
        DeviceArray a = up(k, x, new int[] {7, 111}, t);
        for (BinaryOp op : BinaryOp.values()) {
            DeviceArray s = k.full(new int[0], t, 0.7);
            DeviceArray viaBinary = k.binary(op, a, s);
            DeviceArray viaScalar = k.scalar(op, a, 0.7);
            assertShape(viaScalar, t, 7, 111);
            assertClose(k.toDoubles(viaBinary), k.toDoubles(viaScalar), 0, 0, "scalar " + op);
            k.release(s);
            k.release(viaBinary);
            k.release(viaScalar);
        }
        k.release(a);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void whereBroadcastsAllThree(DType t) {
        int[] cs = {2, 1, 3};
        int[] as = {1, 4, 1};
        int[] bs = {3};
        double[] c = {1, 0, Double.NaN, -0.0, 2, 0};
        double[] x = GpuTestSupport.uniform(30, 4, -1, 1);
        double[] y = GpuTestSupport.uniform(31, 3, 5, 6);
        DeviceArray cd = up(k, c, cs, t);
        DeviceArray ad = up(k, x, as, t);
        DeviceArray bd = up(k, y, bs, t);
        DeviceArray r = k.where(cd, ad, bd);
        int[] out = {2, 4, 3};
        assertShape(r, t, out);
        double[] want = new double[24];
        for (int i = 0; i < 24; i++) {
            double cv = c[GpuTestSupport.broadcastIndex(i, out, cs)];
            want[i] = round(cv != 0 ? x[GpuTestSupport.broadcastIndex(i, out, as)] : y[GpuTestSupport.broadcastIndex(i, out, bs)], t);
        }
        assertArrayEquals(want, k.toDoubles(r));
        for (DeviceArray d : new DeviceArray[] {cd, ad, bd, r}) {
            k.release(d);
        }
    }
}
