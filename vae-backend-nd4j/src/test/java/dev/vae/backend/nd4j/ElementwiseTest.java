package dev.vae.backend.nd4j;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.Compositions;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.UnaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Unary, binary (with broadcasting), where and scalar kernels against double computations. */
class ElementwiseTest extends KernelTestBase {
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double NAN = Double.NaN;
    /** Edge values every unary op is checked at, plus random values. */
    private static final double[] EDGES = {
        -1000, -100, -88, -80, -30, -20.5, -3, -1, -0.5, -1e-3, -1e-5, -1e-8, -1e-30, -0.0, 0, 1e-30, 1e-10, 1e-8, 1e-5,
        1e-3, 0.5, 1, 3, 20.5, 30, 80, 88, 100, 1000, 1e30, -1e30, INF, -INF, NAN, -1.5, 2.25, 7, 0.999, -0.999
    };

    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    static DoubleUnaryOperator reference(UnaryOp op) {
        switch (op) {
            case NEG: return x -> -x;
            case EXP: return Math::exp;
            case LOG: return Math::log;
            case LOG1P: return Math::log1p;
            case EXPM1: return Math::expm1;
            case SQRT: return Math::sqrt;
            case ABS: return Math::abs;
            case SIGN: return Math::signum;
            case TANH: return Math::tanh;
            case SIGMOID: return ElementwiseTest::sigmoid;
            case RELU: return x -> Double.isNaN(x) ? x : Math.max(x, 0);
            case SOFTPLUS: return ElementwiseTest::softplus;
            case SQUARE: return x -> x * x;
            case RECIPROCAL: return x -> 1 / x;
            default: throw new IllegalArgumentException(op.toString());
        }
    }

    static DoubleBinaryOperator reference(BinaryOp op) {
        switch (op) {
            case ADD: return (a, b) -> a + b;
            case SUB: return (a, b) -> a - b;
            case MUL: return (a, b) -> a * b;
            case DIV: return (a, b) -> a / b;
            case MAX: return (a, b) -> Double.isNaN(a) || Double.isNaN(b) ? NAN : Math.max(a, b);
            case MIN: return (a, b) -> Double.isNaN(a) || Double.isNaN(b) ? NAN : Math.min(a, b);
            case POW: return Math::pow;
            case GT: return (a, b) -> a > b ? 1 : 0;
            case GE: return (a, b) -> a >= b ? 1 : 0;
            case LT: return (a, b) -> a < b ? 1 : 0;
            case LE: return (a, b) -> a <= b ? 1 : 0;
            case EQ: return (a, b) -> a == b ? 1 : 0;
            default: throw new IllegalArgumentException(op.toString());
        }
    }

