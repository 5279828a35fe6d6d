package dev.vae.backend.jvm;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.DeviceArray;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The array of the pure-Java backend: a contiguous, row-major Java {@code float[]} (float32) or
 * {@code double[]} (float64) of exactly {@code Shapes.size(shape)} elements.
 *
 * <p>Every kernel of {@link JvmKernels} returns a fresh array that owns its storage; arrays never
 * share storage, so releasing one never affects another and an in-place {@code assign} on one is
 * never visible through another. After {@link JvmKernels#release release} the storage is dropped
 * and any further use throws {@link IllegalStateException}, which makes use-after-release bugs in
 * callers visible on the reference backend instead of silently reading stale data.
 */
public final class JvmArray implements DeviceArray {
    private final int[] shape;
    private final DType dtype;
    private final int size;
    private final AtomicLong ownerLive;
    private final AtomicBoolean released = new AtomicBoolean();
    private float[] floats;
    private double[] doubles;

    private JvmArray(int[] shape, DType dtype, float[] floats, double[] doubles, AtomicLong ownerLive) {
        this.shape = shape;
        this.dtype = dtype;
        this.size = floats != null ? floats.length : doubles.length;
        this.floats = floats;
        this.doubles = doubles;
        this.ownerLive = ownerLive;
        ownerLive.incrementAndGet();
    }

    /** Wraps {@code data} (not copied) as a float32 array; the caller must not keep a reference. */
    static JvmArray ofFloats(float[] data, int[] shape, AtomicLong live) {
        check(data.length, shape);
        return new JvmArray(shape.clone(), DType.FLOAT32, data, null, live);
    }

    /** Wraps {@code data} (not copied) as a float64 array; the caller must not keep a reference. */
    static JvmArray ofDoubles(double[] data, int[] shape, AtomicLong live) {
        check(data.length, shape);
        return new JvmArray(shape.clone(), DType.FLOAT64, null, data, live);
    }

    /** @return a new zero-filled array of {@code shape} and {@code dtype} */
    static JvmArray zeros(int[] shape, DType dtype, AtomicLong live) {
        int n = Shapes.sizeInt(shape);
        return dtype == DType.FLOAT64 ? ofDoubles(new double[n], shape, live) : ofFloats(new float[n], shape, live);
    }

    private static void check(int length, int[] shape) {
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Shapes.format(shape));
            }
        }
        if (Shapes.size(shape) != length) {
            throw new IllegalArgumentException("shape " + Shapes.format(shape) + " needs " + Shapes.size(shape)
                    + " elements, data has " + length);
        }
    }

    @Override
    public int[] shape() {
        return shape;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    /** @return the number of elements */
    public int size() {
        return size;
    }

    /** @return true once {@link JvmKernels#release} has been called on this array */
    public boolean isReleased() {
        return released.get();
    }

    /** @return the float32 storage (row-major, not a copy) */
    float[] f() {
        float[] f = floats;
        if (f == null) {
            throw storageError(DType.FLOAT32);
        }
        return f;
    }

    /** @return the float64 storage (row-major, not a copy) */
    double[] d() {
        double[] d = doubles;
        if (d == null) {
            throw storageError(DType.FLOAT64);
        }
        return d;
    }

    private RuntimeException storageError(DType wanted) {
        if (released.get()) {
            return new IllegalStateException("jvm backend: array " + this + " used after release");
        }
        return new IllegalStateException("jvm backend: array " + this + " is not " + wanted.label());
    }

    /** Throws if this array has been released. */
    void checkLive() {
        if (released.get()) {
            throw new IllegalStateException("jvm backend: array " + this + " used after release");
        }
    }

    /**
     * Marks the array released, drops its storage and decrements its creator's live count.
     * Idempotent: a second call does nothing.
     */
    void release() {
        if (released.compareAndSet(false, true)) {
            floats = null;
            doubles = null;
            ownerLive.decrementAndGet();
        }
    }

    @Override
    public String toString() {
        return "JvmArray" + Shapes.format(shape) + ":" + dtype.label() + (released.get() ? "(released)" : "");
    }
}
