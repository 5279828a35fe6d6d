package dev.vae.models.io;

import java.nio.file.Path;

/**
 * A file the platform reads is malformed. The message is one line: the file (or a label for
 * in-memory input) and the problem. Subclasses say which kind of file.
 */
public class FileFormatException extends RuntimeException {
    private final transient Path file;

    /**
     * @param file   the offending file, or null for in-memory input
     * @param label  what to name in the message when {@code file} is null (e.g. "data")
     * @param detail what is wrong, without the file name
     * @param cause  the underlying error, or null
     */
    protected FileFormatException(Path file, String label, String detail, Throwable cause) {
        super((file == null ? label : file.toString()) + ": " + firstLine(detail), cause);
        this.file = file;
    }

    /** @return the offending file, or null for in-memory input */
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
