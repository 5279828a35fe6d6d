package dev.vae.backend.jvm;

import dev.vae.api.DType;
import dev.vae.api.spi.DeviceArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Creation, transfer, cast, reshape, permute, slice, concat, gatherRows and assign. */
class MovementTest {
    private static JvmKernels k;

    @BeforeAll
    static void setUp() {
        k = new JvmKernels(2);
    }

    @AfterAll
    static void tearDown() {
        k.close();
    }

    private static double[] iota(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.5 - 3;
        }
        return v;
    }

    @Test
    void creationTransferAndCast() {
        for (DType t : DType.values()) {
            DeviceArray f = k.full(new int[] {2, 3}, t, 0.1);
            assertEquals(t, f.dtype());
            double expected = t == DType.FLOAT32 ? (double) 0.1f : 0.1;
            for (double v : k.toDoubles(f)) {
                assertEquals(expected, v);
            }
            assertEquals(1, k.toFloats(k.full(new int[0], t, 2.5)).length);
            assertEquals(0, k.toFloats(k.full(new int[] {4, 0}, t, 2.5)).length);
        }
        float[] src = {1.5f, -2f, 3.25f};
        DeviceArray a = k.fromFloats(src, new int[] {3});
        src[0] = 99f; // the kernels copy their input
        assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, k.toFloats(a));
        double[] d = {0.1, 1e300, -1e-300};
        DeviceArray b = k.fromDoubles(d, new int[] {1, 3});
        DeviceArray bf = k.cast(b, DType.FLOAT32);
        assertEquals(DType.FLOAT32, bf.dtype());
        assertArrayEquals(new int[] {1, 3}, bf.shape());
        assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY, -0.0f}, k.toFloats(bf));
        assertArrayEquals(new double[] {(double) 0.1f, Double.POSITIVE_INFINITY, -0.0}, k.toDoubles(bf));
        DeviceArray back = k.cast(a, DType.FLOAT64);
        assertArrayEquals(new double[] {1.5, -2, 3.25}, k.toDoubles(back));
        DeviceArray same = k.cast(b, DType.FLOAT64);
        assertArrayEquals(d, k.toDoubles(same));
        assertThrows(IllegalArgumentException.class, () -> k.fromFloats(new float[3], new int[] {2, 2}));
    }

    @Test
    void reshapeKeepsOrderAndCopies() {
        for (DType t : DType.values()) {
            DeviceArray a = Ref.make(k, t, new int[] {2, 3, 4}, iota(24));
            DeviceArray r = k.reshape(a, new int[] {4, 6});
            assertArrayEquals(new int[] {4, 6}, r.shape());
            assertArrayEquals(k.toDoubles(a), k.toDoubles(r));
            k.assign(a, k.full(new int[] {2, 3, 4}, t, 7));
            assertEquals(-3.0, k.toDoubles(r)[0], "reshape result must not alias its input");
            DeviceArray s = k.reshape(k.full(new int[] {1, 1}, t, 3), new int[0]);
            assertArrayEquals(new int[0], s.shape());
            assertArrayEquals(new int[] {0, 5}, k.reshape(k.full(new int[] {5, 0}, t, 1), new int[] {0, 5}).shape());
        }
    }

    /** @return every permutation of {@code [0, n)} */
    static List<int[]> permutations(int n) {
        List<int[]> out = new ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out;
    }

    private static void permute(int[] cur, boolean[] used, int pos, List<int[]> out) {
        if (pos == cur.length) {
            out.add(cur.clone());
            return;
        }
        for (int i = 0; i < cur.length; i++) {
            if (!used[i]) {
                used[i] = true;
                cur[pos] = i;
                permute(cur, used, pos + 1, out);
                used[i] = false;
            }
        }
    }

    private static void checkPermute(DType t, int[] shape, int[] axes) {
        int n = Ref.size(shape);
        double[] v = iota(n);
        DeviceArray a = Ref.make(k, t, shape, v);
        DeviceArray p = k.permute(a, axes);
        int[] outShape = new int[shape.length];
        for (int i = 0; i < axes.length; i++) {
            outShape[i] = shape[axes[i]];
        }
        assertArrayEquals(outShape, p.shape());
        double[] in = k.toDoubles(a);
        double[] exp = new double[n];
        for (int o = 0; o < n; o++) {
            int[] oi = Ref.unravel(o, outShape);
            int[] ii = new int[shape.length];
            for (int d = 0; d < axes.length; d++) {
                ii[axes[d]] = oi[d];
            }
            int pos = 0;
            for (int d = 0; d < shape.length; d++) {
                pos = pos * shape[d] + ii[d];
            }
            exp[o] = in[pos];
        }
        Ref.assertBitEqual(exp, k.toDoubles(p), "permute " + t + " " + Ref.fmt(shape) + " " + Ref.fmt(axes));
        k.release(a);
        k.release(p);
    }

    @Test
    void permuteEveryRank3PermutationAndMore() {
        int[][] rank3 = {{2, 3, 4}, {1, 3, 1}, {0, 2, 3}, {5, 1, 7}, {40, 50, 60}};
        for (DType t : DType.values()) {
            for (int[] shape : rank3) {
                for (int[] axes : permutations(3)) {
                    checkPermute(t, shape, axes);
                }
            }
            for (int[] axes : permutations(4)) {
                checkPermute(t, new int[] {2, 3, 4, 5}, axes);
            }
            checkPermute(t, new int[] {300, 257}, new int[] {1, 0});
            checkPermute(t, new int[] {1, 300}, new int[] {1, 0});
            checkPermute(t, new int[] {7}, new int[] {0});
            checkPermute(t, new int[0], new int[0]);
        }
    }

    @Test
    void sliceEveryAxis() {
        int[] shape = {3, 4, 5};
        for (DType t : DType.values()) {
            DeviceArray a = Ref.make(k, t, shape, iota(60));
            double[] in = k.toDoubles(a);
            for (int axis = 0; axis < 3; axis++) {
                int dim = shape[axis];
                int[][] ranges = {{0, dim}, {1, dim - 1}, {2, 2}, {0, 1}, {dim - 1, dim}};
                for (int[] rg : ranges) {
                    DeviceArray s = k.slice(a, axis, rg[0], rg[1]);
                    int[] os = shape.clone();
                    os[axis] = rg[1] - rg[0];
                    assertArrayEquals(os, s.shape());
                    double[] exp = new double[Ref.size(os)];
                    for (int o = 0; o < exp.length; o++) {
                        int[] idx = Ref.unravel(o, os);
                        idx[axis] += rg[0];
                        exp[o] = in[(idx[0] * 4 + idx[1]) * 5 + idx[2]];
                    }
                    Ref.assertBitEqual(exp, k.toDoubles(s), "slice axis " + axis + " " + rg[0] + ".." + rg[1]);
                    k.release(s);
                }
            }
            DeviceArray e = k.slice(k.full(new int[] {0, 3}, t, 1), 1, 1, 2);
            assertArrayEquals(new int[] {0, 1}, e.shape());
        }
    }

    @Test
    void concatEveryAxisIncludingEmptyParts() {
        for (DType t : DType.values()) {
            for (int axis = 0; axis < 3; axis++) {
                int[] s1 = {2, 3, 4};
                int[] s2 = s1.clone();
                s2[axis] = 1;
                int[] s3 = s1.clone();
                s3[axis] = 0;
                DeviceArray a = Ref.make(k, t, s1, iota(Ref.size(s1)));
                DeviceArray b = Ref.make(k, t, s2, Ref.values(Ref.size(s2), axis, false));
                DeviceArray c = Ref.make(k, t, s3, new double[0]);
                DeviceArray r = k.concat(List.of(a, c, b, a), axis);
                int[] os = s1.clone();
                os[axis] = 2 * s1[axis] + 1;
                assertArrayEquals(os, r.shape());
                double[] av = k.toDoubles(a);
                double[] bv = k.toDoubles(b);
                double[] exp = new double[Ref.size(os)];
                for (int o = 0; o < exp.length; o++) {
                    int[] idx = Ref.unravel(o, os);
                    int i = idx[axis];
                    if (i < s1[axis]) {
                        exp[o] = av[pos(idx, s1)];
                    } else if (i == s1[axis]) {
                        idx[axis] = 0;
                        exp[o] = bv[pos(idx, s2)];
                    } else {
                        idx[axis] = i - s1[axis] - 1;
                        exp[o] = av[pos(idx, s1)];
                    }
                }
                Ref.assertBitEqual(exp, k.toDoubles(r), "concat axis " + axis);
            }
            DeviceArray one = Ref.make(k, t, new int[] {2}, new double[] {1, 2});
            assertArrayEquals(new double[] {1, 2}, k.toDoubles(k.concat(List.of(one), 0)));
        }
    }

    private static int pos(int[] idx, int[] shape) {
        int p = 0;
        for (int d = 0; d < shape.length; d++) {
            p = p * shape[d] + idx[d];
        }
        return p;
    }

    @Test
    void gatherRowsInOrderWithRepeats() {
        for (DType t : DType.values()) {
            DeviceArray a = Ref.make(k, t, new int[] {4, 2, 3}, iota(24));
            double[] in = k.toDoubles(a);
            int[] rows = {3, 0, 3, 1};
            DeviceArray g = k.gatherRows(a, rows);
            assertArrayEquals(new int[] {4, 2, 3}, g.shape());
            double[] exp = new double[24];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(in, rows[i] * 6, exp, i * 6, 6);
            }
            Ref.assertBitEqual(exp, k.toDoubles(g), "gatherRows");
            assertArrayEquals(new int[] {0, 2, 3}, k.gatherRows(a, new int[0]).shape());
            DeviceArray v = Ref.make(k, t, new int[] {5}, iota(5));
            assertArrayEquals(new double[] {-1, -3, -1}, k.toDoubles(k.gatherRows(v, new int[] {4, 0, 4})));
            DeviceArray z = k.full(new int[] {3, 0}, t, 0);
            assertArrayEquals(new int[] {2, 0}, k.gatherRows(z, new int[] {2, 1}).shape());
        }
    }

    @Test
    void assignIsInPlace() {
        for (DType t : DType.values()) {
            DeviceArray target = k.full(new int[] {2, 2}, t, 0);
            DeviceArray src = Ref.make(k, t, new int[] {2, 2}, new double[] {1, 2, 3, 4});
            k.assign(target, src);
            assertArrayEquals(new double[] {1, 2, 3, 4}, k.toDoubles(target));
            k.assign(src, k.full(new int[] {2, 2}, t, 9));
            assertArrayEquals(new double[] {1, 2, 3, 4}, k.toDoubles(target), "assign copies, never aliases");
            assertThrows(IllegalArgumentException.class, () -> k.assign(target, k.full(new int[] {4}, t, 0)));
        }
    }
}
