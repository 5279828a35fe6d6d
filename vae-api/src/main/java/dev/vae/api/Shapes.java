package dev.vae.api;

import java.util.Arrays;

/**
 * Static helpers for shapes ({@code int[]} of non-negative dimension sizes, row-major order).
 * A shape of length zero is a scalar with one element.
 */
public final class Shapes {
    private Shapes() {
    }

    /** @return the number of elements of {@code shape} (1 for a scalar) */
    public static long size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** @return {@code size(shape)} as an int, failing clearly if it does not fit */
    public static int sizeInt(int[] shape) {
        long n = size(shape);
        if (n > Integer.MAX_VALUE) {
            throw new ShapeException("shape " + format(shape) + " has " + n + " elements, more than 2^31-1");
        }
        return (int) n;
    }

    /** Checks that all dimensions are non-negative. */
    public static int[] validate(int[] shape) {
        for (int d : shape) {
            if (d < 0) {
                throw new ShapeException("negative dimension in shape " + format(shape));
            }
        }
        return shape.clone();
    }

    /** @return row-major strides (in elements) of {@code shape} */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(shape[i], 1);
        }
        return s;
    }

    /** @return {@code (2, 3)} style text of a shape; {@code ()} for a scalar */
    public static String format(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /**
     * NumPy broadcasting of two shapes.
     *
     * @throws ShapeException naming both shapes if they are not broadcast-compatible
     */
    public static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                throw new ShapeException("shapes " + format(a) + " and " + format(b) + " cannot be broadcast together");
            }
        }
        return out;
    }

    /** @return true if the two shapes are equal */
    public static boolean equal(int[] a, int[] b) {
        return Arrays.equals(a, b);
    }

    /**
     * Normalises an axis index (negative counts from the end).
     *
     * @throws ShapeException if out of range for {@code rank}
     */
    public static int axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ShapeException("axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    /** @return the shape after reducing {@code axes} (already normalised, distinct) */
    public static int[] reduced(int[] shape, int[] axes, boolean keepDims) {
        boolean[] r = new boolean[shape.length];
        for (int a : axes) {
            r[a] = true;
        }
        int[] out = new int[keepDims ? shape.length : shape.length - axes.length];
        int j = 0;
        for (int i = 0; i < shape.length; i++) {
            if (r[i]) {
                if (keepDims) {
                    out[j++] = 1;
                }
            } else {
                out[j++] = shape[i];
            }
        }
        return out;
    }

    /** @return normalised, sorted, distinct axes; an empty input means all axes */
    public static int[] axes(int[] axes, int rank) {
        if (axes == null || axes.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] n = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            n[i] = axis(axes[i], rank);
        }
        Arrays.sort(n);
        for (int i = 1; i < n.length; i++) {
            if (n[i] == n[i - 1]) {
                throw new ShapeException("axis " + n[i] + " repeated in " + Arrays.toString(axes));
            }
        }
        return n;
    }
}
