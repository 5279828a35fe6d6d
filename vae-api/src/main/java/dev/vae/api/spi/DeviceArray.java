package dev.vae.api.spi;

import dev.vae.api.DType;

/**
 * A backend's own n-dimensional array, opaque to everything above the SPI. Backends implement
 * this over their native storage (a Java array, an ND4J {@code INDArray}, a DJL {@code NDArray},
 * a CUDA device pointer) and cast it back in their kernels.
 *
 * <p>Logical layout is always row-major: {@link Kernels#toFloats} returns elements in row-major
 * order whatever the physical layout (a backend may hold permuted views). Arrays are released
 * exactly once through {@link Kernels#release}; the API's scopes do this for intermediates.
 */
public interface DeviceArray {
    /** @return the logical shape; callers must not modify the returned array */
    int[] shape();

    /** @return the element type */
    DType dtype();
}
