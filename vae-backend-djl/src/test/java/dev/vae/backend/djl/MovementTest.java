package dev.vae.backend.djl;

import static dev.vae.backend.djl.TestSupport.arr;
import static dev.vae.backend.djl.TestSupport.assertValues;
import static dev.vae.backend.djl.TestSupport.iota;
import static dev.vae.backend.djl.TestSupport.ravel;
import static dev.vae.backend.djl.TestSupport.read;
import static dev.vae.backend.djl.TestSupport.unravel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.DeviceArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Creation, transfer, shape movement, cast and in-place assignment. */
class MovementTest {

    private final DjlKernels k = TestSupport.kernels();

    @ParameterizedTest
    @EnumSource(DType.class)
    void transfersRoundTripInRowMajorOrder(DType dt) {
        int[][] shapes = {{}, {0}, {3}, {2, 3}, {2, 0, 4}, {1, 1, 1}, {3, 5, 2}};
        for (int[] s : shapes) {
            double[] v = iota(Shapes.sizeInt(s), 0.25);
            DeviceArray a = arr(k, dt, v, s);
            assertValues(k, a, dt, s, v, 0, 0, "round trip " + dt + " " + Shapes.format(s));
            float[] f = k.toFloats(a);
            double[] d = k.toDoubles(a);
            for (int i = 0; i < v.length; i++) {
                assertEquals((float) v[i], f[i]);
                assertEquals(v[i], d[i]);
            }
            k.release(a);
        }
    }

