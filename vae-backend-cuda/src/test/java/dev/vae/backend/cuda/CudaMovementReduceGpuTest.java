package dev.vae.backend.cuda;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.ReduceOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.vae.backend.cuda.GpuTestSupport.assertClose;
import static dev.vae.backend.cuda.GpuTestSupport.assertShape;
import static dev.vae.backend.cuda.GpuTestSupport.round;
import static dev.vae.backend.cuda.GpuTestSupport.up;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Reshape, permute, slice, concat, row gather and reductions against host computations. */
class CudaMovementReduceGpuTest {
    static CudaKernels k;

    @BeforeAll
    static void open() {
        if (!GpuTestSupport.usable()) {
            return;
        }
        k = GpuTestSupport.open(Map.of());
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

    private static double[] iota(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    private static int[] unravel(int i, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = i % shape[d];
            i /= shape[d];
        }
        return idx;
    }

    private static int ravel(int[] idx, int[] shape) {
        int f = 0;
        for (int d = 0; d < shape.length; d++) {
            f = f * shape[d] + idx[d];
        }
        return f;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reshapeSharesAndKeepsOrder(DType t) {
        DeviceArray a = up(k, iota(24), new int[] {2, 3, 4}, t);
        DeviceArray r = k.reshape(a, new int[] {4, 6});
        assertShape(r, t, 4, 6);
        assertArrayEquals(iota(24), k.toDoubles(r));
        k.release(a);
        assertArrayEquals(iota(24), k.toDoubles(r), "a view outlives the array it came from");
        k.release(r);
        assertThrows(IllegalArgumentException.class, () -> k.reshape(k.full(new int[] {5}, t, 0), new int[] {2, 3}));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void permuteMatchesHostTranspose(DType t) {
        int[][] shapes = {{2, 3, 4}, {3, 1, 5, 2}, {6, 7}, {0, 3}, {2, 3, 2, 3, 2, 3, 2, 3, 2, 3}};
        int[][] perms = {{2, 0, 1}, {3, 1, 0, 2}, {1, 0}, {1, 0}, {9, 7, 5, 3, 1, 0, 2, 4, 6, 8}};
        for (int c = 0; c < shapes.length; c++) {
            int[] s = shapes[c];
            int[] p = perms[c];
            double[] x = iota(Shapes.sizeInt(s));
            int[] out = new int[s.length];
            for (int i = 0; i < s.length; i++) {
                out[i] = s[p[i]];
            }
            double[] want = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                int[] oi = unravel(i, out);
                int[] ii = new int[s.length];
                for (int d = 0; d < s.length; d++) {
                    ii[p[d]] = oi[d];
                }
                want[i] = x[ravel(ii, s)];
            }
            DeviceArray a = up(k, x, s, t);
            DeviceArray r = k.permute(a, p);
            assertShape(r, t, out);
            assertArrayEquals(want, k.toDoubles(r), "permute " + Shapes.format(s) + " by " + Arrays.toString(p));
            k.release(a);
            k.release(r);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sliceEveryAxis(DType t) {
        int[] s = {4, 5, 6};
        double[] x = iota(120);
        DeviceArray a = up(k, x, s, t);
        for (int axis = 0; axis < 3; axis++) {
            int[][] ranges = {{1, 3}, {0, s[axis]}, {2, 2}, {0, 1}, {s[axis] - 1, s[axis]}};
            for (int[] rg : ranges) {
                int[] out = s.clone();
                out[axis] = rg[1] - rg[0];
                double[] want = new double[Shapes.sizeInt(out)];
                for (int i = 0; i < want.length; i++) {
                    int[] idx = unravel(i, out);
                    idx[axis] += rg[0];
                    want[i] = x[ravel(idx, s)];
                }
                DeviceArray r = k.slice(a, axis, rg[0], rg[1]);
                assertShape(r, t, out);
                assertArrayEquals(want, k.toDoubles(r), "slice axis " + axis + " " + Arrays.toString(rg));
                k.release(r);
            }
        }
        k.release(a);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void concatAlongEachAxis(DType t) {
        for (int axis = 0; axis < 3; axis++) {
            int[][] shapes = {{2, 3, 4}, {2, 3, 4}, {2, 3, 4}};
            int[] lens = {1, 0, 3};
            List<DeviceArray> parts = new ArrayList<>();
            List<double[]> data = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                shapes[p][axis] = lens[p];
                double[] x = new double[Shapes.sizeInt(shapes[p])];
                for (int i = 0; i < x.length; i++) {
                    x[i] = 1000 * p + i;
                }
                data.add(x);
                parts.add(up(k, x, shapes[p], t));
            }
            int[] out = {2, 3, 4};
            out[axis] = 4;
            double[] want = new double[Shapes.sizeInt(out)];
            for (int i = 0; i < want.length; i++) {
                int[] idx = unravel(i, out);
                int j = idx[axis];
                int p = j < 1 ? 0 : 2;
                idx[axis] = p == 0 ? j : j - 1;
                want[i] = data.get(p)[ravel(idx, shapes[p])];
            }
            DeviceArray r = k.concat(parts, axis);
            assertShape(r, t, out);
            assertArrayEquals(want, k.toDoubles(r), "concat axis " + axis);
            k.release(r);
            parts.forEach(k::release);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gatherRowsInOrderWithRepeats(DType t) {
        double[] x = iota(5 * 3 * 2);
        DeviceArray a = up(k, x, new int[] {5, 3, 2}, t);
        int[] rows = {4, 0, 4, 2};
        DeviceArray r = k.gatherRows(a, rows);
        assertShape(r, t, 4, 3, 2);
        double[] want = new double[24];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(x, rows[i] * 6, want, i * 6, 6);
        }
        assertArrayEquals(want, k.toDoubles(r));
        DeviceArray none = k.gatherRows(a, new int[0]);
        assertShape(none, t, 0, 3, 2);
        k.release(a);
        k.release(r);
        k.release(none);
    }

    private static double[] reduceRef(ReduceOp op, double[] x, int[] shape, int[] axes) {
        int[] keep = Shapes.reduced(shape, axes, true);
        int n = Shapes.sizeInt(keep);
        double[] out = new double[n];
        Arrays.fill(out, op == ReduceOp.SUM ? 0 : Double.NEGATIVE_INFINITY);
        for (int i = 0; i < x.length; i++) {
            int[] idx = unravel(i, shape);
            for (int a : axes) {
                idx[a] = 0;
            }
            int o = ravel(idx, keep);
            if (op == ReduceOp.SUM) {
                out[o] += x[i];
            } else if (Double.isNaN(x[i]) || Double.isNaN(out[o])) {
                out[o] = Double.NaN;
            } else {
                out[o] = Math.max(out[o], x[i]);
            }
        }
        return out;
    }

    private void checkReduce(DType t, int[] shape, int[] axes, double[] x, String what) {
        double[] xr = round(x, t);
        double absSum = 0;
        for (double v : xr) {
            absSum += Double.isFinite(v) ? Math.abs(v) : 0;
        }
        DeviceArray a = up(k, x, shape, t);
        for (ReduceOp op : ReduceOp.values()) {
            double[] want = reduceRef(op, xr, shape, axes);
            for (boolean keepDims : new boolean[] {true, false}) {
                DeviceArray r = k.reduce(op, a, axes, keepDims);
                assertShape(r, t, Shapes.reduced(shape, axes, keepDims));
                double tol = op == ReduceOp.SUM ? (t == DType.FLOAT32 ? 2e-6 : 1e-14) * (absSum + 1) : 0;
                assertClose(round(want, t), k.toDoubles(r), 0, tol, op + " " + what + " over " + Arrays.toString(axes)
                        + (keepDims ? " keepDims" : ""));
                k.release(r);
            }
        }
        k.release(a);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reduceEveryAxisSet(DType t) {
        int[][] shapes = {{4, 5, 6}, {3, 1, 4, 5}, {7}, {2, 3, 2, 3}};
        long seed = 40;
        for (int[] s : shapes) {
            double[] x = GpuTestSupport.uniform(seed++, Shapes.sizeInt(s), -1, 1);
            for (int mask = 1; mask < (1 << s.length); mask++) {
                final int m = mask;
                int[] axes = java.util.stream.IntStream.range(0, s.length).filter(d -> (m & (1 << d)) != 0).toArray();
                checkReduce(t, s, axes, x, Shapes.format(s));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reduceLargeAxesThroughSegments(DType t) {
        checkReduce(t, new int[] {3, 200_000}, new int[] {1}, GpuTestSupport.uniform(50, 600_000, 0, 1), "rows");
        checkReduce(t, new int[] {200_000, 3}, new int[] {0}, GpuTestSupport.uniform(51, 600_000, 0, 1), "columns");
        checkReduce(t, new int[] {1 << 21}, new int[] {0}, GpuTestSupport.uniform(52, 1 << 21, -1, 1), "all");
        checkReduce(t, new int[] {7, 5000, 3}, new int[] {1}, GpuTestSupport.uniform(53, 105_000, -1, 1), "middle");
        checkReduce(t, new int[] {1000, 37}, new int[] {1}, GpuTestSupport.uniform(54, 37_000, -1, 1), "short rows");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reduceEdgeCases(DType t) {
        DeviceArray empty = k.full(new int[] {3, 0}, t, 0);
        DeviceArray s = k.reduce(ReduceOp.SUM, empty, new int[] {1}, false);
        assertArrayEquals(new double[] {0, 0, 0}, k.toDoubles(s));
        DeviceArray m = k.reduce(ReduceOp.MAX, empty, new int[] {1}, true);
        assertShape(m, t, 3, 1);
        double ninf = Double.NEGATIVE_INFINITY;
        assertArrayEquals(new double[] {ninf, ninf, ninf}, k.toDoubles(m));
        DeviceArray none = k.reduce(ReduceOp.SUM, empty, new int[] {0}, false);
        assertShape(none, t, 0);
        DeviceArray x = up(k, new double[] {1, Double.NaN, 3, -1, -2, -3}, new int[] {2, 3}, t);
        DeviceArray mx = k.reduce(ReduceOp.MAX, x, new int[] {1}, false);
        double[] got = k.toDoubles(mx);
        assertEquals(Double.NaN, got[0]);
        assertEquals(-1.0, got[1]);
        DeviceArray same = k.reduce(ReduceOp.SUM, x, new int[0], false);
        assertShape(same, t, 2, 3);
        assertArrayEquals(k.toDoubles(x), k.toDoubles(same));
        DeviceArray scalar = up(k, new double[] {4}, new int[0], t);
        DeviceArray sc = k.reduce(ReduceOp.SUM, scalar, new int[0], true);
        assertArrayEquals(new double[] {4}, k.toDoubles(sc));
        for (DeviceArray d : new DeviceArray[] {empty, s, m, none, x, mx, same, scalar, sc}) {
            k.release(d);
        }
    }
}
