package dev.vae.models.data;

import java.util.Locale;

/** Element types supported in {@code .npy} files, with their NumPy type characters. */
public enum NpyType {
    /** {@code f4}. */
    FLOAT32("f4", 4),
    /** {@code f8}. */
    FLOAT64("f8", 8),
    /** {@code u1}. */
    UINT8("u1", 1),
    /** {@code i4}. */
    INT32("i4", 4);

    private final String code;
    private final int byteSize;

    NpyType(String code, int byteSize) {
        this.code = code;
        this.byteSize = byteSize;
    }

    /** @return the kind and size part of a NumPy descr ({@code f4}) */
    public String code() {
        return code;
    }

    /** @return bytes per element */
    public int byteSize() {
        return byteSize;
    }

    /** @return the type whose code is {@code code} ({@code f4}), or null */
    public static NpyType ofCode(String code) {
        for (NpyType t : values()) {
            if (t.code.equals(code)) {
                return t;
            }
        }
        return null;
    }

    /** @return the lower-case name ({@code float32}) */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
