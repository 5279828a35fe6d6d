package dev.vae.models.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The content of one IDX file: its element type, its shape and the big-endian element bytes.
 * Produced by {@link IdxReader}; the sizes have been validated.
 */
public final class IdxArray {
    private final Path file;
    private final IdxType type;
    private final int[] shape;
    private final byte[] data;

    IdxArray(Path file, IdxType type, int[] shape, byte[] data) {
        this.file = file;
        this.type = type;
        this.shape = shape;
        this.data = data;
    }

    /** @return the file this was read from */
    public Path file() {
        return file;
    }

    /** @return the element type */
    public IdxType type() {
        return type;
    }

    /** @return a copy of the shape (first dimension: number of items) */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of elements */
    public int size() {
        return data.length / type.byteSize();
    }

    /** @return every element converted to float32, row-major */
    public float[] toFloats() {
        int n = size();
        float[] out = new float[n];
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < n; i++) {
            out[i] = switch (type) {
                case UBYTE -> data[i] & 0xFF;
                case BYTE -> data[i];
                case SHORT -> b.getShort(2 * i);
                case INT -> b.getInt(4 * i);
                case FLOAT -> b.getFloat(4 * i);
                case DOUBLE -> (float) b.getDouble(8 * i);
            };
        }
        return out;
    }

    /**
     * @return every element as an int (integer types only)
     * @throws DataFormatException for float or double files
     */
    public int[] toInts() {
        if (type == IdxType.FLOAT || type == IdxType.DOUBLE) {
            throw new DataFormatException(file, "expected integer IDX data, found " + type.name().toLowerCase(java.util.Locale.ROOT));
        }
        float[] f = toFloats();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (int) f[i];
        }
        return out;
    }

    @Override
    public String toString() {
        return "IdxArray[" + file + ", " + type + " " + Arrays.toString(shape) + "]";
    }
}
