package dev.vae.models.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Atomic file replacement: the content is written to a temporary file in the target's directory,
 * forced to disk, then moved over the target with {@link StandardCopyOption#ATOMIC_MOVE}. Readers
 * see the old file or the complete new one, never a partial file; if writing fails, the temporary
 * file is deleted and the target is untouched.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Content {
        /** Writes everything to {@code out} (which the caller closes). */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Atomically replaces (or creates) {@code target} with what {@code content} writes.
     *
     * @throws UncheckedIOException naming the file if anything fails (nothing is left behind);
     *                              runtime exceptions thrown by {@code content} propagate after cleanup
     */
    public static void write(Path target, Content content) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        boolean done = false;
        try {
            if (dir != null && !Files.isDirectory(dir)) {
                throw new IOException("directory " + dir + " does not exist");
            }
            // createFile (unlike createTempFile) gives the usual permissions of new files (umask)
            tmp = Files.createFile(dir.resolve("." + abs.getFileName() + "." + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp"));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " does not support atomic moves", e);
            }
            done = true;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(abs + ": cannot be written: " + e.getMessage(), e);
        } finally {
            if (!done && tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is the one to report
                }
            }
        }
    }

    /** Forces the directory entry to disk where the platform allows it (a no-op elsewhere). */
    private static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every platform can open or sync a directory; the rename itself is atomic
        }
    }
}
