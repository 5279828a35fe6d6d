package dev.vae.models.io;

import dev.vae.api.DType;
import dev.vae.api.nn.HostArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {
    private static Map<String, HostArray> sample() {
        Map<String, HostArray> m = new LinkedHashMap<>();
        m.put("fc1.weight", new HostArray(DType.FLOAT32, new int[] {2, 3}, new double[] {1, -2, 3.5, 0.25, Float.MIN_VALUE, -0.0}));
        m.put("fc1.bias", new HostArray(DType.FLOAT32, new int[] {2}, new double[] {0.1f, -7}));
        m.put("step", new HostArray(DType.FLOAT64, new int[0], new double[] {42}));
        m.put("empty", new HostArray(DType.FLOAT64, new int[] {0, 3}, new double[0]));
        return m;
    }

    @Test
    void roundTripsValuesShapesDtypesAndMetadata(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("a.safetensors");
        SafetensorsWriter.write(f, sample(), Map.of("model_config", "{\"x\": 1}", "step", "42"));
        SafetensorsFile r = SafetensorsReader.read(f);
        assertEquals(sample(), r.tensors());
        assertEquals(Arrays.asList(sample().keySet().toArray()), Arrays.asList(r.tensors().keySet().toArray()));
        assertEquals("{\"x\": 1}", r.metadata().get("model_config"));
        byte[] all = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "header padded to 8 bytes");
        String header = new String(all, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"fc1.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}"), header);
        assertTrue(header.contains("\"__metadata__\""));
        // data: little-endian float32 right after the header
        assertEquals(1.0f, ByteBuffer.wrap(all, (int) (8 + n), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    /** Writes a file with the given header JSON and {@code dataBytes} zero bytes of data. */
    private static Path raw(Path dir, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, b.array());
        return f;
    }

    private static String fails(Path f) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsReader.read(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        return e.getMessage();
    }

    @Test
    void rejectsCorruptHeadersWithOneLineNamingFileAndField(@TempDir Path dir) throws IOException {
        String ok = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertEquals(1, SafetensorsReader.read(raw(dir, ok, 8)).tensors().size());

        Path f = dir.resolve("huge.safetensors");
        Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        assertTrue(fails(f).contains("header length 1099511627776 is invalid"));
        Files.write(f, new byte[] {1, 2, 3});
        assertTrue(fails(f).contains("header length"));

        assertTrue(fails(raw(dir, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],", 8)).contains("not valid JSON"));
        assertTrue(fails(raw(dir, "[1, 2]", 0)).contains("not a JSON object"));
        assertTrue(fails(raw(dir, ok.replace("F32", "Q7"), 8)).contains("tensor 'w' field dtype: unknown dtype 'Q7'"));
        assertTrue(fails(raw(dir, ok.replace("F32", "BF16"), 8)).contains("dtype BF16 is not supported"));
        assertTrue(fails(raw(dir, ok.replace("[2]", "[3]"), 8)).contains("tensor 'w' field data_offsets: F32 shape [3] needs 12 bytes"));
        assertTrue(fails(raw(dir, ok.replace("[2]", "[-2]"), 8)).contains("tensor 'w' field shape"));
        assertTrue(fails(raw(dir, ok, 4)).contains("truncated"));
        assertTrue(fails(raw(dir, ok, 12)).contains("trailing bytes"));
        assertTrue(fails(raw(dir, ok.replace("\"shape\"", "\"shap\""), 8)).contains("unknown field 'shap'"));
        assertTrue(fails(raw(dir, ok.replace(",\"data_offsets\":[0,8]", ""), 8)).contains("lacks field data_offsets"));
        String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertTrue(fails(raw(dir, overlap, 12)).contains("tensor 'b' field data_offsets: begins at 4 but the previous tensor ends at 8 (overlap)"));
        String gap = overlap.replace("[4,12]", "[12,20]");
        assertTrue(fails(raw(dir, gap, 20)).contains("(gap)"));
        String dup = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertTrue(fails(raw(dir, dup, 8)).contains("duplicate entry 'a'"));
        assertTrue(fails(raw(dir, "{\"__metadata__\":{\"k\":1}}", 0)).contains("__metadata__.k is not a string"));
        assertTrue(fails(dir.resolve("missing.safetensors")).contains("no such file"));
    }

    @Test
    void atomicWriteLeavesNothingWhenWritingFails(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("out.bin");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[100_000]);
            throw new IllegalStateException("disk full");
        }));
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count(), "neither the target nor a temporary file exists");
        }
        // an existing file survives a failed replacement unchanged
        Files.write(f, new byte[] {1, 2, 3});
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(9);
            throw new IOException("device error");
        }));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> SafetensorsWriter.write(dir.resolve("no/such/dir/x.safetensors"), sample(), Map.of()));
        assertTrue(e.getMessage().contains("x.safetensors"), e.getMessage());
    }
}
