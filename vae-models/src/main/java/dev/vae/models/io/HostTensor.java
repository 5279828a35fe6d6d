package dev.vae.models.io;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.Tensor;

import java.util.Arrays;

/**
 * A tensor's values in host memory (float32 or float64), the backend-neutral form in which
 * parameters and optimizer state travel to and from checkpoints: any backend can produce one and
 * any backend can load it.
 */
public final class HostTensor {
    private final DType dtype;
    private final int[] shape;
    private final float[] floats;
    private final double[] doubles;

    private HostTensor(DType dtype, int[] shape, float[] floats, double[] doubles) {
        this.dtype = dtype;
        this.shape = shape;
        this.floats = floats;
        this.doubles = doubles;
    }

    private static int[] checked(int[] shape, int length) {
        int[] s = Shapes.validate(shape.clone());
        if (Shapes.size(s) != length) {
            throw new IllegalArgumentException(length + " values do not fill shape " + Shapes.format(s));
        }
        return s;
    }

    /** @return a float32 host tensor (the array is not copied) */
    public static HostTensor ofFloats(float[] values, int... shape) {
        return new HostTensor(DType.FLOAT32, checked(shape, values.length), values, null);
    }

    /** @return a float64 host tensor (the array is not copied) */
    public static HostTensor ofDoubles(double[] values, int... shape) {
        return new HostTensor(DType.FLOAT64, checked(shape, values.length), null, values);
    }

    /** @return the values of {@code t} copied to the host, keeping its dtype */
    public static HostTensor of(Tensor t) {
        return t.dtype() == DType.FLOAT64 ? ofDoubles(t.toDoubles(), t.shape()) : ofFloats(t.toFloats(), t.shape());
    }

    /** @return the element type */
    public DType dtype() {
        return dtype;
    }

    /** @return a copy of the shape */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of elements */
    public int size() {
        return dtype == DType.FLOAT64 ? doubles.length : floats.length;
    }

    /** @return the values as float32 (the backing array for float32 tensors, a conversion otherwise) */
    public float[] floats() {
        if (floats != null) {
            return floats;
        }
        float[] f = new float[doubles.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) doubles[i];
        }
        return f;
    }

    /** @return the values as float64 (the backing array for float64 tensors, a conversion otherwise) */
    public double[] doubles() {
        if (doubles != null) {
            return doubles;
        }
        double[] d = new double[floats.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = floats[i];
        }
        return d;
    }

    /** @return a new tensor of {@code dtype} on {@code backend} holding these values (converted if needed) */
    public Tensor toTensor(Backend backend, DType target) {
        return target == DType.FLOAT64 ? backend.tensor(doubles(), shape) : backend.tensor(floats(), shape);
    }

    /** @return true if both have the same dtype, shape and bit-identical values */
    public boolean sameAs(HostTensor o) {
        return o.dtype == dtype && Arrays.equals(o.shape, shape)
                && (dtype == DType.FLOAT64 ? Arrays.equals(o.doubles, doubles) : Arrays.equals(o.floats, floats));
    }

    @Override
    public String toString() {
        return "HostTensor" + Shapes.format(shape) + " " + dtype.label();
    }
}
