package dev.vae.models.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An n-dimensional array as stored in a {@code .npy} file: element type, shape and elements in C
 * (row-major) order. Read with {@link NpyReader}, written with {@link NpyWriter}.
 */
public final class NpyArray {
    private final NpyType type;
    private final int[] shape;
    private final byte[] data; // little-endian, C order

    private NpyArray(NpyType type, int[] shape, byte[] data) {
        this.type = type;
        this.shape = shape;
        this.data = data;
    }

    static NpyArray ofLittleEndian(NpyType type, int[] shape, byte[] data) {
        return new NpyArray(type, shape, data);
    }

    private static int[] checkShape(int[] shape, long length) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= s;
        }
        if (n != length) {
            throw new IllegalArgumentException(length + " values do not fill shape " + Arrays.toString(shape));
        }
        return shape.clone();
    }

    private static ByteBuffer buffer(NpyType t, int n) {
        return ByteBuffer.allocate(n * t.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** @return a float32 array of {@code shape} holding {@code v} (row-major) */
    public static NpyArray ofFloats(float[] v, int... shape) {
        int[] s = checkShape(shape, v.length);
        ByteBuffer b = buffer(NpyType.FLOAT32, v.length);
        b.asFloatBuffer().put(v);
        return new NpyArray(NpyType.FLOAT32, s, b.array());
    }

    /** @return a float64 array of {@code shape} holding {@code v} (row-major) */
    public static NpyArray ofDoubles(double[] v, int... shape) {
        int[] s = checkShape(shape, v.length);
        ByteBuffer b = buffer(NpyType.FLOAT64, v.length);
        b.asDoubleBuffer().put(v);
        return new NpyArray(NpyType.FLOAT64, s, b.array());
    }

    /** @return an int32 array of {@code shape} holding {@code v} (row-major) */
    public static NpyArray ofInts(int[] v, int... shape) {
        int[] s = checkShape(shape, v.length);
        ByteBuffer b = buffer(NpyType.INT32, v.length);
        b.asIntBuffer().put(v);
        return new NpyArray(NpyType.INT32, s, b.array());
    }

    /** @return a uint8 array of {@code shape} holding {@code v} (row-major, read as unsigned) */
    public static NpyArray ofUnsignedBytes(byte[] v, int... shape) {
        return new NpyArray(NpyType.UINT8, checkShape(shape, v.length), v.clone());
    }

    /** @return the element type */
    public NpyType type() {
        return type;
    }

    /** @return a copy of the shape */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of elements */
    public int size() {
        return data.length / type.byteSize();
    }

    /** @return element {@code i} (row-major) as a double (exact for every supported type) */
    public double getDouble(int i) {
        return switch (type) {
            case FLOAT32 -> Float.intBitsToFloat(intAt(4 * i));
            case FLOAT64 -> Double.longBitsToDouble(longAt(8 * i));
            case UINT8 -> data[i] & 0xFF;
            case INT32 -> intAt(4 * i);
        };
    }

    /** @return every element converted to float32, row-major */
    public float[] toFloats() {
        int n = size();
        float[] out = new float[n];
        if (type == NpyType.FLOAT32) {
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }
        for (int i = 0; i < n; i++) {
            out[i] = (float) getDouble(i);
        }
        return out;
    }

    /** @return every element converted to float64, row-major */
    public double[] toDoubles() {
        int n = size();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    /** @return the elements as little-endian bytes in C order (a copy) */
    byte[] littleEndianBytes() {
        return data.clone();
    }

    private int intAt(int off) {
        return (data[off] & 0xFF) | (data[off + 1] & 0xFF) << 8 | (data[off + 2] & 0xFF) << 16 | (data[off + 3] & 0xFF) << 24;
    }

    private long longAt(int off) {
        return (intAt(off) & 0xFFFFFFFFL) | ((long) intAt(off + 4)) << 32;
    }

    @Override
    public String toString() {
        return "NpyArray[" + type.label() + " " + Arrays.toString(shape) + "]";
    }
}
