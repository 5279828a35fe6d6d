package dev.vae.models.io;

import dev.vae.api.nn.HostArray;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;

import dev.vae.api.DType;

import java.io.EOFException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads safetensors files with strict validation before any tensor is allocated: the header
 * length is sane against the file size, the header is strict JSON, every entry has a known dtype
 * ({@code F32} or {@code F64}), a non-negative shape whose size times the dtype size equals its
 * byte range, and the byte ranges are contiguous from 0 to the end of the file without gaps or
 * overlaps. Every failure is one {@link CheckpointFormatException} naming the file and field.
 */
public final class SafetensorsReader {
    /** Largest header accepted (the limit of the reference implementation). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    private static final Set<String> OTHER_DTYPES = Set.of("BOOL", "U8", "I8", "I16", "U16", "F16", "BF16",
            "I32", "U32", "I64", "U64", "F8_E4M3", "F8_E5M2");

    private SafetensorsReader() {
    }

    /** A validated header: the entries in file order and the metadata. */
    public record Header(List<SafetensorsEntry> entries, Map<String, String> metadata, long dataStart) {
        /** Copies the collections. */
        public Header {
            entries = List.copyOf(entries);
            metadata = Map.copyOf(metadata);
        }

        /** @return the entries by name, in file order */
        public Map<String, SafetensorsEntry> byName() {
            Map<String, SafetensorsEntry> m = new LinkedHashMap<>();
            for (SafetensorsEntry e : entries) {
                m.put(e.name(), e);
            }
            return m;
        }
    }

