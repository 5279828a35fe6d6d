package dev.vae.backend.nd4j;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.DeviceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Creation, host transfer, cast and the movement kernels, including views and empty arrays. */
class MovementTest extends KernelTestBase {
    private static final int[][] PERMS3 = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};

    @ParameterizedTest
    @EnumSource(DType.class)
    void transferRoundTrips(DType t) {
        double[] v = Ref.round(Ref.random(1, 24, -10, 10), t);
        for (int[] shape : new int[][] {{24}, {2, 3, 4}, {1, 24, 1}}) {
            DeviceArray a = make(t, v, shape);
            assertEquals(t, a.dtype());
            assertArrayEquals(shape, a.shape());
            assertArrayEquals(v, k.toDoubles(a));
            float[] f = k.toFloats(a);
            for (int i = 0; i < v.length; i++) {
                assertEquals((float) v[i], f[i]);
            }
        }
        DeviceArray s = make(t, new double[] {2.5});
        assertArrayEquals(new int[0], s.shape());
        assertArrayEquals(new double[] {2.5}, k.toDoubles(s));
        DeviceArray e = make(t, new double[0], 3, 0);
        assertArrayEquals(new int[] {3, 0}, e.shape());
        assertEquals(0, k.toFloats(e).length);
        assertEquals(0, k.toDoubles(e).length);
        assertThrows(IllegalArgumentException.class, () -> make(t, new double[5], 2, 3));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void fullFillsAnyShape(DType t) {
        for (double value : new double[] {0, -1.5, Double.NaN, Double.NEGATIVE_INFINITY, 1e30}) {
            double[] got = read(k.full(new int[] {2, 3}, t, value), 2, 3);
            double[] exp = new double[6];
            Arrays.fill(exp, t == DType.FLOAT32 ? (float) value : value);
            Ref.assertClose("full " + value, exp, got, 0, 0);
            Ref.assertClose("full rank-0", new double[] {exp[0]}, read(k.full(new int[0], t, value)), 0, 0);
        }
        assertEquals(0, read(k.full(new int[] {0, 5}, t, 1), 0, 5).length);
        // +0 takes a zero-filled allocation, -0 the fill: both keep their sign
        for (double zero : new double[] {0.0, -0.0}) {
            for (double v : read(k.full(new int[] {3, 4}, t, zero), 3, 4)) {
                assertEquals(Double.doubleToRawLongBits(zero), Double.doubleToRawLongBits(v), "full " + zero);
            }
        }
    }

    @Test
    void castConvertsBothWaysIncludingViews() {
        double[] v = {1.1, -2.25, 3.5e10, 1e-40, Double.NaN, Double.POSITIVE_INFINITY};
        DeviceArray d = k.fromDoubles(v, new int[] {2, 3});
        DeviceArray f = k.cast(d, DType.FLOAT32);
        assertEquals(DType.FLOAT32, f.dtype());
        Ref.assertClose("to float32", Ref.round(v, DType.FLOAT32), read(f, 2, 3), 0, 0);
        DeviceArray back = k.cast(k.permute(f, new int[] {1, 0}), DType.FLOAT64);
        assertEquals(DType.FLOAT64, back.dtype());
        Ref.assertClose("permuted to float64", Ref.permute(Ref.round(v, DType.FLOAT32), new int[] {2, 3}, new int[] {1, 0}),
                read(back, 3, 2), 0, 0);
        DeviceArray same = k.cast(d, DType.FLOAT64);
        Ref.assertClose("same type", v, read(same, 2, 3), 0, 0);
        assertEquals(0, read(k.cast(k.fromFloats(new float[0], new int[] {0}), DType.FLOAT64), 0).length);
        // host transfer converts too
        float[] ff = k.toFloats(d);
        assertEquals((float) 1.1, ff[0]);
        assertEquals(-2.25, k.toDoubles(f)[1]);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reshapeKeepsRowMajorOrder(DType t) {
        double[] v = Ref.iota(24);
        DeviceArray a = make(t, v, 2, 3, 4);
        Ref.assertClose("(6,4)", v, read(k.reshape(a, new int[] {6, 4}), 6, 4), 0, 0);
        Ref.assertClose("(24,)", v, read(k.reshape(k.reshape(a, new int[] {4, 6}), new int[] {24}), 24), 0, 0);
        // reshape of a permuted (non-contiguous) view copies in row-major order
        DeviceArray p = k.permute(a, new int[] {2, 0, 1});
        double[] pv = Ref.permute(v, new int[] {2, 3, 4}, new int[] {2, 0, 1});
        Ref.assertClose("permuted -> (4,6)", pv, read(k.reshape(p, new int[] {4, 6}), 4, 6), 0, 0);
        // reshape of a slice view with an offset, and of a slice of a slice
        DeviceArray s = k.slice(a, 1, 1, 3);
        double[] sv = Ref.slice(v, new int[] {2, 3, 4}, 1, 1, 3);
        Ref.assertClose("slice -> (16,)", sv, read(k.reshape(s, new int[] {16}), 16), 0, 0);
        DeviceArray ss = k.slice(k.slice(a, 0, 1, 2), 2, 1, 4);
        double[] ssv = Ref.slice(Ref.slice(v, new int[] {2, 3, 4}, 0, 1, 2), new int[] {1, 3, 4}, 2, 1, 4);
        Ref.assertClose("slice of slice -> (9,)", ssv, read(k.reshape(ss, new int[] {9}), 9), 0, 0);
        DeviceArray rowSlice = k.slice(a, 0, 1, 2);
        Ref.assertClose("row slice -> (3,4)", Ref.slice(v, new int[] {2, 3, 4}, 0, 1, 2),
                read(k.reshape(rowSlice, new int[] {3, 4}), 3, 4), 0, 0);
        // rank 0 and size-1 shapes
        DeviceArray one = make(t, new double[] {7}, 1, 1, 1);
        DeviceArray scalar = k.reshape(one, new int[0]);
        Ref.assertClose("rank-0", new double[] {7}, read(scalar), 0, 0);
        Ref.assertClose("rank-0 -> (1,1)", new double[] {7}, read(k.reshape(scalar, new int[] {1, 1}), 1, 1), 0, 0);
        // zero-size
        DeviceArray e = make(t, new double[0], 0, 3);
        assertArrayEquals(new int[] {3, 0, 2}, k.reshape(e, new int[] {3, 0, 2}).shape());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void permuteRank3AllOrders(DType t) {
        int[] shape = {2, 3, 4};
        double[] v = Ref.iota(24);
        DeviceArray a = make(t, v, shape);
        for (int[] p : PERMS3) {
            int[] ps = {shape[p[0]], shape[p[1]], shape[p[2]]};
            DeviceArray r = k.permute(a, p);
            double[] exp = Ref.permute(v, shape, p);
            Ref.assertClose("permute " + Arrays.toString(p), exp, read(r, ps), 0, 0);
            float[] f = k.toFloats(r);
            for (int i = 0; i < exp.length; i++) {
                assertEquals((float) exp[i], f[i]);
            }
            for (int[] q : PERMS3) {
                int[] qs = {ps[q[0]], ps[q[1]], ps[q[2]]};
                Ref.assertClose("permute twice", Ref.permute(exp, ps, q), read(k.permute(r, q), qs), 0, 0);
            }
        }
        Ref.assertClose("rank-0", new double[] {3}, read(k.permute(make(t, new double[] {3}), new int[0])), 0, 0);
        assertArrayEquals(new int[] {4, 0, 2}, k.permute(make(t, new double[0], 2, 0, 4), new int[] {2, 1, 0}).shape());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sliceEveryAxis(DType t) {
        int[] shape = {3, 4, 5};
        double[] v = Ref.iota(60);
        DeviceArray a = make(t, v, shape);
        for (int axis = 0; axis < 3; axis++) {
            int dim = shape[axis];
            for (int[] range : new int[][] {{0, dim}, {0, 1}, {1, dim}, {dim - 1, dim}, {1, 2}, {2, 2}, {0, 0}}) {
                int[] rs = shape.clone();
                rs[axis] = range[1] - range[0];
                DeviceArray s = k.slice(a, axis, range[0], range[1]);
                Ref.assertClose("slice " + axis + " " + Arrays.toString(range), Ref.slice(v, shape, axis, range[0], range[1]),
                        read(s, rs), 0, 0);
            }
        }
        // slice of a permuted view and of a slice
        DeviceArray p = k.permute(a, new int[] {2, 0, 1});
        double[] pv = Ref.permute(v, shape, new int[] {2, 0, 1});
        DeviceArray ps = k.slice(p, 2, 1, 3);
        double[] psv = Ref.slice(pv, new int[] {5, 3, 4}, 2, 1, 3);
        Ref.assertClose("slice of permuted", psv, read(ps, 5, 3, 2), 0, 0);
        Ref.assertClose("slice of slice", Ref.slice(psv, new int[] {5, 3, 2}, 0, 2, 4),
                read(k.slice(ps, 0, 2, 4), 2, 3, 2), 0, 0);
        DeviceArray r1 = make(t, Ref.iota(5), 5);
        Ref.assertClose("rank-1", new double[] {2}, read(k.slice(r1, 0, 2, 3), 1), 0, 0);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void concatAlongEachAxis(DType t) {
        for (int axis = 0; axis < 3; axis++) {
            int[] s1 = {2, 3, 4};
            int[] s2 = s1.clone();
            s2[axis] = 1;
            int[] s0 = s1.clone();
            s0[axis] = 0;
            double[] v1 = Ref.random(1, 24, -1, 1);
            double[] v2 = Ref.random(2, Shapes.sizeInt(s2), -1, 1);
            v1 = Ref.round(v1, t);
            v2 = Ref.round(v2, t);
            List<DeviceArray> parts = new ArrayList<>();
            parts.add(make(t, v1, s1));
            parts.add(make(t, new double[0], s0));
            parts.add(make(t, v2, s2));
            parts.add(make(t, v1, s1));
            DeviceArray r = k.concat(parts, axis);
            int[] out = s1.clone();
            out[axis] = 2 * s1[axis] + 1;
            assertArrayEquals(out, r.shape());
            double[] got = k.toDoubles(r);
            // the parts come back as slices
            int at = 0;
            int[][] shapes = {s1, s2, s1};
            double[][] vals = {v1, v2, v1};
            for (int i = 0; i < 3; i++) {
                Ref.assertClose("part " + i + " axis " + axis, vals[i],
                        Ref.slice(got, out, axis, at, at + shapes[i][axis]), 0, 0);
                at += shapes[i][axis];
            }
        }
        // views as parts, rank 1, all-empty, single non-empty
        double[] v = Ref.iota(24);
        DeviceArray a = make(t, v, 2, 3, 4);
        DeviceArray p = k.permute(a, new int[] {1, 0, 2});
        DeviceArray s = k.slice(a, 1, 1, 3);
        DeviceArray r = k.concat(List.of(k.slice(p, 0, 0, 2), k.permute(s, new int[] {1, 0, 2})), 0);
        double[] exp = new double[32];
        System.arraycopy(Ref.slice(Ref.permute(v, new int[] {2, 3, 4}, new int[] {1, 0, 2}), new int[] {3, 2, 4}, 0, 0, 2),
                0, exp, 0, 16);
        System.arraycopy(Ref.permute(Ref.slice(v, new int[] {2, 3, 4}, 1, 1, 3), new int[] {2, 2, 4}, new int[] {1, 0, 2}),
                0, exp, 16, 16);
        Ref.assertClose("views", exp, read(r, 4, 2, 4), 0, 0);
        Ref.assertClose("rank-1", new double[] {1, 2, 3},
                read(k.concat(List.of(make(t, new double[] {1, 2}, 2), make(t, new double[] {3}, 1)), 0), 3), 0, 0);
        assertArrayEquals(new int[] {0, 3}, k.concat(List.of(make(t, new double[0], 0, 3), make(t, new double[0], 0, 3)), 0).shape());
        assertArrayEquals(new int[] {2, 0}, k.concat(List.of(make(t, new double[0], 1, 0), make(t, new double[0], 1, 0)), 0).shape());
        Ref.assertClose("single non-empty", new double[] {5, 6},
                read(k.concat(List.of(make(t, new double[0], 0, 2), make(t, new double[] {5, 6}, 1, 2)), 0), 1, 2), 0, 0);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gatherRowsOfAnyRank(DType t) {
        int[] rows = {3, 0, 3, 1};
        double[] v1 = Ref.iota(4);
        Ref.assertClose("rank-1", new double[] {3, 0, 3, 1}, read(k.gatherRows(make(t, v1, 4), rows), 4), 0, 0);
        double[] v2 = Ref.iota(12);
        Ref.assertClose("rank-2", new double[] {9, 10, 11, 0, 1, 2, 9, 10, 11, 3, 4, 5},
                read(k.gatherRows(make(t, v2, 4, 3), rows), 4, 3), 0, 0);
        double[] v3 = Ref.iota(24);
        DeviceArray a3 = make(t, v3, 4, 3, 2);
        double[] exp3 = new double[24];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(v3, rows[i] * 6, exp3, i * 6, 6);
        }
        Ref.assertClose("rank-3", exp3, read(k.gatherRows(a3, rows), 4, 3, 2), 0, 0);
        // from a permuted view: rows of the permuted array
        DeviceArray p = k.permute(a3, new int[] {2, 0, 1});
        double[] pv = Ref.permute(v3, new int[] {4, 3, 2}, new int[] {2, 0, 1});
        double[] expP = new double[36];
        int[] prow = {1, 1, 0};
        for (int i = 0; i < 3; i++) {
            System.arraycopy(pv, prow[i] * 12, expP, i * 12, 12);
        }
        Ref.assertClose("permuted", expP, read(k.gatherRows(p, prow), 3, 4, 3), 0, 0);
        DeviceArray single = make(t, new double[] {1, 2, 3}, 1, 3);
        Ref.assertClose("(1,3)", new double[] {1, 2, 3, 1, 2, 3}, read(k.gatherRows(single, new int[] {0, 0}), 2, 3), 0, 0);
        assertArrayEquals(new int[] {0, 3}, k.gatherRows(make(t, v2, 4, 3), new int[0]).shape());
        assertArrayEquals(new int[] {2, 0}, k.gatherRows(make(t, new double[0], 4, 0), new int[] {1, 2}).shape());
    }
}
