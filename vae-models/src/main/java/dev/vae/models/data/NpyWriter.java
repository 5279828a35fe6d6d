package dev.vae.models.data;

import dev.vae.models.io.AtomicFiles;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes {@code .npy} files (format 1.0, C order, header padded so that the data start at a
 * multiple of 64 bytes, as NumPy does). Writes are atomic: the file appears complete or not at all.
 */
public final class NpyWriter {
    private NpyWriter() {
    }

    /** Writes {@code array} little-endian to {@code file}. */
    public static void write(Path file, NpyArray array) {
        write(file, array, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Writes {@code array} to {@code file} in the given byte order.
     *
     * @throws java.io.UncheckedIOException if the file cannot be written (nothing is left behind)
     */
    public static void write(Path file, NpyArray array, ByteOrder order) {
        boolean big = order == ByteOrder.BIG_ENDIAN;
        int size = array.type().byteSize();
        char orderChar = size == 1 ? '|' : big ? '>' : '<';
        StringBuilder shape = new StringBuilder("(");
        int[] s = array.shape();
        for (int i = 0; i < s.length; i++) {
            shape.append(i > 0 ? ", " : "").append(s[i]);
        }
        shape.append(s.length == 1 ? ",)" : ")");
        StringBuilder header = new StringBuilder("{'descr': '" + orderChar + array.type().code()
                + "', 'fortran_order': False, 'shape': " + shape + ", }");
        int total = 10 + header.length() + 1;
        header.append(" ".repeat((64 - total % 64) % 64)).append('\n');
        byte[] data = array.littleEndianBytes();
        if (big && size > 1) {
            for (int off = 0; off < data.length; off += size) {
                for (int i = 0, j = size - 1; i < j; i++, j--) {
                    byte t = data[off + i];
                    data[off + i] = data[off + j];
                    data[off + j] = t;
                }
            }
        }
        byte[] h = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream pre = new ByteArrayOutputStream(10 + h.length);
        pre.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, (byte) (h.length >>> 8)});
        pre.writeBytes(h);
        AtomicFiles.write(file, out -> {
            out.write(pre.toByteArray());
            out.write(data);
        });
    }
}
