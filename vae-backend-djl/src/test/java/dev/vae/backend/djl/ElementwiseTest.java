package dev.vae.backend.djl;

import static dev.vae.backend.djl.TestSupport.arr;
import static dev.vae.backend.djl.TestSupport.assertValues;
import static dev.vae.backend.djl.TestSupport.broadcast;
import static dev.vae.backend.djl.TestSupport.random;
import static dev.vae.backend.djl.TestSupport.round;
import static dev.vae.backend.djl.TestSupport.ulps;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.UnaryOp;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Unary, binary, where and scalar kernels against double-precision reference computations. */
class ElementwiseTest {

    private final DjlKernels k = TestSupport.kernels();

    static final double[] UNARY_INPUTS = {
        0.0, -0.0, 1e-10, -1e-10, 1e-5, -1e-5, 0.3, -0.3, 0.999, -0.999, 1, -1, 2.5, -2.5, 15, -15, 19.5, 21,
        30, -30, 100, -100, 1e4, -1e4, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
    };

    static double reference(UnaryOp op, double x) {
        switch (op) {
            case NEG:
                return -x;
            case EXP:
                return Math.exp(x);
            case LOG:
                return Math.log(x);
            case LOG1P:
                return Math.log1p(x);
            case EXPM1:
                return Math.expm1(x);
            case SQRT:
                return Math.sqrt(x);
            case ABS:
                return Math.abs(x);
            case SIGN:
                return Math.signum(x);
            case TANH:
                return Math.tanh(x);
            case SIGMOID:
                return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
            case RELU:
                return Double.isNaN(x) ? x : Math.max(x, 0);
            case SOFTPLUS:
                return Double.isNaN(x) ? x : Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
            case SQUARE:
                return x * x;
            case RECIPROCAL:
                return 1 / x;
            default:
                throw new AssertionError(op);
        }
    }

