package dev.vae.backend.jvm;

import dev.vae.api.DType;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.UnaryOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every unary and binary op, both dtypes, against the float64 reference; broadcasting cases. */
class ElementwiseTest {
    private static JvmKernels k;

    @BeforeAll
    static void setUp() {
        k = new JvmKernels(2);
    }

    @AfterAll
    static void tearDown() {
        k.close();
    }

    private static double rtol(DType t) {
        // float32: results are rounded once from float64 (or exact IEEE float ops); float64: same libm
        return t == DType.FLOAT32 ? 2.5e-7 : 1e-14;
    }

    private static void checkUnary(UnaryOp op, DType t, int[] shape, double[] vals) {
        DeviceArray a = Ref.make(k, t, shape, vals);
        DeviceArray r = k.unary(op, a);
        assertArrayEquals(shape, r.shape());
        assertEquals(t, r.dtype());
        double[] in = k.toDoubles(a);
        double[] exp = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            exp[i] = Ref.unary(op, in[i]);
        }
        Ref.assertClose(exp, k.toDoubles(r), t, rtol(t), 1e-300, op + " " + t + " " + Ref.fmt(shape));
        k.release(a);
        k.release(r);
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryMatchesReference(UnaryOp op) {
        for (DType t : DType.values()) {
            checkUnary(op, t, new int[] {Ref.SPECIALS.length + 43}, Ref.values(Ref.SPECIALS.length + 43, 1, true));
            checkUnary(op, t, new int[] {2, 3, 4}, Ref.values(24, 2, false));
            checkUnary(op, t, new int[0], new double[] {0.75});
            checkUnary(op, t, new int[] {0, 5}, new double[0]);
            checkUnary(op, t, new int[] {3, 0}, new double[0]);
            // large enough to run in parallel chunks
            checkUnary(op, t, new int[] {317, 401}, Ref.values(317 * 401, 3, true));
        }
    }

    @Test
    void edgeSemantics() {
        for (DType t : DType.values()) {
            double[] x = {0.0, -0.0, 1e4, -1e4, Double.NaN, 3.0, -3.0};
            DeviceArray a = Ref.make(k, t, new int[] {x.length}, x);
            double[] sign = k.toDoubles(k.unary(UnaryOp.SIGN, a));
            assertEquals(0.0, sign[0]);
            assertEquals(0.0, Math.abs(sign[1]));
            assertEquals(1.0, sign[2]);
            assertEquals(-1.0, sign[3]);
            double[] sig = k.toDoubles(k.unary(UnaryOp.SIGMOID, a));
            assertEquals(1.0, sig[2]);
            assertEquals(0.0, sig[3]);
            assertEquals(true, Double.isNaN(sig[4]));
            double[] sp = k.toDoubles(k.unary(UnaryOp.SOFTPLUS, a));
            assertEquals(1e4, sp[2]);
            assertEquals(0.0, sp[3]);
            assertEquals(Math.log(2), sp[0], 1e-7);
            double[] relu = k.toDoubles(k.unary(UnaryOp.RELU, a));
            assertEquals(true, Double.isNaN(relu[4]));
            assertEquals(0.0, relu[6]);
            double[] max = k.toDoubles(k.binary(BinaryOp.MAX, a, k.full(new int[0], t, 1.0)));
            assertEquals(true, Double.isNaN(max[4]));
            double[] min = k.toDoubles(k.binary(BinaryOp.MIN, k.full(new int[0], t, 1.0), a));
            assertEquals(true, Double.isNaN(min[4]));
            double[] gt = k.toDoubles(k.binary(BinaryOp.GT, a, k.full(new int[0], t, 0.0)));
            assertArrayEquals(new double[] {0, 0, 1, 0, 0, 1, 0}, gt);
            double[] eq = k.toDoubles(k.binary(BinaryOp.EQ, a, a));
            assertArrayEquals(new double[] {1, 1, 1, 1, 0, 1, 1}, eq);
        }
    }

