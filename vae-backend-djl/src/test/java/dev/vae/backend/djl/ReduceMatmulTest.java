package dev.vae.backend.djl;

import static dev.vae.backend.djl.TestSupport.arr;
import static dev.vae.backend.djl.TestSupport.assertValues;
import static dev.vae.backend.djl.TestSupport.random;
import static dev.vae.backend.djl.TestSupport.round;
import static dev.vae.backend.djl.TestSupport.ulps;
import static dev.vae.backend.djl.TestSupport.unravel;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.ReduceOp;

import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reductions over every axis set and 2-D matmul with every transpose combination. */
class ReduceMatmulTest {

    private final DjlKernels k = TestSupport.kernels();

    /** Straightforward reduction in double. */
    static double[] reference(ReduceOp op, double[] a, int[] shape, int[] axes, boolean keepDims) {
        int[] outKeep = Shapes.reduced(shape, axes, true);
        int n = Shapes.sizeInt(outKeep);
        double[] out = new double[n];
        Arrays.fill(out, op == ReduceOp.SUM ? 0 : Double.NEGATIVE_INFINITY);
        for (int i = 0; i < a.length; i++) {
            int[] idx = unravel(i, shape);
            for (int ax : axes) {
                idx[ax] = 0;
            }
            int o = TestSupport.ravel(idx, outKeep);
            if (op == ReduceOp.SUM) {
                out[o] += a[i];
            } else if (Double.isNaN(a[i]) || Double.isNaN(out[o])) {
                out[o] = Double.NaN;
            } else {
                out[o] = Math.max(out[o], a[i]);
            }
        }
        return out;
    }

    static int[][] subsets(int rank) {
        int[][] s = new int[1 << rank][];
        for (int m = 0; m < (1 << rank); m++) {
            s[m] = new int[Integer.bitCount(m)];
            int j = 0;
            for (int d = 0; d < rank; d++) {
                if ((m & (1 << d)) != 0) {
                    s[m][j++] = d;
                }
            }
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reduceOverEveryAxisSetWithAndWithoutKeepDims(DType dt) {
        int[][] shapes = {{2, 3, 4}, {2, 0, 3}, {1, 5}, {3}, {}, {0}, {4, 1, 2}};
        long seed = 11;
        for (int[] shape : shapes) {
            double[] a = round(dt, random(seed++, Shapes.sizeInt(shape), -5, 5));
            for (int[] axes : subsets(shape.length)) {
                for (boolean keep : new boolean[] {false, true}) {
                    for (ReduceOp op : ReduceOp.values()) {
                        DeviceArray x = arr(k, dt, a, shape);
                        DeviceArray r = k.reduce(op, x, axes, keep);
                        double[] exp = round(dt, reference(op, a, shape, axes, keep));
                        assertValues(k, r, dt, Shapes.reduced(shape, axes, keep), exp,
                                op == ReduceOp.SUM ? ulps(dt, 8) : 0, op == ReduceOp.SUM ? ulps(dt, 64) : 0,
                                op + " " + dt + " " + Shapes.format(shape) + " axes " + Arrays.toString(axes) + " keep " + keep);
                        k.release(x);
                        k.release(r);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void maxPropagatesNanAndEmptyAxesGiveTheIdentity(DType dt) {
        double[] a = {1, Double.NaN, 3, -Double.MAX_VALUE, Double.NEGATIVE_INFINITY, 2};
        DeviceArray x = arr(k, dt, a, 2, 3);
        DeviceArray r = k.reduce(ReduceOp.MAX, x, new int[] {1}, false);
        assertValues(k, r, dt, new int[] {2}, new double[] {Double.NaN, 2}, 0, 0, "max NaN " + dt);
        DeviceArray e = k.full(new int[] {3, 0}, dt, 1);
        DeviceArray m = k.reduce(ReduceOp.MAX, e, new int[] {1}, true);
        assertValues(k, m, dt, new int[] {3, 1}, new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.NEGATIVE_INFINITY}, 0, 0, "max of empty axis " + dt);
        DeviceArray s = k.reduce(ReduceOp.SUM, e, new int[] {0, 1}, false);
        assertValues(k, s, dt, new int[] {}, new double[] {0}, 0, 0, "sum of empty " + dt);
        for (DeviceArray d : new DeviceArray[] {x, r, e, m, s}) {
            k.release(d);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulWithEveryTransposeCombinationAtOddSizes(DType dt) {
        int[][] mkn = {{5, 7, 3}, {1, 9, 1}, {13, 1, 6}, {3, 0, 4}, {0, 3, 2}, {4, 2, 0}};
        long seed = 100;
        for (int[] d : mkn) {
            int m = d[0];
            int kk = d[1];
            int n = d[2];
            double[] av = round(dt, random(seed++, m * kk, -1, 1));
            double[] bv = round(dt, random(seed++, kk * n, -1, 1));
            double[] exp = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < kk; p++) {
                        s += av[i * kk + p] * bv[p * n + j];
                    }
                    exp[i * n + j] = s;
                }
            }
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    DeviceArray a = ta ? arr(k, dt, transpose(av, m, kk), kk, m) : arr(k, dt, av, m, kk);
                    DeviceArray b = tb ? arr(k, dt, transpose(bv, kk, n), n, kk) : arr(k, dt, bv, kk, n);
                    DeviceArray r = k.matmul(a, b, ta, tb);
                    assertValues(k, r, dt, new int[] {m, n}, exp, 0, dt == DType.FLOAT32 ? 1e-5 : 1e-13,
                            "matmul " + dt + " " + Arrays.toString(d) + " transA " + ta + " transB " + tb);
                    k.release(a);
                    k.release(b);
                    k.release(r);
                }
            }
        }
    }

    /** @return the (cols, rows) transpose of a row-major (rows, cols) matrix */
    static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }
}