    /**
     * Reads and validates only the header (no tensor data are read).
     *
     * @throws CheckpointFormatException if the file is missing or its header is invalid
     */
    public static Header readHeader(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, ch);
        } catch (NoSuchFileException e) {
            throw new CheckpointFormatException(file, "no such file");
        } catch (IOException e) {
            throw new CheckpointFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads and validates the whole file.
     *
     * @throws CheckpointFormatException if the file is missing, unreadable or invalid
     */
    public static SafetensorsFile read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = header(file, ch);
            Map<String, HostArray> tensors = new LinkedHashMap<>();
            for (SafetensorsEntry e : h.entries()) {
                ByteBuffer b = ByteBuffer.allocate((int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
                readFully(file, ch, b, h.dataStart() + e.begin(), "data of tensor '" + e.name() + "'");
                b.flip();
                double[] v = new double[(int) e.size()];
                if (e.dtype() == DType.FLOAT64) {
                    b.asDoubleBuffer().get(v);
                } else {
                    for (int i = 0; i < v.length; i++) {
                        v[i] = b.getFloat(4 * i);
                    }
                }
                tensors.put(e.name(), new HostArray(e.dtype(), e.shape(), v));
            }
            return new SafetensorsFile(tensors, h.metadata());
        } catch (NoSuchFileException e) {
            throw new CheckpointFormatException(file, "no such file");
        } catch (IOException e) {
            throw new CheckpointFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static void readFully(Path file, FileChannel ch, ByteBuffer b, long pos, String what) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) {
                throw new CheckpointFormatException(file, "truncated while reading the " + what);
            }
        }
    }

    private static Header header(Path file, FileChannel ch) throws IOException {
        long fileSize = ch.size();
        if (fileSize < 8) {
            throw new CheckpointFormatException(file, "header length: file has only " + fileSize + " bytes, not a safetensors file");
        }
        ByteBuffer lb = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, ch, lb, 0, "header length");
        long n = lb.getLong(0);
        if (n < 2 || n > fileSize - 8 || n > MAX_HEADER_BYTES) {
            throw new CheckpointFormatException(file, "header length " + Long.toUnsignedString(n) + " is invalid for a file of "
                    + fileSize + " bytes (must be 2.." + Math.min(fileSize - 8, MAX_HEADER_BYTES) + ")");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        readFully(file, ch, hb, 8, "header");
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(hb.flip()).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointFormatException(file, "header is not valid UTF-8");
        }
        long dataBytes = fileSize - 8 - n;
        List<SafetensorsEntry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        try {
            parse(file, json, entries, metadata);
        } catch (MalformedJsonException | EOFException | IllegalStateException | NumberFormatException e) {
            throw new CheckpointFormatException(file, "header is not valid JSON: " + firstLine(e.getMessage()));
        }
        checkOffsets(file, entries, dataBytes);
        return new Header(entries, metadata, 8 + n);
    }

    /** @return the first line of a library message (gson appends a troubleshooting link on a second line) */
    static String firstLine(String message) {
        if (message == null) {
            return "malformed";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl).strip();
    }

    private static void parse(Path file, String json, List<SafetensorsEntry> entries, Map<String, String> metadata) throws IOException {
        JsonReader r = new JsonReader(new StringReader(json));
        r.setStrictness(Strictness.STRICT);
        if (r.peek() != JsonToken.BEGIN_OBJECT) {
            throw new CheckpointFormatException(file, "header is not a JSON object");
        }
        r.beginObject();
        Set<String> seen = new HashSet<>();
        while (r.hasNext()) {
            String name = r.nextName();
            if (!seen.add(name)) {
                throw new CheckpointFormatException(file, "header: duplicate entry '" + name + "'");
            }
            if (name.equals("__metadata__")) {
                readMetadata(file, r, metadata);
            } else {
                entries.add(readEntry(file, r, name));
            }
        }
        r.endObject();
        if (r.peek() != JsonToken.END_DOCUMENT) {
            throw new CheckpointFormatException(file, "header: unexpected content after the JSON object");
        }
    }

    private static void readMetadata(Path file, JsonReader r, Map<String, String> metadata) throws IOException {
        if (r.peek() != JsonToken.BEGIN_OBJECT) {
            throw new CheckpointFormatException(file, "header field __metadata__ is not an object");
        }
        r.beginObject();
        while (r.hasNext()) {
            String k = r.nextName();
            if (r.peek() != JsonToken.STRING) {
                throw new CheckpointFormatException(file, "header field __metadata__." + k + " is not a string");
            }
            metadata.put(k, r.nextString());
        }
        r.endObject();
    }

    private static SafetensorsEntry readEntry(Path file, JsonReader r, String name) throws IOException {
        String where = "tensor '" + name + "'";
        if (r.peek() != JsonToken.BEGIN_OBJECT) {
            throw new CheckpointFormatException(file, where + " is not a JSON object");
        }
        String dtypeCode = null;
        List<Long> shape = null;
        List<Long> offsets = null;
        r.beginObject();
        while (r.hasNext()) {
            String field = r.nextName();
            switch (field) {
                case "dtype" -> {
                    if (r.peek() != JsonToken.STRING) {
                        throw new CheckpointFormatException(file, where + " field dtype is not a string");
                    }
                    dtypeCode = r.nextString();
                }
                case "shape" -> shape = longs(file, r, where + " field shape");
                case "data_offsets" -> offsets = longs(file, r, where + " field data_offsets");
                default -> throw new CheckpointFormatException(file, where + " has unknown field '" + field + "'");
            }
        }
        r.endObject();
        if (dtypeCode == null || shape == null || offsets == null) {
            throw new CheckpointFormatException(file, where + " lacks field "
                    + (dtypeCode == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
        }
        DType dtype = switch (dtypeCode) {
            case "F32" -> DType.FLOAT32;
            case "F64" -> DType.FLOAT64;
            default -> throw new CheckpointFormatException(file, where + " field dtype: "
                    + (OTHER_DTYPES.contains(dtypeCode) ? "dtype " + dtypeCode + " is not supported (F32, F64)"
                            : "unknown dtype '" + dtypeCode + "'"));
        };
        int[] dims = new int[shape.size()];
        long elements = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = shape.get(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new CheckpointFormatException(file, where + " field shape: dimension " + i + " is " + d);
            }
            dims[i] = (int) d;
            elements *= d;
            if (elements > Integer.MAX_VALUE - 8) {
                throw new CheckpointFormatException(file, where + " field shape: " + shape + " has too many elements");
            }
        }
        if (offsets.size() != 2) {
            throw new CheckpointFormatException(file, where + " field data_offsets must be [begin, end], got " + offsets);
        }
        long begin = offsets.get(0);
        long end = offsets.get(1);
        if (begin < 0 || end < begin) {
            throw new CheckpointFormatException(file, where + " field data_offsets " + offsets + " is not a valid range");
        }
        long expected = elements * dtype.byteSize();
        if (end - begin != expected) {
            throw new CheckpointFormatException(file, where + " field data_offsets: " + dtypeCode + " shape " + shape
                    + " needs " + expected + " bytes but the range " + offsets + " holds " + (end - begin));
        }
        return new SafetensorsEntry(name, dtype, dims, begin, end);
    }

    private static List<Long> longs(Path file, JsonReader r, String where) throws IOException {
        if (r.peek() != JsonToken.BEGIN_ARRAY) {
            throw new CheckpointFormatException(file, where + " is not an array");
        }
        List<Long> out = new ArrayList<>();
        r.beginArray();
        while (r.hasNext()) {
            if (r.peek() != JsonToken.NUMBER) {
                throw new CheckpointFormatException(file, where + " holds a non-number");
            }
            String s = r.nextString();
            try {
                out.add(Long.parseLong(s));
            } catch (NumberFormatException e) {
                throw new CheckpointFormatException(file, where + " holds " + s + ", not a non-negative integer");
            }
        }
        r.endArray();
        return out;
    }

    private static void checkOffsets(Path file, List<SafetensorsEntry> entries, long dataBytes) {
        List<SafetensorsEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(SafetensorsEntry::begin).thenComparingLong(SafetensorsEntry::end));
        long pos = 0;
        for (SafetensorsEntry e : sorted) {
            if (e.begin() != pos) {
                throw new CheckpointFormatException(file, "tensor '" + e.name() + "' field data_offsets: begins at " + e.begin()
                        + " but the previous tensor ends at " + pos + (e.begin() < pos ? " (overlap)" : " (gap)"));
            }
            pos = e.end();
        }
        if (pos != dataBytes) {
            throw new CheckpointFormatException(file, "data_offsets: the tensors cover " + pos + " bytes but the file holds "
                    + dataBytes + " data bytes" + (pos > dataBytes ? " (truncated)" : " (trailing bytes)"));
        }
    }
}