    /** ulps allowed: 1 for correctly rounded ops, more for transcendental ones and Kahan's forms */
    static int tolerance(UnaryOp op) {
        switch (op) {
            case NEG:
            case ABS:
            case SIGN:
            case RELU:
            case SQUARE:
            case SQRT:
            case RECIPROCAL:
                return 1;
            default:
                return 8;
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyUnaryOpMatchesTheReferenceIncludingEdges(DType dt) {
        double[] in = round(dt, UNARY_INPUTS);
        for (UnaryOp op : UnaryOp.values()) {
            DeviceArray a = arr(k, dt, in, in.length);
            DeviceArray r = k.unary(op, a);
            double[] exp = new double[in.length];
            for (int i = 0; i < in.length; i++) {
                exp[i] = reference(op, in[i]);
            }
            assertValues(k, r, dt, new int[] {in.length}, round(dt, exp), ulps(dt, tolerance(op)),
                    dt == DType.FLOAT32 ? 1e-37 : 1e-300, op + " " + dt);
            k.release(a);
            k.release(r);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void unaryOpsKeepShapeForScalarsSizeOneAndEmptyArrays(DType dt) {
        int[][] shapes = {{}, {1}, {1, 1, 1}, {0}, {2, 0, 3}, {3, 4}};
        for (int[] s : shapes) {
            int n = Shapes.sizeInt(s);
            double[] in = round(dt, random(7, n, -3, 3));
            for (UnaryOp op : UnaryOp.values()) {
                DeviceArray a = arr(k, dt, in, s);
                DeviceArray r = k.unary(op, a);
                double[] exp = new double[n];
                for (int i = 0; i < n; i++) {
                    exp[i] = reference(op, in[i]);
                }
                assertValues(k, r, dt, s, round(dt, exp), ulps(dt, tolerance(op)), 1e-300,
                        op + " " + dt + " " + Shapes.format(s));
                k.release(a);
                k.release(r);
            }
        }
    }

    @Test
    void log1pAndExpm1AreAccurateForTinyArguments() {
        for (DType dt : DType.values()) {
            double[] in = round(dt, new double[] {1e-30, -1e-30, 3e-8, -3e-8, 1e-12, 1e-7, 2e-4});
            for (UnaryOp op : new UnaryOp[] {UnaryOp.LOG1P, UnaryOp.EXPM1}) {
                DeviceArray a = arr(k, dt, in, in.length);
                DeviceArray r = k.unary(op, a);
                double[] exp = new double[in.length];
                for (int i = 0; i < in.length; i++) {
                    exp[i] = reference(op, in[i]);
                }
                assertValues(k, r, dt, new int[] {in.length}, round(dt, exp), ulps(dt, 4), 0, op + " " + dt);
                k.release(a);
                k.release(r);
            }
        }
    }

    // ------------------------------------------------------------------------------ binary

    static double reference(BinaryOp op, double a, double b) {
        switch (op) {
            case ADD:
                return a + b;
            case SUB:
                return a - b;
            case MUL:
                return a * b;
            case DIV:
                return a / b;
            case MAX:
                return Math.max(a, b);
            case MIN:
                return Math.min(a, b);
            case POW:
                return Math.pow(a, b);
            case GT:
                return a > b ? 1 : 0;
            case GE:
                return a >= b ? 1 : 0;
            case LT:
                return a < b ? 1 : 0;
            case LE:
                return a <= b ? 1 : 0;
            case EQ:
                return a == b ? 1 : 0;
            default:
                throw new AssertionError(op);
        }
    }

    static final int[][][] BROADCAST_CASES = {
        {{3, 1}, {1, 4}},
        {{2, 3, 4}, {4}},
        {{}, {2, 3}},
        {{2, 3}, {}},
        {{}, {}},
        {{0, 3}, {1, 3}},
        {{2, 1, 3}, {2, 0, 1}},
        {{1}, {5}},
        {{4}, {3, 1}},
        {{1, 1}, {1}},
        {{2, 3}, {2, 3}},
    };

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyBinaryOpBroadcastsLikeNumPy(DType dt) {
        long seed = 1;
        for (int[][] c : BROADCAST_CASES) {
            int[] sa = c[0];
            int[] sb = c[1];
            for (BinaryOp op : BinaryOp.values()) {
                // multiples of 0.5 in [-2, 2] so that comparisons meet ties; positive bases for POW
                double[] av = halves(random(seed++, Shapes.sizeInt(sa), -2, 2));
                double[] bv = halves(random(seed++, Shapes.sizeInt(sb), -2, 2));
                if (op == BinaryOp.POW) {
                    for (int i = 0; i < av.length; i++) {
                        av[i] = Math.abs(av[i]) + 0.25;
                    }
                }
                if (op == BinaryOp.DIV) {
                    for (int i = 0; i < bv.length; i++) {
                        bv[i] = bv[i] == 0 ? 0.75 : bv[i];
                    }
                }
                DeviceArray a = arr(k, dt, av, sa);
                DeviceArray b = arr(k, dt, bv, sb);
                DeviceArray r = k.binary(op, a, b);
                DoubleBinaryOperator f = (x, y) -> reference(op, x, y);
                int tol = op == BinaryOp.POW ? 4 : 1;
                assertValues(k, r, dt, Shapes.broadcast(sa, sb), round(dt, broadcast(av, sa, bv, sb, f)),
                        ulps(dt, tol), 0, op + " " + dt + " " + Shapes.format(sa) + " x " + Shapes.format(sb));
                k.release(a);
                k.release(b);
                k.release(r);
            }
        }
    }

    private static double[] halves(double[] d) {
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.round(d[i] * 2) / 2.0;
        }
        return d;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void binaryOpsFollowIeeeEdges(DType dt) {
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        // pow(1, NaN) and pow(-1, +-inf) are left out: C gives 1 there, Java's Math.pow NaN
        double[] av = {nan, 2, -0.0, inf, -inf, 2, -3, 0, 0, 5, nan, -2};
        double[] bv = {1, nan, 0, inf, 1, 2, 0.5, 0, -1, -inf, nan, 3};
        for (BinaryOp op : BinaryOp.values()) {
            DeviceArray a = arr(k, dt, av, av.length);
            DeviceArray b = arr(k, dt, bv, bv.length);
            DeviceArray r = k.binary(op, a, b);
            double[] exp = new double[av.length];
            for (int i = 0; i < av.length; i++) {
                exp[i] = reference(op, av[i], bv[i]);
            }
            assertValues(k, r, dt, new int[] {av.length}, round(dt, exp), ulps(dt, 1), 0, op + " " + dt + " edges");
            k.release(a);
            k.release(b);
            k.release(r);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void scalarMatchesBinaryWithAScalarOperand(DType dt) {
        double[] av = round(dt, new double[] {-2, -0.5, 0, 0.5, 1.5, 3, Double.NaN});
        for (BinaryOp op : BinaryOp.values()) {
            for (double s : new double[] {1.5, 0, -2, Double.NaN, Double.POSITIVE_INFINITY, 0.1}) {
                DeviceArray a = arr(k, dt, op == BinaryOp.POW ? abs(av) : av, 7);
                DeviceArray r = k.scalar(op, a, s);
                double sr = round(dt, new double[] {s})[0];
                double[] src = op == BinaryOp.POW ? abs(av) : av;
                double[] exp = new double[src.length];
                for (int i = 0; i < src.length; i++) {
                    exp[i] = reference(op, src[i], sr);
                }
                assertValues(k, r, dt, new int[] {7}, round(dt, exp), ulps(dt, 4), 0, op + " " + dt + " scalar " + s);
                k.release(a);
                k.release(r);
            }
        }
    }

    private static double[] abs(double[] d) {
        double[] r = d.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.abs(r[i]) == 1 ? 1.25 : Math.abs(r[i]);
        }
        return r;
    }

    // ------------------------------------------------------------------------------ where

    @ParameterizedTest
    @EnumSource(DType.class)
    void whereBroadcastsAllThreeOperands(DType dt) {
        double[] cv = {0, 1, Double.NaN};
        double[] av = {10, 20, 30, 40};
        double[] bv = {-1};
        DeviceArray c = arr(k, dt, cv, 3, 1);
        DeviceArray a = arr(k, dt, av, 1, 4);
        DeviceArray b = arr(k, dt, bv);
        DeviceArray r = k.where(c, a, b);
        // NaN != 0, so NaN selects a
        double[] exp = {-1, -1, -1, -1, 10, 20, 30, 40, 10, 20, 30, 40};
        assertValues(k, r, dt, new int[] {3, 4}, exp, 0, 0, "where " + dt);
        for (DeviceArray x : new DeviceArray[] {c, a, b, r}) {
            k.release(x);
        }

        DeviceArray c2 = arr(k, dt, new double[] {-0.0, 2, 0, -3, 0.5, 0}, 2, 3);
        DeviceArray a2 = arr(k, dt, new double[] {1, 2, 3}, 3);
        DeviceArray b2 = arr(k, dt, new double[] {7, 8}, 2, 1);
        DeviceArray r2 = k.where(c2, a2, b2);
        assertValues(k, r2, dt, new int[] {2, 3}, new double[] {7, 2, 7, 1, 2, 8}, 0, 0, "where negative zero " + dt);

        DeviceArray c3 = arr(k, dt, new double[0], 0, 1);
        DeviceArray r3 = k.where(c3, a2, arr(k, dt, new double[] {9}));
        assertValues(k, r3, dt, new int[] {0, 3}, new double[0], 0, 0, "where empty " + dt);
        for (DeviceArray x : new DeviceArray[] {c2, a2, b2, r2, c3, r3}) {
            k.release(x);
        }
    }
}
