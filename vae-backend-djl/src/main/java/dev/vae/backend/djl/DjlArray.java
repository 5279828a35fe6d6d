package dev.vae.backend.djl;

import ai.djl.pytorch.engine.PtNDArray;
import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.DeviceArray;

/**
 * A {@link DeviceArray} of the DJL backend: one PyTorch tensor ({@link PtNDArray}) with its own
 * storage, contiguous and row-major, owned by one {@link DjlKernels} instance.
 *
 * <p>The logical shape and dtype are kept on the Java side so that asking for them never crosses
 * JNI. {@link DjlKernels#release} closes the tensor, which frees its native memory at once.
 */
final class DjlArray implements DeviceArray {
    private final DjlKernels owner;
    private final int[] shape;
    private final DType dtype;
    private PtNDArray nd;

    DjlArray(DjlKernels owner, PtNDArray nd, int[] shape, DType dtype) {
        this.owner = owner;
        this.nd = nd;
        this.shape = shape;
        this.dtype = dtype;
    }

    @Override
    public int[] shape() {
        return shape;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    /** @return the kernels instance that created this array */
    DjlKernels owner() {
        return owner;
    }

    /** @return the tensor, or null once released */
    PtNDArray nd() {
        return nd;
    }

    /**
     * Closes the tensor.
     *
     * @return true if this call released it, false if it was already released
     */
    boolean release() {
        PtNDArray t = nd;
        if (t == null) {
            return false;
        }
        nd = null;
        t.close();
        return true;
    }

    @Override
    public String toString() {
        return "DjlArray" + Shapes.format(shape) + " " + dtype.label() + (nd == null ? " (released)" : "");
    }
}
