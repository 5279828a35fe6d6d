package dev.vae.models.io;

import dev.vae.api.nn.HostArray;

import com.google.gson.stream.JsonWriter;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes safetensors files: an 8-byte little-endian header length, a JSON header (padded with
 * spaces to a multiple of 8 bytes) mapping each tensor name to {@code dtype}, {@code shape} and
 * {@code data_offsets}, plus a {@code __metadata__} string map, then the raw little-endian tensor
 * data, contiguous and in order. The file is written {@linkplain AtomicFiles atomically}. The
 * result loads with Python's {@code safetensors.torch.load_file}.
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {
    }

    /**
     * @param file     the target (replaced atomically)
     * @param tensors  name to values, written in iteration order
     * @param metadata string metadata (may be empty)
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public static void write(Path file, Map<String, HostArray> tensors, Map<String, String> metadata) {
        byte[] header = header(tensors, metadata);
        AtomicFiles.write(file, out -> writeBody(out, header, tensors));
    }

    private static byte[] header(Map<String, HostArray> tensors, Map<String, String> metadata) {
        StringWriter sw = new StringWriter();
        try (JsonWriter w = new JsonWriter(sw)) {
            w.beginObject();
            if (!metadata.isEmpty()) {
                w.name("__metadata__").beginObject();
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    w.name(e.getKey()).value(e.getValue());
                }
                w.endObject();
            }
            long offset = 0;
            for (Map.Entry<String, HostArray> e : tensors.entrySet()) {
                if (e.getKey().equals("__metadata__") || e.getKey().isEmpty()) {
                    throw new IllegalArgumentException("invalid tensor name '" + e.getKey() + "'");
                }
                HostArray t = e.getValue();
                long bytes = (long) t.size() * t.dtype().byteSize();
                w.name(e.getKey()).beginObject();
                w.name("dtype").value(SafetensorsEntry.code(t.dtype()));
                w.name("shape").beginArray();
                for (int d : t.shape()) {
                    w.value(d);
                }
                w.endArray();
                w.name("data_offsets").beginArray().value(offset).value(offset + bytes).endArray();
                w.endObject();
                offset += bytes;
            }
            w.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder s = new StringBuilder(sw.toString());
        int len = s.toString().getBytes(StandardCharsets.UTF_8).length;
        s.append(" ".repeat((8 - len % 8) % 8));
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void writeBody(OutputStream out, byte[] header, Map<String, HostArray> tensors) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        d.write(header);
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (HostArray t : tensors.values()) {
            if (t.dtype() == dev.vae.api.DType.FLOAT64) {
                for (double v : t.data()) {
                    if (buf.remaining() < 8) {
                        flush(d, buf);
                    }
                    buf.putDouble(v);
                }
            } else {
                for (double v : t.data()) {
                    if (buf.remaining() < 4) {
                        flush(d, buf);
                    }
                    buf.putFloat((float) v);
                }
            }
        }
        flush(d, buf);
        d.flush();
    }

    private static void flush(DataOutputStream d, ByteBuffer buf) throws IOException {
        d.write(buf.array(), 0, buf.position());
        buf.clear();
    }
}
