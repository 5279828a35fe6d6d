package dev.vae.models.data;

/** Element types of the IDX format (third byte of the magic number), big-endian on disk. */
public enum IdxType {
    /** unsigned byte. */
    UBYTE(0x08, 1),
    /** signed byte. */
    BYTE(0x09, 1),
    /** signed 16-bit integer. */
    SHORT(0x0B, 2),
    /** signed 32-bit integer. */
    INT(0x0C, 4),
    /** IEEE-754 binary32. */
    FLOAT(0x0D, 4),
    /** IEEE-754 binary64. */
    DOUBLE(0x0E, 8);

    private final int code;
    private final int byteSize;

    IdxType(int code, int byteSize) {
        this.code = code;
        this.byteSize = byteSize;
    }

    /** @return the type code stored in the magic number */
    public int code() {
        return code;
    }

    /** @return bytes per element */
    public int byteSize() {
        return byteSize;
    }

    /** @return the type with this code, or null if the code is not an IDX type */
    public static IdxType ofCode(int code) {
        for (IdxType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
