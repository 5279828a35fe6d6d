package dev.vae.models.data;

import java.nio.file.Path;

/**
 * A data file (or data passed in memory) is malformed: wrong magic number, inconsistent sizes,
 * truncated, non-finite values, unparsable text. The message is one line that names the file and
 * the problem.
 */
public class DataFormatException extends RuntimeException {
    private final transient Path file;

    /**
     * @param file   the offending file, or null for in-memory data
     * @param detail what is wrong, without the file name
     */
    public DataFormatException(Path file, String detail) {
        super((file == null ? "data" : file.toString()) + ": " + firstLine(detail));
        this.file = file;
    }

    /**
     * @param file   the offending file, or null for in-memory data
     * @param detail what is wrong, without the file name
     * @param cause  the underlying error
     */
    public DataFormatException(Path file, String detail, Throwable cause) {
        super((file == null ? "data" : file.toString()) + ": " + firstLine(detail), cause);
        this.file = file;
    }

    /** @return the offending file, or null for in-memory data */
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
