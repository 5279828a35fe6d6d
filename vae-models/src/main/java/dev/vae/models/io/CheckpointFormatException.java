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
        super((file == null ? "checkpoint" : file.toString()) + ": " + firstLine(detail));
        this.file = file;
    }

    /**
     * @param file   the checkpoint
     * @param detail what is wrong, naming the field
     * @param cause  the underlying error
     */
    public CheckpointFormatException(Path file, String detail, Throwable cause) {
        super((file == null ? "checkpoint" : file.toString()) + ": " + firstLine(detail), cause);
        this.file = file;
    }

    /** @return the checkpoint file, or null for in-memory data */
    public Path file() {
        return file;
    }

    /** Keeps messages to one line: library messages sometimes append hints on further lines. */
    private static String firstLine(String detail) {
        String d = String.valueOf(detail);
        int nl = d.indexOf('\n');
        return nl < 0 ? d : d.substring(0, nl).strip();
    }
}