    /** Shape pairs exercising every broadcasting case: equal, scalars, size-1, rank mismatch, empty. */
    static final int[][][] PAIRS = {
        {{2, 3}, {2, 3}},
        {{3, 1}, {1, 4}},
        {{2, 3, 4}, {4}},
        {{4}, {2, 3, 4}},
        {{}, {2, 3}},
        {{2, 3}, {}},
        {{}, {}},
        {{2, 1, 4}, {3, 1}},
        {{1}, {5}},
        {{5}, {1}},
        {{4, 1, 3}, {1, 5, 1}},
        {{2, 3, 1}, {2, 3, 5}},
        {{1, 1, 6}, {2, 1, 1}},
        {{0, 3}, {3}},
        {{2, 0}, {1, 1}},
        {{3, 0, 2}, {3, 1, 2}},
        {{1, 0}, {4, 1}},
        {{300, 300}, {300, 1}},
        {{300, 1}, {300, 300}},
        {{257, 300}, {300}},
        {{2, 40000}, {1}},
        {{7, 1, 9000}, {7, 3, 1}},
    };

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryMatchesReferenceWithBroadcasting(BinaryOp op) {
        long seed = 10;
        for (DType t : DType.values()) {
            for (int[][] pair : PAIRS) {
                int[] as = pair[0];
                int[] bs = pair[1];
                double[] av = Ref.values(Ref.size(as), seed++, true);
                double[] bv = Ref.values(Ref.size(bs), seed++, false);
                if (op == BinaryOp.EQ || op == BinaryOp.GE || op == BinaryOp.LE) {
                    // make some elements equal
                    for (int i = 0; i < bv.length; i += 3) {
                        bv[i] = av.length > 0 ? av[i % av.length] : bv[i];
                    }
                }
                checkBinary(op, t, as, av, bs, bv);
            }
        }
    }

    @Test
    void specialValuesAgainstEachOther() {
        int n = Ref.SPECIALS.length;
        for (DType t : DType.values()) {
            for (BinaryOp op : BinaryOp.values()) {
                checkBinary(op, t, new int[] {n, 1}, Ref.SPECIALS, new int[] {1, n}, Ref.SPECIALS);
            }
        }
    }

    private static void checkBinary(BinaryOp op, DType t, int[] as, double[] av, int[] bs, double[] bv) {
        DeviceArray a = Ref.make(k, t, as, av);
        DeviceArray b = Ref.make(k, t, bs, bv);
        DeviceArray r = k.binary(op, a, b);
        String what = op + " " + t + " " + Ref.fmt(as) + " x " + Ref.fmt(bs);
        assertArrayEquals(Ref.broadcast(as, bs), r.shape(), what);
        assertEquals(t, r.dtype());
        double[] exp = Ref.binary(op, k.toDoubles(a), as, k.toDoubles(b), bs);
        Ref.assertClose(exp, k.toDoubles(r), t, rtol(t), 1e-300, what);
        // the fused scalar kernel against the same reference
        if (Ref.size(bs) == 1 && Ref.size(as) > 0) {
            DeviceArray s = k.scalar(op, a, bv[0]);
            Ref.assertClose(Ref.binary(op, k.toDoubles(a), as, k.toDoubles(b), new int[0]), k.toDoubles(s), t,
                    rtol(t), 1e-300, "scalar " + what);
            k.release(s);
        }
        k.release(a);
        k.release(b);
        k.release(r);
    }

    @Test
    void whereBroadcastsAllThree() {
        int[][][] cases = {
            {{2, 3}, {2, 3}, {2, 3}},
            {{3, 1}, {1, 4}, {}},
            {{4}, {3, 4}, {3, 1}},
            {{}, {2, 2}, {2, 2}},
            {{2, 1, 3}, {1, 4, 1}, {3}},
            {{0, 2}, {2}, {}},
            {{300, 300}, {300, 300}, {300, 300}},
            {{300, 1}, {300}, {}},
        };
        long seed = 99;
        for (DType t : DType.values()) {
            for (int[][] c : cases) {
                double[] cv = Ref.values(Ref.size(c[0]), seed++, false);
                for (int i = 0; i < cv.length; i++) {
                    cv[i] = i % 4 == 0 ? 0.0 : (i % 4 == 1 ? -0.0 : (i % 4 == 2 ? Double.NaN : cv[i]));
                }
                double[] av = Ref.values(Ref.size(c[1]), seed++, false);
                double[] bv = Ref.values(Ref.size(c[2]), seed++, false);
                DeviceArray cond = Ref.make(k, t, c[0], cv);
                DeviceArray a = Ref.make(k, t, c[1], av);
                DeviceArray b = Ref.make(k, t, c[2], bv);
                DeviceArray r = k.where(cond, a, b);
                int[] out = Ref.broadcast(Ref.broadcast(c[0], c[1]), c[2]);
                assertArrayEquals(out, r.shape());
                double[] ca = k.toDoubles(cond);
                double[] aa = k.toDoubles(a);
                double[] ba = k.toDoubles(b);
                double[] exp = new double[Ref.size(out)];
                for (int i = 0; i < exp.length; i++) {
                    int[] idx = Ref.unravel(i, out);
                    exp[i] = ca[Ref.broadcastPos(idx, c[0])] != 0 ? aa[Ref.broadcastPos(idx, c[1])]
                            : ba[Ref.broadcastPos(idx, c[2])];
                }
                Ref.assertBitEqual(exp, k.toDoubles(r), "where " + t + " " + Ref.fmt(c[0]));
                for (DeviceArray x : new DeviceArray[] {cond, a, b, r}) {
                    k.release(x);
                }
            }
        }
    }
}
