package dev.vae.api;

/**
 * Element type of a tensor. {@link #FLOAT32} is the working type; {@link #FLOAT64} exists on the
 * reference backend (and wherever a backend declares {@link dev.vae.api.spi.Capability#FLOAT64})
 * so that results can be checked against a more precise computation.
 */
public enum DType {
    /** IEEE-754 binary32. */
    FLOAT32(4),
    /** IEEE-754 binary64. */
    FLOAT64(8);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** @return bytes per element */
    public int byteSize() {
        return byteSize;
    }

    /** @return the lower-case name used in messages and file headers ({@code float32}) */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
