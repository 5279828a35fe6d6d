package dev.vae.cli.jmh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * An {@link OutputStream} that decodes UTF-8 bytes into a {@link PrintWriter}, flushing at every
 * line end, so that a library writing to a {@code PrintStream} (JMH) reaches the CLI's writer.
 */
final class WriterOutputStream extends OutputStream {
    private final PrintWriter writer;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    WriterOutputStream(PrintWriter writer) {
        this.writer = writer;
    }

    @Override
    public void write(int b) {
        pending.write(b);
        if (b == '\n') {
            flush();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        pending.write(b, off, len);
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                flush();
                return;
            }
        }
    }

    @Override
    public void flush() {
        if (pending.size() > 0) {
            writer.write(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
        }
        writer.flush();
    }

    @Override
    public void close() {
        flush();
    }
}
