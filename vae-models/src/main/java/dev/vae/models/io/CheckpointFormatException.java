package dev.vae.models.io;

import java.nio.file.Path;

/**
 * A checkpoint file is malformed or does not fit the model it is loaded into. The message is one
 * line naming the file and the offending field (header length, a tensor's dtype, shape or
 * offsets, a metadata key).
 */
public class CheckpointFormatException extends FileFormatException {
    /**
     * @param file   the checkpoint, or null for in-memory data
     * @param detail what is wrong, naming the field
     */
    public CheckpointFormatException(Path file, String detail) {
        super(file, "checkpoint", detail, null);
    }

    /**
     * @param file   the checkpoint, or null for in-memory data
     * @param detail what is wrong, naming the field
     * @param cause  the underlying error
     */
    public CheckpointFormatException(Path file, String detail, Throwable cause) {
        super(file, "checkpoint", detail, cause);
    }
}
