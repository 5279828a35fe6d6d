package dev.vae.models.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy {@code .npy} files (format versions 1, 2 and 3) holding float32, float64, uint8 or
 * int32 elements in either byte order. C-order arrays are read as they are; Fortran-order arrays
 * are reordered to C order.
 *
 * <p>Validation, before the data are allocated: the magic string, the version, the header length
 * against the file size, the header dictionary ({@code descr}, {@code fortran_order},
 * {@code shape}), and that the file holds exactly the bytes the shape declares. Each failure is
 * one {@link DataFormatException} naming the file.
 */
public final class NpyReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private NpyReader() {
    }

    /**
     * @param file a {@code .npy} file
     * @return its validated content in C order
     * @throws DataFormatException if the file is missing, unreadable or malformed
     */
    public static NpyArray read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            long fileSize = Files.size(file);
            byte[] pre = in.readNBytes(8);
            if (pre.length < 8 || !Arrays.equals(Arrays.copyOf(pre, 6), MAGIC)) {
                throw new DataFormatException(file, "not a .npy file (missing the \\x93NUMPY magic string)");
            }
            int major = pre[6] & 0xFF;
            if (major < 1 || major > 3) {
                throw new DataFormatException(file, "unsupported .npy format version " + major + "." + (pre[7] & 0xFF));
            }
            int lenBytes = major == 1 ? 2 : 4;
            byte[] lb = in.readNBytes(lenBytes);
            if (lb.length < lenBytes) {
                throw new DataFormatException(file, "truncated: file ends inside the header length");
            }
            long headerLen = 0;
            for (int i = lenBytes - 1; i >= 0; i--) {
                headerLen = (headerLen << 8) | (lb[i] & 0xFF);
            }
            long dataStart = 8 + lenBytes + headerLen;
            if (dataStart > fileSize) {
                throw new DataFormatException(file, "truncated: header length " + headerLen + " exceeds the file size " + fileSize);
            }
            String header = new String(in.readNBytes((int) headerLen),
                    major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).strip();
            Header h = parseHeader(file, header);
            long dataBytes = h.elements * h.type.byteSize();
            long actual = fileSize - dataStart;
            if (actual != dataBytes) {
                throw new DataFormatException(file, (actual < dataBytes ? "truncated: " : "size mismatch: ") + "header declares "
                        + h.type.label() + " shape " + Arrays.toString(h.shape) + " (" + dataBytes + " data bytes) but the file holds " + actual);
            }
            byte[] data = in.readNBytes((int) dataBytes);
            if (data.length != dataBytes) {
                throw new DataFormatException(file, "truncated: file changed while being read");
            }
            if (h.bigEndian && h.type.byteSize() > 1) {
                swap(data, h.type.byteSize());
            }
            if (h.fortran && h.shape.length > 1) {
                data = fortranToC(data, h.shape, h.type.byteSize());
            }
            return NpyArray.ofLittleEndian(h.type, h.shape, data);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "no such file");
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot be read: " + e, e);
        }
    }

    private record Header(NpyType type, boolean bigEndian, boolean fortran, int[] shape, long elements) {
    }

    private static Header parseHeader(Path file, String header) {
        if (!header.startsWith("{") || !header.endsWith("}")) {
            throw new DataFormatException(file, "header is not a Python dictionary: " + abbreviate(header));
        }
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new DataFormatException(file, "header lacks 'descr', 'fortran_order' or 'shape': " + abbreviate(header));
        }
        String descr = d.group(1);
        if (descr.length() < 2) {
            throw new DataFormatException(file, "unsupported dtype '" + descr + "'");
        }
        char order = descr.charAt(0);
        String code = "<>|=".indexOf(order) >= 0 ? descr.substring(1) : descr;
        NpyType type = NpyType.ofCode(code);
        if (type == null) {
            throw new DataFormatException(file, "unsupported dtype '" + descr + "' (supported: <f4, <f8, |u1, <i4 and their big-endian forms)");
        }
        if (order == '|' && type.byteSize() > 1) {
            throw new DataFormatException(file, "dtype '" + descr + "' lacks a byte order");
        }
        String[] parts = s.group(1).split(",");
        int count = 0;
        int[] shape = new int[parts.length];
        long elements = 1;
        for (String p : parts) {
            String t = p.strip();
            if (t.endsWith("L")) {
                t = t.substring(0, t.length() - 1);
            }
            if (t.isEmpty()) {
                continue;
            }
            long v;
            try {
                v = Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, "bad shape (" + s.group(1) + ") in header");
            }
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new DataFormatException(file, "bad dimension " + v + " in shape (" + s.group(1) + ")");
            }
            shape[count++] = (int) v;
            elements *= v;
            if (elements * type.byteSize() > MAX_BYTES) {
                throw new DataFormatException(file, "shape (" + s.group(1) + ") holds more than " + MAX_BYTES + " bytes");
            }
        }
        return new Header(type, order == '>', f.group(1).equals("True"), Arrays.copyOf(shape, count), elements);
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    private static void swap(byte[] data, int size) {
        for (int off = 0; off < data.length; off += size) {
            for (int i = 0, j = size - 1; i < j; i++, j--) {
                byte t = data[off + i];
                data[off + i] = data[off + j];
                data[off + j] = t;
            }
        }
    }

    private static byte[] fortranToC(byte[] src, int[] shape, int size) {
        int rank = shape.length;
        int n = src.length / size;
        byte[] dst = new byte[src.length];
        int[] idx = new int[rank];
        long[] fStride = new long[rank];
        long st = 1;
        for (int j = 0; j < rank; j++) {
            fStride[j] = st;
            st *= shape[j];
        }
        for (int c = 0; c < n; c++) {
            long f = 0;
            for (int j = 0; j < rank; j++) {
                f += idx[j] * fStride[j];
            }
            System.arraycopy(src, (int) f * size, dst, c * size, size);
            for (int j = rank - 1; j >= 0; j--) {
                if (++idx[j] < shape[j]) {
                    break;
                }
                idx[j] = 0;
            }
        }
        return dst;
    }

    /**
     * Reads a feature matrix (and optionally labels) as a data set. The feature array has shape
     * (n, d) or (n, ...), whose trailing dimensions become the sample shape; values are used as
     * they are (no scaling). Labels are a 1-D array of n values, integer types giving categorical
     * labels.
     *
     * @throws DataFormatException if a file is malformed, a value is NaN or infinite, or the counts disagree
     */
    public static Dataset readDataset(String name, Path features, Path labels) {
        NpyArray a = read(features);
        int[] s = a.shape();
        if (s.length < 2 || s[0] == 0) {
            throw new DataFormatException(features, "expected a feature array of shape (n, d) with n > 0, found " + Arrays.toString(s));
        }
        int n = s[0];
        int d = a.size() / n;
        if (a.type() == NpyType.FLOAT64) {
            for (int i = 0; i < a.size(); i++) {
                double v = a.getDouble(i);
                if (Double.isFinite(v) && Math.abs(v) > Float.MAX_VALUE) {
                    throw new DataFormatException(features, "value " + v + " at row " + i / d + ", column " + i % d + " overflows float32");
                }
            }
        }
        float[] f = a.toFloats();
        int bad = Dataset.firstNonFinite(f);
        if (bad >= 0) {
            throw new DataFormatException(features, "non-finite value " + f[bad] + " at row " + bad / d + ", column " + bad % d);
        }
        Dataset ds = Dataset.of(name, f, n, d).withSampleShape(Arrays.copyOfRange(s, 1, s.length));
        if (labels == null) {
            return ds;
        }
        NpyArray l = read(labels);
        if (l.shape().length != 1 || l.shape()[0] != n) {
            throw new DataFormatException(labels, "expected " + n + " labels, found shape " + Arrays.toString(l.shape()));
        }
        double[] v = l.toDoubles();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new DataFormatException(labels, "non-finite label " + v[i] + " at row " + i);
            }
        }
        if (l.type() == NpyType.UINT8 || l.type() == NpyType.INT32) {
            int[] iv = new int[n];
            for (int i = 0; i < n; i++) {
                iv[i] = (int) v[i];
                if (iv[i] < 0) {
                    throw new DataFormatException(labels, "class label " + iv[i] + " at row " + i + " is negative");
                }
            }
            return ds.withLabels(Labels.categorical("class", iv));
        }
        return ds.withLabels(Labels.continuous("label", v));
    }
}
