package dev.vae.backend.cuda;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.DeviceArray;
import jcuda.driver.CUdeviceptr;

/**
 * A dense, row-major array in device memory. Several arrays may share one {@link Storage}
 * (reshape, same-type cast, empty-axes reduce return such views); the storage goes back to the
 * allocator when the last of them is released, and in-place kernels first give their target a
 * storage of its own, so sharing is never visible.
 */
final class CudaArray implements DeviceArray {
    /** Reference-counted device memory; {@code block} is null for zero-size arrays. */
    static final class Storage {
        final CachingAllocator.Block<CUdeviceptr> block;
        int refs = 1;

        Storage(CachingAllocator.Block<CUdeviceptr> block) {
            this.block = block;
        }
    }

    final CudaKernels owner;
    private final int[] shape;
    private final DType dtype;
    private final int size;
    Storage storage;
    boolean released;

    CudaArray(CudaKernels owner, int[] shape, DType dtype, Storage storage) {
        this.owner = owner;
        this.shape = shape;
        this.dtype = dtype;
        this.size = Shapes.sizeInt(shape);
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

    /** @return the number of elements */
    int size() {
        return size;
    }

    /** @return the size in bytes */
    long bytes() {
        return (long) size * dtype.byteSize();
    }

    /** @return the device pointer of element 0 (a null pointer for an empty array) */
    CUdeviceptr ptr() {
        return storage.block == null ? CudaModule.NULL : storage.block.pointer();
    }

    /** @return the device pointer of element {@code index} */
    CUdeviceptr ptr(long index) {
        return index == 0 ? ptr() : ptr().withByteOffset(index * dtype.byteSize());
    }

    @Override
    public String toString() {
        return "CudaArray(" + dtype.label() + ", " + Shapes.format(shape) + (released ? ", released)" : ")");
    }
}
