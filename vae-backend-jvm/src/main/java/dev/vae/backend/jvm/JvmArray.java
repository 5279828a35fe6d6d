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
 * never visible through another. After {@link JvmKernels#release release} the array lets go of its
 * storage (handing it to its creator's {@link BufferPool} for reuse by a later array) and any
 * further use throws {@link IllegalStateException}, which makes use-after-release bugs in callers
 * visible on the reference backend instead of silently reading stale data, or another array's.
 * The storage never escapes otherwise: transfers to the host copy it.
 */
public final class JvmArray implements DeviceArray {
    private final int[] shape;
    private final DType dtype;
    private final int size;
    private final AtomicLong ownerLive;
    /** Where the storage goes on release, or null to drop it. */
    private final BufferPool ownerPool;
    private final AtomicBoolean released = new AtomicBoolean();
    private float[] floats;
    private double[] doubles;

    private JvmArray(int[] shape, DType dtype, float[] floats, double[] doubles, AtomicLong ownerLive,
            BufferPool ownerPool) {
        this.shape = shape;
        this.dtype = dtype;
        this.size = floats != null ? floats.length : doubles.length;
        this.floats = floats;
        this.doubles = doubles;
        this.ownerLive = ownerLive;
        this.ownerPool = ownerPool;
        ownerLive.incrementAndGet();
    }

    /**
     * Wraps {@code data} (not copied) as a float32 array. The caller must not keep a reference:
     * on release the storage goes to {@code pool} (if not null) and is reused by other arrays.
     */
    static JvmArray ofFloats(float[] data, int[] shape, AtomicLong live, BufferPool pool) {
        check(data.length, shape);
        return new JvmArray(shape.clone(), DType.FLOAT32, data, null, live, pool);
    }

    /**
     * Wraps {@code data} (not copied) as a float64 array. The caller must not keep a reference:
     * on release the storage goes to {@code pool} (if not null) and is reused by other arrays.
     */
    static JvmArray ofDoubles(double[] data, int[] shape, AtomicLong live, BufferPool pool) {
        check(data.length, shape);
        return new JvmArray(shape.clone(), DType.FLOAT64, null, data, live, pool);
    }

    /**
     * @param zero whether the array must read as zeros; if false its contents are unspecified
     *        (stale data from the pool) and the caller must overwrite every element
     * @return a new array of {@code shape} and {@code dtype}, its storage taken from {@code pool}
     *         when it has a buffer of that length
     */
    static JvmArray allocate(int[] shape, DType dtype, AtomicLong live, BufferPool pool, boolean zero) {
        int n = Shapes.sizeInt(shape);
        check(n, shape);
        if (dtype == DType.FLOAT64) {
            double[] d = pool.takeDoubles(n);
            if (d == null) {
                d = new double[n];
            } else if (zero) {
                java.util.Arrays.fill(d, 0.0);
            }
            return ofDoubles(d, shape, live, pool);
        }
        float[] f = pool.takeFloats(n);
        if (f == null) {
            f = new float[n];
        } else if (zero) {
            java.util.Arrays.fill(f, 0f);
        }
        return ofFloats(f, shape, live, pool);
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
     * Marks the array released, hands its storage to its creator's pool (nothing references it
     * any more: this array's accessors now throw) and decrements its creator's live count.
     * Idempotent: a second call does nothing.
     */
    void release() {
        if (released.compareAndSet(false, true)) {
            float[] f = floats;
            double[] d = doubles;
            floats = null;
            doubles = null;
            ownerLive.decrementAndGet();
            if (ownerPool != null) {
                if (f != null) {
                    ownerPool.give(f);
                } else if (d != null) {
                    ownerPool.give(d);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "JvmArray" + Shapes.format(shape) + ":" + dtype.label() + (released.get() ? "(released)" : "");
    }
}
