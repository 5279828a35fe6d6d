package dev.vae.api;

/** An operation was built with shapes (or dtypes) that do not fit; the message names them. */
public class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message names the operation and the shapes involved */
    public ShapeException(String message) {
        super(message);
    }
}
