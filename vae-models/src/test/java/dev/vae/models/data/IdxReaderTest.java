package dev.vae.models.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    /** An IDX file of unsigned bytes: magic 0x0000080N, big-endian dimensions, the data. */
    static byte[] idx(int[] shape, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) shape.length);
        for (int s : shape) {
            b.putInt(s);
        }
        return b.put(data).array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(raw);
        }
        return out.toByteArray();
    }

    static byte[] pixels(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 37);
        }
        return p;
    }

    private static String fails(Path f) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        return e.getMessage();
    }

    @Test
    void readsRawAndGzipImagesWithLabels(@TempDir Path dir) throws IOException {
        byte[] px = pixels(3 * 4 * 5);
        Path raw = Files.write(dir.resolve("imgs-idx3-ubyte"), idx(new int[] {3, 4, 5}, px));
        Path gz = Files.write(dir.resolve("imgs-idx3-ubyte.gz"), gzip(idx(new int[] {3, 4, 5}, px)));
        Path labels = Files.write(dir.resolve("labels-idx1-ubyte.gz"), gzip(idx(new int[] {3}, new byte[] {7, 0, 9})));
        Dataset a = IdxReader.readImages("a", raw, labels);
        Dataset b = IdxReader.readImages("b", gz, null);
        assertEquals(3, a.size());
        assertEquals(20, a.dim());
        assertArrayEquals(new int[] {4, 5}, a.sampleShape());
        assertEquals((px[7] & 0xFF) / 255f, a.get(0, 7));
        assertEquals(a.get(2, 19), b.get(2, 19));
        assertArrayEquals(new double[] {7, 0, 9}, a.labels().orElseThrow().values());
        assertTrue(a.labels().orElseThrow().isCategorical());
        assertTrue(b.labels().isEmpty());
    }

    @Test
    void mnistLayoutDirectoryLoadsAsASplit(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(idx(new int[] {4, 2, 2}, pixels(16))));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(idx(new int[] {4}, new byte[] {1, 2, 3, 4})));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), idx(new int[] {2, 2, 2}, pixels(8)));
        DataSplit s = Datasets.load(dir.toString(), Map.of());
        assertEquals(4, s.train().size());
        assertEquals(2, s.test().size());
        assertTrue(s.test().labels().isEmpty());
        DataSplit viaProvider = new FashionMnistProvider().load(Map.of("dir", dir.toString()));
        assertEquals(4, viaProvider.train().size());
        assertTrue(Datasets.providers().stream().anyMatch(p -> p.name().equals("fashion-mnist")));
        Path empty = Files.createDirectory(dir.resolve("empty"));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Datasets.load("fashion-mnist", Map.of("dir", empty.toString())));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte[.gz] not found in " + empty), e.getMessage());
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"));
    }

    @Test
    void truncatedFilesAreRejected(@TempDir Path dir) throws IOException {
        byte[] full = idx(new int[] {10, 28, 28}, pixels(10 * 28 * 28));
        Path f = Files.write(dir.resolve("t-idx3-ubyte"), Arrays.copyOf(full, 1000));
        assertTrue(fails(f).contains("truncated: header declares ubyte shape [10, 28, 28] (7840 data bytes) but the file holds 984"));
        Files.write(f, gzip(Arrays.copyOf(full, 1000)));
        assertTrue(fails(f).contains("truncated"));
        byte[] gz = gzip(full);
        Files.write(f, Arrays.copyOf(gz, gz.length / 2));
        assertTrue(fails(f).contains("truncated gzip stream"));
        Files.write(f, Arrays.copyOf(full, 10));
        assertTrue(fails(f).contains("file ends inside the dimensions"));
        byte[] longer = Arrays.copyOf(full, full.length + 3);
        Files.write(f, gzip(longer));
        assertTrue(fails(f).contains("trailing bytes"));
    }

    @Test
    void wrongMagicNumbersAreRejected(@TempDir Path dir) throws IOException {
        byte[] b = idx(new int[] {2, 2, 2}, pixels(8));
        b[2] = 0x42;
        Path f = Files.write(dir.resolve("m-idx3-ubyte"), b);
        assertTrue(fails(f).contains("bad IDX magic number 0x00004203"), fails(f));
        Files.write(f, "P5 28 28 255\n".getBytes());
        assertTrue(fails(f).contains("bad IDX magic number"));
        Files.write(f, new byte[0]);
        assertTrue(fails(f).contains("truncated"));
        assertTrue(fails(dir.resolve("absent")).contains("no such file"));
        // labels that do not match the images
        Path img = Files.write(dir.resolve("i-idx3-ubyte"), idx(new int[] {2, 2, 2}, pixels(8)));
        Path lab = Files.write(dir.resolve("l-idx1-ubyte"), idx(new int[] {3}, new byte[3]));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages("x", img, lab));
        assertTrue(e.getMessage().startsWith(lab + ": expected 2 labels"), e.getMessage());
    }
}
