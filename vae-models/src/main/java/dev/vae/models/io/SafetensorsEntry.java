package dev.vae.models.io;

import dev.vae.api.DType;
import dev.vae.api.Shapes;

/**
 * One tensor's header entry in a safetensors file, validated: dtype, shape and the byte range
 * {@code [begin, end)} relative to the start of the data section.
 *
 * @param name  the tensor's name
 * @param dtype its element type
 * @param shape its shape
 * @param begin first byte (relative to the data section)
 * @param end   one past the last byte
 */
public record SafetensorsEntry(String name, DType dtype, int[] shape, long begin, long end) {
    /** Copies the shape. */
    public SafetensorsEntry {
        shape = shape.clone();
    }

    /** @return a copy of the shape */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of elements */
    public long size() {
        return Shapes.size(shape);
    }

    /** @return the safetensors dtype string ({@code F32}, {@code F64}) */
    public static String code(DType t) {
        return t == DType.FLOAT64 ? "F64" : "F32";
    }
}
