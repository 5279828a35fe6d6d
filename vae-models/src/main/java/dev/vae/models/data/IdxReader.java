package dev.vae.models.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads files in the IDX format of the MNIST family, raw or gzip-compressed (recognised by their
 * content, not their name). Layout: two zero bytes, a type code ({@link IdxType}), the number of
 * dimensions, then each dimension as a big-endian int32, then the elements, big-endian, row-major.
 *
 * <p>Validation: the magic number, the type code, positive dimensions, the total size (at most
 * 2<sup>31</sup> − 9 bytes), truncation and trailing bytes; each failure is one {@link
 * DataFormatException} naming the file. For a raw file the sizes are checked against the file
 * length before the data are allocated.
 */
public final class IdxReader {
    private static final int MAX_BYTES = Integer.MAX_VALUE - 8;
    private static final int MAX_DIMS = 8;

    private IdxReader() {
    }

    /**
     * @param file an IDX file, optionally gzip-compressed
     * @return its validated content
     * @throws DataFormatException if the file is missing, unreadable or malformed
     */
    public static IdxArray read(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gz = b0 == 0x1f && b1 == 0x8b;
            long rawLength = gz ? -1 : Files.size(file);
            InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw;
            return parse(file, in, rawLength);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "no such file");
        } catch (EOFException e) {
            throw new DataFormatException(file, "truncated gzip stream (" + e.getMessage() + ")");
        } catch (ZipException e) {
            throw new DataFormatException(file, "corrupt gzip stream (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot be read: " + e, e);
        }
    }

    private static IdxArray parse(Path file, InputStream in, long rawLength) throws IOException {
        byte[] magic = readFully(file, in, 4, "magic number");
        IdxType type = IdxType.ofCode(magic[2] & 0xFF);
        int ndim = magic[3] & 0xFF;
        if (magic[0] != 0 || magic[1] != 0 || type == null || ndim < 1 || ndim > MAX_DIMS) {
            throw new DataFormatException(file, String.format("bad IDX magic number 0x%02X%02X%02X%02X (expected 0x0000"
                    + "<type 08|09|0B|0C|0D|0E><1-%d dimensions>, e.g. 0x00000803 for images, 0x00000801 for labels)",
                    magic[0], magic[1], magic[2], magic[3], MAX_DIMS));
        }
        byte[] dimBytes = readFully(file, in, 4 * ndim, "dimensions");
        int[] shape = new int[ndim];
        long elements = 1;
        for (int i = 0; i < ndim; i++) {
            shape[i] = ((dimBytes[4 * i] & 0xFF) << 24) | ((dimBytes[4 * i + 1] & 0xFF) << 16)
                    | ((dimBytes[4 * i + 2] & 0xFF) << 8) | (dimBytes[4 * i + 3] & 0xFF);
            if (shape[i] < 0) {
                throw new DataFormatException(file, "dimension " + i + " is negative (" + shape[i] + ")");
            }
            elements *= shape[i];
            if (elements * type.byteSize() > MAX_BYTES) {
                throw new DataFormatException(file, "declared shape " + Arrays.toString(Arrays.copyOf(shape, i + 1))
                        + "... holds more than " + MAX_BYTES + " bytes");
            }
        }
        long dataBytes = elements * type.byteSize();
        long headerBytes = 4 + 4L * ndim;
        if (rawLength >= 0 && rawLength != headerBytes + dataBytes) {
            throw new DataFormatException(file, sizeMismatch(shape, type, dataBytes, rawLength - headerBytes));
        }
        byte[] data = readUpTo(in, (int) dataBytes);
        if (data.length < dataBytes) {
            throw new DataFormatException(file, sizeMismatch(shape, type, dataBytes, data.length));
        }
        if (in.read() >= 0) {
            throw new DataFormatException(file, "trailing bytes after the " + dataBytes + " data bytes declared by shape "
                    + Arrays.toString(shape));
        }
        return new IdxArray(file, type, shape, data);
    }

    private static String sizeMismatch(int[] shape, IdxType type, long expected, long actual) {
        return (actual < expected ? "truncated: " : "size mismatch: ") + "header declares " + type.name().toLowerCase(java.util.Locale.ROOT)
                + " shape " + Arrays.toString(shape) + " (" + expected + " data bytes) but the file holds " + actual;
    }

    private static byte[] readFully(Path file, InputStream in, int n, String what) throws IOException {
        byte[] b = readUpTo(in, n);
        if (b.length < n) {
            throw new DataFormatException(file, "truncated: file ends inside the " + what + " (" + b.length + " of " + n + " bytes)");
        }
        return b;
    }

    /** Reads at most {@code n} bytes, growing the buffer as data arrive (no up-front allocation of n). */
    private static byte[] readUpTo(InputStream in, int n) throws IOException {
        if (n <= 1 << 20) {
            return in.readNBytes(n);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        byte[] buf = new byte[1 << 16];
        int left = n;
        while (left > 0) {
            int r = in.read(buf, 0, Math.min(buf.length, left));
            if (r < 0) {
                break;
            }
            out.write(buf, 0, r);
            left -= r;
        }
        return out.toByteArray();
    }

    /**
     * Reads an image file (and optionally its label file) as a data set with pixel values scaled
     * to [0, 1] by 1/255.
     *
     * @param name   the data set's name
     * @param images an IDX file of unsigned bytes with at least 2 dimensions (n, ...)
     * @param labels an IDX file of n integer labels, or null
     * @throws DataFormatException if a file is malformed or the counts disagree
     */
    public static Dataset readImages(String name, Path images, Path labels) {
        IdxArray img = read(images);
        int[] s = img.shape();
        if (img.type() != IdxType.UBYTE || s.length < 2) {
            throw new DataFormatException(images, "expected unsigned-byte images of shape (n, rows, cols), found "
                    + img.type().name().toLowerCase(java.util.Locale.ROOT) + " " + Arrays.toString(s));
        }
        int n = s[0];
        int d = img.size() / Math.max(1, n);
        if (n == 0 || d == 0) {
            throw new DataFormatException(images, "holds no images (shape " + Arrays.toString(s) + ")");
        }
        float[] px = img.toFloats();
        for (int i = 0; i < px.length; i++) {
            px[i] = px[i] / 255f;
        }
        Dataset ds = Dataset.of(name, px, n, d).withSampleShape(Arrays.copyOfRange(s, 1, s.length));
        if (labels == null) {
            return ds;
        }
        IdxArray lab = read(labels);
        if (lab.shape().length != 1 || lab.shape()[0] != n) {
            throw new DataFormatException(labels, "expected " + n + " labels (one per image in " + images.getFileName()
                    + "), found shape " + Arrays.toString(lab.shape()));
        }
        int[] l = lab.toInts();
        for (int i = 0; i < l.length; i++) {
            if (l[i] < 0) {
                throw new DataFormatException(labels, "label " + i + " is negative (" + l[i] + ")");
            }
        }
        return ds.withLabels(Labels.categorical("class", l));
    }
}