    private static double[] unaryInput() {
        double[] r = Ref.random(7, 33, -6, 6);
        double[] v = Arrays.copyOf(EDGES, EDGES.length + r.length);
        System.arraycopy(r, 0, v, EDGES.length, r.length);
        return v;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void unaryOpsMatchDoubleReference(DType t) {
        double[] in = Ref.round(unaryInput(), t);
        int[] shape = {in.length / 4, 4};
        for (UnaryOp op : UnaryOp.values()) {
            DeviceArray a = make(t, in, shape);
            DeviceArray r = k.unary(op, a);
            double[] expected = Ref.round(Ref.unary(in, reference(op)), t);
            Ref.assertClose(op + " " + t, expected, read(r, shape), Ref.atol(t), Ref.rtol(t));
            k.release(a);
            k.release(r);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void unaryOpsOnPermutedAndSlicedViews(DType t) {
        double[] in = Ref.round(Ref.random(3, 60, -4, 4), t);
        DeviceArray a = make(t, in, 3, 4, 5);
        DeviceArray p = k.permute(a, new int[] {2, 0, 1});
        DeviceArray s = k.slice(p, 1, 1, 3);
        double[] pv = Ref.permute(in, new int[] {3, 4, 5}, new int[] {2, 0, 1});
        double[] sv = Ref.slice(pv, new int[] {5, 3, 4}, 1, 1, 3);
        for (UnaryOp op : UnaryOp.values()) {
            Ref.assertClose(op + " permuted", Ref.round(Ref.unary(pv, reference(op)), t), read(k.unary(op, p), 5, 3, 4),
                    Ref.atol(t), Ref.rtol(t));
            Ref.assertClose(op + " sliced", Ref.round(Ref.unary(sv, reference(op)), t), read(k.unary(op, s), 5, 2, 4),
                    Ref.atol(t), Ref.rtol(t));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void unaryOpsOnRankZeroAndEmpty(DType t) {
        for (UnaryOp op : UnaryOp.values()) {
            DeviceArray s = make(t, new double[] {0.75});
            Ref.assertClose(op + " scalar", Ref.round(new double[] {reference(op).applyAsDouble(0.75)}, t),
                    read(k.unary(op, s)), Ref.atol(t), Ref.rtol(t));
            DeviceArray e = make(t, new double[0], 2, 0, 3);
            assertEquals(0, read(k.unary(op, e), 2, 0, 3).length);
        }
    }

    @Test
    void accurateNearZero() {
        double[] tiny = {1e-20, -1e-20, 1e-12, 3e-9, -2e-7, 1e-4, -1e-4};
        for (DType t : DType.values()) {
            double[] in = Ref.round(tiny, t);
            for (UnaryOp op : new UnaryOp[] {UnaryOp.TANH, UnaryOp.LOG1P, UnaryOp.EXPM1, UnaryOp.SOFTPLUS, UnaryOp.SIGMOID}) {
                double[] got = read(k.unary(op, make(t, in, in.length)), in.length);
                double[] exp = Ref.round(Ref.unary(in, reference(op)), t);
                Ref.assertClose(op + " near 0 " + t, exp, got, 0, t == DType.FLOAT32 ? 4e-7 : 4e-16);
            }
        }
    }

    @Test
    void softplusIsExactForLargeInputsInFloat32() {
        double[] in = {88, 89, 100, 1000, 1e30, -88, -89, -100, -1000};
        double[] got = read(k.unary(UnaryOp.SOFTPLUS, make(DType.FLOAT32, in, in.length)), in.length);
        Ref.assertClose("softplus", Ref.round(Ref.unary(in, ElementwiseTest::softplus), DType.FLOAT32), got,
                Float.MIN_NORMAL, 1e-7);
    }

    static final int[][][] SHAPE_PAIRS = {
        {{3, 1}, {1, 4}},
        {{2, 3, 4}, {4}},
        {{4}, {2, 3, 4}},
        {{}, {2, 3}},
        {{2, 3}, {}},
        {{}, {}},
        {{1, 1}, {3}},
        {{3}, {1, 1}},
        {{2, 1, 4}, {3, 1}},
        {{5, 1, 1}, {1, 2, 1}},
        {{1}, {7}},
        {{7}, {7}},
        {{2, 3}, {2, 3}},
        {{0, 3}, {1, 3}},
        {{2, 0}, {2, 1}},
        {{3, 0}, {0}},
        {{1}, {0}},
        {{0}, {}},
    };

    private static double[] binaryValues(long seed, int n, BinaryOp op, boolean left) {
        if (op.isComparison()) {
            double[] choice = {-1, 0, 0.5, 1, NAN, INF};
            double[] r = Ref.random(seed, n, 0, choice.length);
            for (int i = 0; i < n; i++) {
                r[i] = choice[(int) r[i]];
            }
            return r;
        }
        if (op == BinaryOp.POW) {
            return left ? Ref.random(seed, n, 0.2, 3) : Ref.random(seed, n, -2, 2);
        }
        double[] r = Ref.random(seed, n, -3, 3);
        if ((op == BinaryOp.MAX || op == BinaryOp.MIN) && n > 2) {
            r[left ? 0 : n - 1] = NAN;
            r[n / 2] = left ? INF : -INF;
        }
        return r;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void binaryOpsBroadcastLikeNumPy(DType t) {
        for (BinaryOp op : BinaryOp.values()) {
            for (int[][] pair : SHAPE_PAIRS) {
                int[] as = pair[0];
                int[] bs = pair[1];
                double[] av = Ref.round(binaryValues(11, Shapes.sizeInt(as), op, true), t);
                double[] bv = Ref.round(binaryValues(12, Shapes.sizeInt(bs), op, false), t);
                DeviceArray a = make(t, av, as);
                DeviceArray b = make(t, bv, bs);
                DeviceArray r = k.binary(op, a, b);
                int[] out = Shapes.broadcast(as, bs);
                double[] expected = Ref.round(Ref.binary(av, as, bv, bs, reference(op)), t);
                Ref.assertClose(op + " " + Shapes.format(as) + " x " + Shapes.format(bs) + " " + t, expected, read(r, out),
                        Ref.atol(t), Ref.rtol(t));
                assertEquals(t, r.dtype());
                k.release(a);
                k.release(b);
                k.release(r);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void binaryOpsOnViews(DType t) {
        double[] av = Ref.round(Ref.random(5, 24, -3, 3), t);
        double[] bv = Ref.round(Ref.random(6, 12, -3, 3), t);
        DeviceArray a = k.permute(make(t, av, 2, 3, 4), new int[] {2, 0, 1});
        DeviceArray b = k.slice(make(t, bv, 4, 3), 0, 1, 3);
        DeviceArray c = k.permute(make(t, bv, 3, 2, 2), new int[] {1, 2, 0});
        double[] ap = Ref.permute(av, new int[] {2, 3, 4}, new int[] {2, 0, 1});
        double[] bsl = Ref.slice(bv, new int[] {4, 3}, 0, 1, 3);
        double[] cp = Ref.permute(bv, new int[] {3, 2, 2}, new int[] {1, 2, 0});
        for (BinaryOp op : BinaryOp.values()) {
            // (4, 2, 3) with a (2, 3) slice view that needs the rank of the result
            Ref.assertClose(op + " permuted x slice", Ref.round(Ref.binary(ap, new int[] {4, 2, 3}, bsl, new int[] {2, 3},
                    reference(op)), t), read(k.binary(op, a, b), 4, 2, 3), Ref.atol(t), Ref.rtol(t));
            Ref.assertClose(op + " slice x permuted", Ref.round(Ref.binary(bsl, new int[] {2, 3}, ap, new int[] {4, 2, 3},
                    reference(op)), t), read(k.binary(op, b, a), 4, 2, 3), Ref.atol(t), Ref.rtol(t));
            // (2, 2, 3) permuted with (4, 2, 3) permuted is not broadcastable; use its (1, 2, 3) slice
            DeviceArray c1 = k.slice(c, 0, 1, 2);
            double[] c1v = Ref.slice(cp, new int[] {2, 2, 3}, 0, 1, 2);
            Ref.assertClose(op + " permuted x permuted slice", Ref.round(Ref.binary(ap, new int[] {4, 2, 3}, c1v,
                    new int[] {1, 2, 3}, reference(op)), t), read(k.binary(op, a, c1), 4, 2, 3), Ref.atol(t), Ref.rtol(t));
            Ref.assertClose(op + " same view", Ref.round(Ref.binary(ap, new int[] {4, 2, 3}, ap, new int[] {4, 2, 3},
                    reference(op)), t), read(k.binary(op, a, a), 4, 2, 3), Ref.atol(t), Ref.rtol(t));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void powFollowsMathPowAtTheEdges(DType t) {
        double[] a = {0, 0, 0, 2, -2, -2, -2, 4, 1e10, 10, INF, 0.5, 1, 1, 1, -1, -1, NAN, NAN, 2, -INF, -INF, 0.0, -0.0};
        double[] b = {2, 0, -1, 0.5, 2, 3, 0.5, -0.5, 4, 40, -1, 200, 0, NAN, INF, -INF, INF, 0, 1, NAN, 3, 2, -2, -3};
        double[] av = Ref.round(a, t);
        double[] bv = Ref.round(b, t);
        DeviceArray r = k.binary(BinaryOp.POW, make(t, av, a.length), make(t, bv, b.length));
        Ref.assertClose("pow " + t, Ref.round(Ref.binary(av, new int[] {a.length}, bv, new int[] {b.length}, Math::pow), t),
                read(r, a.length), Ref.atol(t), Ref.rtol(t));
        // broadcast form: a column of bases against a row of exponents, with an infinite exponent
        DeviceArray col = make(t, Ref.round(new double[] {1, -1, 2, NAN}, t), 4, 1);
        DeviceArray row = make(t, Ref.round(new double[] {INF, 0, 2}, t), 3);
        Ref.assertClose("pow broadcast " + t, Ref.round(Ref.binary(new double[] {1, -1, 2, NAN}, new int[] {4, 1},
                        new double[] {INF, 0, 2}, new int[] {3}, Math::pow), t),
                read(k.binary(BinaryOp.POW, col, row), 4, 3), Ref.atol(t), Ref.rtol(t));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void maxAndMinPropagateNaNFromEitherSide(DType t) {
        double[] a = {NAN, 1, NAN, -INF, 2, 0};
        double[] b = {1, NAN, NAN, NAN, -INF, -0.0};
        for (BinaryOp op : new BinaryOp[] {BinaryOp.MAX, BinaryOp.MIN}) {
            DeviceArray r = k.binary(op, make(t, a, 6), make(t, b, 6));
            Ref.assertClose(op.toString(), Ref.binary(a, new int[] {6}, b, new int[] {6}, reference(op)), read(r, 6), 0, 0);
            DeviceArray col = make(t, new double[] {NAN, 1, 2}, 3, 1);
            DeviceArray row = make(t, new double[] {0, NAN, 5}, 1, 3);
            Ref.assertClose(op + " broadcast", Ref.binary(new double[] {NAN, 1, 2}, new int[] {3, 1}, new double[] {0, NAN, 5},
                    new int[] {1, 3}, reference(op)), read(k.binary(op, col, row), 3, 3), 0, 0);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void whereBroadcastsAllThreeOperands(DType t) {
        int[][][] triples = {
            {{3, 4}, {3, 4}, {3, 4}},
            {{3, 1}, {1, 4}, {3, 4}},
            {{2, 3, 4}, {4}, {3, 1}},
            {{}, {3, 4}, {}},
            {{}, {}, {}},
            {{1}, {2, 1}, {3}},
            {{0, 4}, {1, 4}, {}},
        };
        double[] choice = {0, 1, 0, -3.5, 0.5, NAN};
        for (int[][] s : triples) {
            double[] cv = Ref.random(1, Shapes.sizeInt(s[0]), 0, choice.length);
            for (int i = 0; i < cv.length; i++) {
                cv[i] = choice[(int) cv[i]];
            }
            double[] av = Ref.round(Ref.random(2, Shapes.sizeInt(s[1]), -5, 5), t);
            double[] bv = Ref.round(Ref.random(3, Shapes.sizeInt(s[2]), -5, 5), t);
            DeviceArray r = k.where(make(t, cv, s[0]), make(t, av, s[1]), make(t, bv, s[2]));
            int[] out = Shapes.broadcast(Shapes.broadcast(s[0], s[1]), s[2]);
            Ref.assertClose("where " + Arrays.deepToString(s), Ref.where(cv, s[0], av, s[1], bv, s[2]), read(r, out), 0, 0);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void scalarKernelMatchesComposition(DType t) {
        double[] in = Ref.round(new double[] {-2.5, 0, -0.0, 0.25, 0.5, 0.49999997, 1, 3, 1e30, -1e30, INF, -INF, NAN, -7, 2}, t);
        double[] scalars = {2.5, -1.5, 0.25, 0.5, 0, 3, NAN, INF, -INF};
        for (BinaryOp op : BinaryOp.values()) {
            for (double s : scalars) {
                DeviceArray a = make(t, in, 3, 5);
                DeviceArray fused = k.scalar(op, a, s);
                DeviceArray comp = Compositions.scalar(k, op, a, s);
                double[] expected = Ref.round(Ref.binary(in, new int[] {in.length}, Ref.round(new double[] {s}, t), new int[0],
                        reference(op)), t);
                double[] got = read(fused, 3, 5);
                Ref.assertClose(op + "(" + s + ") vs reference " + t, expected, got, Ref.atol(t), Ref.rtol(t));
                Ref.assertClose(op + "(" + s + ") vs composition " + t, read(comp, 3, 5), got, Ref.atol(t), Ref.rtol(t));
                k.release(a);
                k.release(fused);
                k.release(comp);
            }
        }
        DeviceArray e = make(t, new double[0], 0, 2);
        for (BinaryOp op : BinaryOp.values()) {
            assertArrayEquals(new int[] {0, 2}, k.scalar(op, e, 1.0).shape());
        }
        Ref.assertClose("rank-0 scalar", new double[] {4.5}, read(k.scalar(BinaryOp.ADD, make(t, new double[] {2}), 2.5)), 0, 0);
    }

    @Test
    void comparisonsGiveOneOrZeroInTheOperandType() {
        for (DType t : DType.values()) {
            DeviceArray a = make(t, new double[] {1, 2, 3}, 3);
            DeviceArray b = make(t, new double[] {2, 2, 2}, 3);
            DeviceArray r = k.binary(BinaryOp.GE, a, b);
            assertEquals(t, r.dtype());
            Ref.assertClose("ge", new double[] {0, 1, 1}, read(r, 3), 0, 0);
        }
    }
}
