package dev.vae.models.data;

import dev.vae.models.io.FileFormatException;

import java.nio.file.Path;

/**
 * A data file (or data passed in memory) is malformed: wrong magic number, inconsistent sizes,
 * truncated, non-finite values, unparsable text. The message is one line that names the file and
 * the problem.
 */
public class DataFormatException extends FileFormatException {
    /**
     * @param file   the offending file, or null for in-memory data
     * @param detail what is wrong, without the file name
     */
    public DataFormatException(Path file, String detail) {
        super(file, "data", detail, null);
    }

    /**
     * @param file   the offending file, or null for in-memory data
     * @param detail what is wrong, without the file name
     * @param cause  the underlying error
     */
    public DataFormatException(Path file, String detail, Throwable cause) {
        super(file, "data", detail, cause);
    }
}
