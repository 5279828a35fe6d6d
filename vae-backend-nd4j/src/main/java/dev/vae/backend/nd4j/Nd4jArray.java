package dev.vae.backend.nd4j;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.DeviceArray;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An array of the ND4J backend: the logical shape and dtype plus the {@link INDArray} holding the
 * elements, which may be a view (permuted, sliced, reshaped) of another array's storage.
 *
 * <p>Zero-size arrays hold no {@code INDArray} at all ({@link #indArray()} is {@code null}): ND4J's
 * support for empty arrays is unreliable, so every kernel handles them before calling ND4J.
 *
 * <p>The native storage is reference-counted: every array that views it holds one reference, and
 * the storage is closed (its off-heap buffer freed) when the last of them is released. Releasing
 * an array therefore never invalidates another.
 */
public final class Nd4jArray implements DeviceArray {
    private final int[] shape;
    private final DType dtype;
    private INDArray array;
    private Storage storage;
    private boolean released;

    Nd4jArray(int[] shape, DType dtype, INDArray array, Storage storage) {
        this.shape = shape;
        this.dtype = dtype;
        this.array = array;
        this.storage = storage;
    }

    @Override
    public int[] shape() {
        return shape;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    /**
     * @return the ND4J array (possibly a view with any strides), or {@code null} for a zero-size
     *         array; valid only until this array is released
     */
    public INDArray indArray() {
        if (released) {
            throw new IllegalStateException("array " + this + " was released");
        }
        return array;
    }

    /** @return true once {@link dev.vae.api.spi.Kernels#release} has been called on this array */
    public boolean isReleased() {
        return released;
    }

    /** @return the number of elements */
    public long size() {
        return Shapes.size(shape);
    }

    INDArray raw() {
        return array;
    }

    Storage storage() {
        return storage;
    }

    /**
     * Copy on write: before an in-place update, gives this array storage of its own if it shares
     * storage with another live array, so the update is never visible through that array (the
     * SPI's contract for {@code assign} and {@code adamStep}).
     */
    void makePrivate() {
        if (storage != null && storage.refs() > 1) {
            INDArray copy = array.dup('c');
            storage.unref();
            storage = new Storage(copy);
            array = copy;
        }
    }

    /** Marks this array released and drops its storage reference; false if it already was. */
    boolean markReleased() {
        if (released) {
            return false;
        }
        released = true;
        if (storage != null) {
            storage.unref();
        }
        return true;
    }

    @Override
    public String toString() {
        return "Nd4jArray" + Shapes.format(shape) + " " + dtype.label() + (released ? " (released)" : "");
    }

    /**
     * The native buffer behind one or more arrays: an owning {@link INDArray} (never a view) and the
     * number of live arrays that use it.
     */
    static final class Storage {
        private final INDArray owner;
        private int refs = 1;

        Storage(INDArray owner) {
            this.owner = owner;
        }

        void ref() {
            refs++;
        }

        void unref() {
            if (--refs == 0) {
                owner.close();
            }
        }

        boolean shares(Storage other) {
            return this == other;
        }

        INDArray owner() {
            return owner;
        }

        int refs() {
            return refs;
        }
    }
}