    @Test
    void uploadsDoNotAliasTheTransferBuffer() {
        DeviceArray a = k.fromFloats(new float[] {1, 2, 3}, new int[] {3});
        DeviceArray b = k.fromFloats(new float[] {7, 8, 9}, new int[] {3});
        assertArrayEquals(new float[] {1, 2, 3}, k.toFloats(a));
        assertArrayEquals(new float[] {7, 8, 9}, k.toFloats(b));
        k.release(a);
        k.release(b);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void fullFillsEveryShapeWithAnyValue(DType dt) {
        for (double value : new double[] {0, -2.5, Double.NaN, Double.NEGATIVE_INFINITY, 1e-300}) {
            for (int[] s : new int[][] {{}, {0, 2}, {2, 3}}) {
                DeviceArray a = k.full(s, dt, value);
                double[] exp = new double[Shapes.sizeInt(s)];
                Arrays.fill(exp, dt == DType.FLOAT32 ? (float) value : value);
                assertValues(k, a, dt, s, exp, 0, 0, "full " + value + " " + dt);
                k.release(a);
            }
        }
    }

    @Test
    void castConvertsBothWaysAndCopiesForTheSameType() {
        double[] v = {1.0 / 3, -1e-40, 1e300, Double.NaN};
        DeviceArray d = k.fromDoubles(v, new int[] {2, 2});
        DeviceArray f = k.cast(d, DType.FLOAT32);
        assertValues(k, f, DType.FLOAT32, new int[] {2, 2},
                new double[] {(float) (1.0 / 3), (float) -1e-40, Double.POSITIVE_INFINITY, Double.NaN}, 0, 0, "to f32");
        DeviceArray back = k.cast(f, DType.FLOAT64);
        assertValues(k, back, DType.FLOAT64, new int[] {2, 2},
                new double[] {(float) (1.0 / 3), (float) -1e-40, Double.POSITIVE_INFINITY, Double.NaN}, 0, 0, "to f64");
        DeviceArray same = k.cast(d, DType.FLOAT64);
        k.assign(same, k.full(new int[] {2, 2}, DType.FLOAT64, 5));
        assertValues(k, d, DType.FLOAT64, new int[] {2, 2}, v, 0, 0, "same-type cast is a copy");
        DeviceArray empty = k.cast(k.full(new int[] {0, 3}, DType.FLOAT32, 1), DType.FLOAT64);
        assertValues(k, empty, DType.FLOAT64, new int[] {0, 3}, new double[0], 0, 0, "empty cast");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reshapeKeepsRowMajorOrder(DType dt) {
        int[][][] cases = {{{2, 3, 4}, {4, 6}}, {{2, 3, 4}, {24}}, {{1, 1}, {}}, {{}, {1, 1, 1}}, {{0, 3}, {3, 0}},
            {{6}, {3, 1, 2}}};
        for (int[][] c : cases) {
            double[] v = iota(Shapes.sizeInt(c[0]), 1);
            DeviceArray a = arr(k, dt, v, c[0]);
            DeviceArray r = k.reshape(a, c[1]);
            assertValues(k, r, dt, c[1], v, 0, 0, "reshape " + Shapes.format(c[0]) + " -> " + Shapes.format(c[1]));
            k.release(a);
            k.release(r);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void permuteEveryRankThreeOrderAndSmallerRanks(DType dt) {
        int[][] perms = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        for (int[] shape : new int[][] {{2, 3, 4}, {1, 3, 1}, {2, 0, 3}}) {
            double[] v = iota(Shapes.sizeInt(shape), 0);
            for (int[] p : perms) {
                DeviceArray a = arr(k, dt, v, shape);
                DeviceArray r = k.permute(a, p);
                int[] out = {shape[p[0]], shape[p[1]], shape[p[2]]};
                double[] exp = new double[v.length];
                for (int i = 0; i < exp.length; i++) {
                    int[] oi = unravel(i, out);
                    int[] ii = new int[3];
                    for (int d = 0; d < 3; d++) {
                        ii[p[d]] = oi[d];
                    }
                    exp[i] = v[ravel(ii, shape)];
                }
                assertValues(k, r, dt, out, exp, 0, 0, "permute " + Shapes.format(shape) + " " + Arrays.toString(p));
                // the result is a new array: writing it leaves the input alone
                k.assign(r, k.full(out, dt, -1));
                assertValues(k, a, dt, shape, v, 0, 0, "permute input untouched");
                k.release(a);
                k.release(r);
            }
        }
        DeviceArray m = arr(k, dt, iota(6, 0), 2, 3);
        DeviceArray t = k.permute(m, new int[] {1, 0});
        assertValues(k, t, dt, new int[] {3, 2}, new double[] {0, 3, 1, 4, 2, 5}, 0, 0, "2-D transpose");
        DeviceArray s = arr(k, dt, new double[] {4}, new int[0]);
        DeviceArray ps = k.permute(s, new int[0]);
        assertValues(k, ps, dt, new int[0], new double[] {4}, 0, 0, "rank-0 permute");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sliceAlongEveryAxisIncludingEmptyAndFullRanges(DType dt) {
        int[] shape = {3, 4, 5};
        double[] v = iota(60, 0);
        for (int axis = 0; axis < 3; axis++) {
            int dim = shape[axis];
            int[][] ranges = {{0, dim}, {1, dim - 1}, {1, 1}, {dim - 1, dim}, {0, 1}};
            for (int[] range : ranges) {
                DeviceArray a = arr(k, dt, v, shape);
                DeviceArray r = k.slice(a, axis, range[0], range[1]);
                int[] out = shape.clone();
                out[axis] = range[1] - range[0];
                double[] exp = new double[Shapes.sizeInt(out)];
                for (int i = 0; i < exp.length; i++) {
                    int[] idx = unravel(i, out);
                    idx[axis] += range[0];
                    exp[i] = v[ravel(idx, shape)];
                }
                assertValues(k, r, dt, out, exp, 0, 0, "slice axis " + axis + " " + Arrays.toString(range));
                if (exp.length > 0) {
                    k.assign(r, k.full(out, dt, -1));
                    assertValues(k, a, dt, shape, v, 0, 0, "slice input untouched");
                }
                k.release(a);
                k.release(r);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void concatAlongEveryAxisWithEmptyParts(DType dt) {
        for (int axis = 0; axis < 2; axis++) {
            int[] s1 = {2, 3};
            int[] s2 = axis == 0 ? new int[] {1, 3} : new int[] {2, 1};
            int[] s0 = axis == 0 ? new int[] {0, 3} : new int[] {2, 0};
            double[] v1 = iota(6, 0);
            double[] v2 = iota(3, 100);
            List<DeviceArray> parts = new ArrayList<>();
            parts.add(arr(k, dt, v1, s1));
            parts.add(arr(k, dt, new double[0], s0));
            parts.add(arr(k, dt, Arrays.copyOf(v2, Shapes.sizeInt(s2)), s2));
            DeviceArray r = k.concat(parts, axis);
            double[] exp = axis == 0 ? new double[] {0, 1, 2, 3, 4, 5, 100, 101, 102}
                    : new double[] {0, 1, 2, 100, 3, 4, 5, 101};
            int[] out = axis == 0 ? new int[] {3, 3} : new int[] {2, 4};
            assertValues(k, r, dt, out, exp, 0, 0, "concat axis " + axis);
            DeviceArray single = k.concat(List.of(parts.get(0)), axis);
            k.assign(single, k.full(s1, dt, 0));
            assertValues(k, parts.get(0), dt, s1, v1, 0, 0, "single-part concat is a copy");
        }
        DeviceArray r3 = k.concat(List.of(arr(k, dt, iota(8, 0), 2, 2, 2), arr(k, dt, iota(4, 10), 2, 2, 1)), 2);
        assertValues(k, r3, dt, new int[] {2, 2, 3}, new double[] {0, 1, 10, 2, 3, 11, 4, 5, 12, 6, 7, 13}, 0, 0,
                "rank-3 concat");
        DeviceArray allEmpty = k.concat(List.of(k.full(new int[] {0, 2}, dt, 1), k.full(new int[] {0, 2}, dt, 1)), 0);
        assertValues(k, allEmpty, dt, new int[] {0, 2}, new double[0], 0, 0, "all-empty concat");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gatherRowsInOrderWithRepeatsAnyRankAndNoRows(DType dt) {
        DeviceArray m = arr(k, dt, iota(12, 0), 4, 3);
        DeviceArray g = k.gatherRows(m, new int[] {3, 0, 3, 1});
        assertValues(k, g, dt, new int[] {4, 3}, new double[] {9, 10, 11, 0, 1, 2, 9, 10, 11, 3, 4, 5}, 0, 0, "rank 2");
        DeviceArray v = arr(k, dt, iota(5, 10), 5);
        DeviceArray gv = k.gatherRows(v, new int[] {4, 4, 0});
        assertValues(k, gv, dt, new int[] {3}, new double[] {14, 14, 10}, 0, 0, "rank 1");
        DeviceArray t = arr(k, dt, iota(12, 0), 3, 2, 2);
        DeviceArray gt = k.gatherRows(t, new int[] {2, 1});
        assertValues(k, gt, dt, new int[] {2, 2, 2}, new double[] {8, 9, 10, 11, 4, 5, 6, 7}, 0, 0, "rank 3");
        DeviceArray none = k.gatherRows(m, new int[0]);
        assertValues(k, none, dt, new int[] {0, 3}, new double[0], 0, 0, "no rows");
        DeviceArray narrow = k.gatherRows(k.full(new int[] {3, 0}, dt, 1), new int[] {2, 0});
        assertValues(k, narrow, dt, new int[] {2, 0}, new double[0], 0, 0, "zero-width rows");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void assignWritesIntoTheTargetStorageOnly(DType dt) {
        DeviceArray target = arr(k, dt, iota(6, 0), 2, 3);
        DeviceArray view = k.reshape(target, new int[] {3, 2});
        DeviceArray src = arr(k, dt, iota(6, 50), 2, 3);
        k.assign(target, src);
        assertValues(k, target, dt, new int[] {2, 3}, iota(6, 50), 0, 0, "assigned");
        assertValues(k, view, dt, new int[] {3, 2}, iota(6, 0), 0, 0, "an earlier reshape is independent");
        k.assign(src, k.full(new int[] {2, 3}, dt, 0));
        assertValues(k, target, dt, new int[] {2, 3}, iota(6, 50), 0, 0, "source and target do not share storage");

        DeviceArray s = k.full(new int[0], dt, 3);
        k.assign(s, k.full(new int[0], dt, -7));
        assertValues(k, s, dt, new int[0], new double[] {-7}, 0, 0, "rank-0 assign");
        DeviceArray e = k.full(new int[] {0, 4}, dt, 3);
        k.assign(e, k.full(new int[] {0, 4}, dt, 1));
        assertValues(k, e, dt, new int[] {0, 4}, new double[0], 0, 0, "empty assign");
        double[] snapshot = read(k, view);
        assertEquals(6, snapshot.length);
    }
}
