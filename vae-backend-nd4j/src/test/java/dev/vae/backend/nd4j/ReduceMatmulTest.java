package dev.vae.backend.nd4j;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.ReduceOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reductions over every axis set and matrix products with every transpose combination. */
class ReduceMatmulTest extends KernelTestBase {

    private static List<int[]> subsets(int rank) {
        List<int[]> l = new ArrayList<>();
        for (int mask = 0; mask < 1 << rank; mask++) {
            int[] ax = new int[Integer.bitCount(mask)];
            int j = 0;
            for (int i = 0; i < rank; i++) {
                if ((mask & 1 << i) != 0) {
                    ax[j++] = i;
                }
            }
            l.add(ax);
        }
        return l;
    }

    private static double norm(double[] v) {
        double m = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                m = Math.max(m, Math.abs(x));
            }
        }
        return m;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reduceOverEveryAxisSet(DType t) {
        for (int[] shape : new int[][] {{2, 3, 4}, {1, 3, 1}, {5}, {3, 1, 2, 2}}) {
            double[] v = Ref.round(Ref.random(4, Shapes.sizeInt(shape), -2, 2), t);
            DeviceArray a = make(t, v, shape);
            DeviceArray p = null;
            double[] pv = null;
            int[] ps = null;
            if (shape.length == 3) {
                p = k.permute(a, new int[] {2, 0, 1});
                pv = Ref.permute(v, shape, new int[] {2, 0, 1});
                ps = new int[] {shape[2], shape[0], shape[1]};
            }
            for (int[] axes : subsets(shape.length)) {
                for (boolean keep : new boolean[] {false, true}) {
                    for (ReduceOp op : ReduceOp.values()) {
                        boolean sum = op == ReduceOp.SUM;
                        double[] exp = Ref.round(axes.length == 0 ? v : Ref.reduce(v, shape, axes, sum), t);
                        String what = op + " " + Shapes.format(shape) + " axes " + Arrays.toString(axes) + " keep " + keep;
                        DeviceArray r = k.reduce(op, a, axes, keep);
                        Ref.assertClose(what, exp, read(r, Shapes.reduced(shape, axes, keep)), 8 * Ref.rtol(t) * norm(v), Ref.rtol(t));
                        k.release(r);
                        if (p != null) {
                            double[] expP = Ref.round(axes.length == 0 ? pv : Ref.reduce(pv, ps, axes, sum), t);
                            Ref.assertClose(what + " permuted", expP, read(k.reduce(op, p, axes, keep), Shapes.reduced(ps, axes, keep)),
                                    8 * Ref.rtol(t) * norm(v), Ref.rtol(t));
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reduceEdgeCases(DType t) {
        DeviceArray e = make(t, new double[0], 0, 3);
        Ref.assertClose("sum of empty", new double[] {0, 0, 0}, read(k.reduce(ReduceOp.SUM, e, new int[] {0}, false), 3), 0, 0);
        double ninf = Double.NEGATIVE_INFINITY;
        Ref.assertClose("max of empty", new double[] {ninf, ninf, ninf},
                read(k.reduce(ReduceOp.MAX, e, new int[] {0}, true), 1, 3), 0, 0);
        assertArrayEquals(new int[] {0}, k.reduce(ReduceOp.SUM, e, new int[] {1}, false).shape());
        assertArrayEquals(new int[] {0, 1}, k.reduce(ReduceOp.MAX, e, new int[] {1}, true).shape());
        Ref.assertClose("sum all of empty", new double[] {0}, read(k.reduce(ReduceOp.SUM, e, new int[] {0, 1}, false)), 0, 0);
        Ref.assertClose("max all of empty", new double[] {ninf}, read(k.reduce(ReduceOp.MAX, e, new int[] {0, 1}, false)), 0, 0);
        DeviceArray s = make(t, new double[] {4});
        Ref.assertClose("rank-0", new double[] {4}, read(k.reduce(ReduceOp.SUM, s, new int[0], false)), 0, 0);
        // NaN propagates through max, per slice
        double nan = Double.NaN;
        double[] v = {1, nan, 3, 4, 5, 6, -1, -2, ninf};
        DeviceArray a = make(t, v, 3, 3);
        Ref.assertClose("max NaN rows", new double[] {nan, 6, -1}, read(k.reduce(ReduceOp.MAX, a, new int[] {1}, false), 3), 0, 0);
        Ref.assertClose("max NaN cols", new double[] {4, nan, 6}, read(k.reduce(ReduceOp.MAX, a, new int[] {0}, true), 1, 3), 0, 0);
        Ref.assertClose("max NaN all", new double[] {nan}, read(k.reduce(ReduceOp.MAX, a, new int[] {0, 1}, false)), 0, 0);
        Ref.assertClose("sum NaN", new double[] {nan, 15, ninf}, read(k.reduce(ReduceOp.SUM, a, new int[] {1}, false), 3), 0, 0);
        DeviceArray allNegInf = make(t, new double[] {ninf, ninf}, 2);
        Ref.assertClose("max -inf", new double[] {ninf}, read(k.reduce(ReduceOp.MAX, allNegInf, new int[] {0}, false)), 0, 0);
    }

    @Test
    void float32SumOfManyElementsIsAccurate() {
        int n = 100_000;
        double[] v = Ref.round(Ref.random(9, n, 0, 1), DType.FLOAT32);
        double exact = 0;
        for (double x : v) {
            exact += x;
        }
        double got = read(k.reduce(ReduceOp.SUM, make(DType.FLOAT32, v, 100, 1000), new int[] {0, 1}, false))[0];
        assertEquals(exact, got, exact * 1e-5);
    }

    static final int[][] MNK = {{5, 7, 3}, {1, 1, 1}, {1, 9, 1}, {4, 1, 6}, {17, 33, 9}, {1, 8, 5}, {6, 8, 1}, {2, 0, 3}, {0, 4, 2}, {3, 4, 0}};

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulAllTransposeCombinations(DType t) {
        for (int[] mnk : MNK) {
            int m = mnk[0];
            int kk = mnk[1];
            int n = mnk[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int[] as = ta ? new int[] {kk, m} : new int[] {m, kk};
                    int[] bs = tb ? new int[] {n, kk} : new int[] {kk, n};
                    double[] av = Ref.round(Ref.random(m * 31 + kk, m * kk, -1, 1), t);
                    double[] bv = Ref.round(Ref.random(n * 17 + kk, kk * n, -1, 1), t);
                    double[] exp = Ref.matmul(av, as, bv, bs, ta, tb);
                    String what = "matmul " + Arrays.toString(mnk) + " tA=" + ta + " tB=" + tb + " " + t;
                    DeviceArray r = k.matmul(make(t, av, as), make(t, bv, bs), ta, tb);
                    double tol = (t == DType.FLOAT32 ? 1e-6 : 1e-14) * Math.max(kk, 1);
                    Ref.assertClose(what, exp, read(r, m, n), tol, tol);
                    // the same product from views: transposed storage viewed through permute
                    if (m * kk > 0 && kk * n > 0) {
                        DeviceArray at = make(t, Ref.permute(av, as, new int[] {1, 0}), as[1], as[0]);
                        DeviceArray bt = make(t, Ref.permute(bv, bs, new int[] {1, 0}), bs[1], bs[0]);
                        DeviceArray av2 = k.permute(at, new int[] {1, 0});
                        DeviceArray bv2 = k.permute(bt, new int[] {1, 0});
                        Ref.assertClose(what + " views", exp, read(k.matmul(av2, bv2, ta, tb), m, n), tol, tol);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulOfSlices(DType t) {
        double[] v = Ref.round(Ref.random(3, 8 * 10, -1, 1), t);
        DeviceArray big = make(t, v, 8, 10);
        DeviceArray a = k.slice(big, 1, 2, 7);
        DeviceArray b = k.slice(big, 0, 1, 6);
        double[] avv = Ref.slice(v, new int[] {8, 10}, 1, 2, 7);
        double[] bvv = Ref.slice(v, new int[] {8, 10}, 0, 1, 6);
        Ref.assertClose("slice @ slice^T", Ref.matmul(avv, new int[] {8, 5}, bvv, new int[] {5, 10}, false, false),
                read(k.matmul(a, b, false, false), 8, 10), 1e-5, 1e-5);
        Ref.assertClose("slice^T @ slice", Ref.matmul(avv, new int[] {8, 5}, avv, new int[] {8, 5}, true, false),
                read(k.matmul(a, a, true, false), 5, 5), 1e-5, 1e-5);
    }
}
