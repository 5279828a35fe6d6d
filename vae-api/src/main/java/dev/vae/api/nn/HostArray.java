package dev.vae.api.nn;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.ShapeException;
import dev.vae.api.Shapes;
import dev.vae.api.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor's values on the host: element type, shape and row-major values held as float64 (every
 * float32 value is exactly representable, so a float32 tensor round-trips bit for bit). This is the
 * exchange format for parameters and optimizer state: checkpoints, data-parallel aggregation and
 * loading across backends.
 *
 * <p>The {@code data} array is not copied by the constructor or the accessor (to avoid doubling
 * large arrays); callers that share it must not modify it. The shape is copied both ways.
 * {@link #equals} and {@link #hashCode} compare contents.
 *
 * @param dtype the element type of the tensor these values came from or go to, not null
 * @param shape the shape, non-negative dimensions; empty for a scalar
 * @param data row-major values, length equal to the product of {@code shape}
 */
public record HostArray(DType dtype, int[] shape, double[] data) {

    /**
     * Validates the components and copies the shape.
     *
     * @param dtype the element type, not null
     * @param shape the shape, not null
     * @param data the row-major values, not null
     * @throws NullPointerException if an argument is null
     * @throws ShapeException if the shape has a negative dimension or does not match the data length
     */
    public HostArray {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(data, "data");
        shape = Shapes.validate(Objects.requireNonNull(shape, "shape").clone());
        if (Shapes.size(shape) != data.length) {
            throw new ShapeException("host array of " + data.length + " values does not fill shape "
                    + Shapes.format(shape));
        }
    }

    /**
     * Copies a tensor's values to the host.
     *
     * @param t the tensor, not null, not released
     * @return its dtype, shape and values
     */
    public static HostArray of(Tensor t) {
        return new HostArray(t.dtype(), t.shape(), t.toDoubles());
    }

    /** @return a copy of the shape */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of elements */
    public int size() {
        return data.length;
    }

    /**
     * Uploads the values as a new tensor of this array's dtype (owned by the current scope, if any).
     *
     * @param backend the target backend, not null
     * @return the new tensor
     */
    public Tensor toTensor(Backend backend) {
        return toTensor(backend, dtype);
    }

    /**
     * Uploads the values as a new tensor of {@code target} dtype (owned by the current scope, if any);
     * float64 values are rounded to nearest when {@code target} is float32.
     *
     * @param backend the target backend, not null
     * @param target the element type of the result, not null
     * @return the new tensor
     */
    public Tensor toTensor(Backend backend, DType target) {
        return backend.tensor(data, target, shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostArray h && h.dtype == dtype && Arrays.equals(h.shape, shape) && Arrays.equals(h.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "HostArray[" + dtype.label() + Shapes.format(shape) + "]";
    }
}
