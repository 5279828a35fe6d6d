package dev.vae.api;

/**
 * The requested backend is unknown or cannot run here. The message lists the available backends
 * and why each of the others is unavailable.
 */
public class BackendUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message what was asked for, what is available, and why the rest are not */
    public BackendUnavailableException(String message) {
        super(message);
    }
}
