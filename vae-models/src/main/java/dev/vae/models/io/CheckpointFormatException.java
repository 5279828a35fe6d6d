package dev.vae.models.io;

import java.nio.file.Path;

/**
 * A checkpoint file is malformed or does not fit the model it is loaded into. The message is one
 * line naming the file and the offending field (header length, a tensor's dtype, shape or
 * offsets, a metadata key).
 */
public class CheckpointFormatException extends RuntimeException {
    private final transient Path file;

    /**
     * @param file   the checkpoint
     * @param detail what is wrong, naming the field
     */
    public CheckpointFormatException(Path file, String detail) {
        super((file == null ? "checkpoint" : file.toString()) + ": " + detail);
        this.file = file;
    }

    /**
     * @param file   the checkpoint
     * @param detail what is wrong, naming the field
     * @param cause  the underlying error
     */
    public CheckpointFormatException(Path file, String detail, Throwable cause) {
        super((file == null ? "checkpoint" : file.toString()) + ": " + detail, cause);
        this.file = file;
    }

    /** @return the checkpoint file, or null for in-memory data */
    public Path file() {
        return file;
    }
}
