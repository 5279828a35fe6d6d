package dev.vae.models.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyTest {
    /** A .npy file as NumPy writes it: version 1.0, header padded to 64 bytes. */
    static byte[] npy(String header, byte[] data) {
        int total = 10 + header.length() + 1;
        String h = header + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length());
        return b.put(h.getBytes(StandardCharsets.ISO_8859_1)).put(data).array();
    }

    private static String fails(Path f) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> NpyReader.read(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        return e.getMessage();
    }

    @Test
    void roundTripsEveryTypeInBothByteOrders(@TempDir Path dir) {
        float[] f = {1.5f, -2f, Float.MIN_VALUE, 3e38f, 0f, -0f};
        double[] d = {Math.PI, -1e300, 4.9e-324, 0, 1, 2};
        int[] i = {Integer.MIN_VALUE, -1, 0, 1, 7, Integer.MAX_VALUE};
        byte[] u = {0, 1, 127, (byte) 128, (byte) 255, 9};
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            Path p = dir.resolve("a.npy");
            NpyWriter.write(p, NpyArray.ofFloats(f, 2, 3), order);
            NpyArray a = NpyReader.read(p);
            assertEquals(NpyType.FLOAT32, a.type());
            assertArrayEquals(new int[] {2, 3}, a.shape());
            assertArrayEquals(f, a.toFloats());
            NpyWriter.write(p, NpyArray.ofDoubles(d, 6), order);
            assertArrayEquals(d, NpyReader.read(p).toDoubles());
            NpyWriter.write(p, NpyArray.ofInts(i, 3, 2), order);
            assertArrayEquals(Arrays.stream(i).asDoubleStream().toArray(), NpyReader.read(p).toDoubles());
            NpyWriter.write(p, NpyArray.ofUnsignedBytes(u, 1, 6), order);
            assertArrayEquals(new double[] {0, 1, 127, 128, 255, 9}, NpyReader.read(p).toDoubles());
        }
    }

    @Test
    void readsWhatNumpyWritesIncludingFortranOrder(@TempDir Path dir) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        // the 2 x 3 matrix [[1, 2, 3], [4, 5, 6]] in column-major order
        for (float v : new float[] {1, 4, 2, 5, 3, 6}) {
            data.putFloat(v);
        }
        Path p = Files.write(dir.resolve("f.npy"), npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", data.array()));
        NpyArray a = NpyReader.read(p);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.toFloats());
        Path s = Files.write(dir.resolve("s.npy"), npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", new byte[8]));
        assertEquals(0, NpyReader.read(s).shape().length);
        assertEquals(1, NpyReader.read(s).size());
    }

    @Test
    void rejectsMalformedFiles(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("bad.npy");
        Files.write(p, npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 4), }", new byte[60]));
        assertTrue(fails(p).contains("truncated: header declares float32 shape [4, 4] (64 data bytes) but the file holds 60"));
        Files.write(p, npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", new byte[12]));
        assertTrue(fails(p).contains("size mismatch"));
        Files.write(p, npy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new byte[16]));
        assertTrue(fails(p).contains("unsupported dtype '<c16'"));
        Files.write(p, npy("{'descr': '<f4', 'shape': (1,), }", new byte[4]));
        assertTrue(fails(p).contains("lacks 'descr', 'fortran_order' or 'shape'"));
        Files.write(p, "not numpy at all".getBytes());
        assertTrue(fails(p).contains("not a .npy file"));
        byte[] b = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
        b[8] = (byte) 0xFF;
        b[9] = (byte) 0x7F;
        Files.write(p, b);
        assertTrue(fails(p).contains("header length 32767 exceeds the file size"));
    }

    @Test
    void datasetsRejectNaNAndInfinityNamingTheFileAndPosition(@TempDir Path dir) {
        Path p = dir.resolve("x.npy");
        float[] v = new float[12];
        v[7] = Float.NaN;
        NpyWriter.write(p, NpyArray.ofFloats(v, 3, 4));
        DataFormatException e = assertThrows(DataFormatException.class, () -> NpyReader.readDataset("x", p, null));
        assertEquals(p + ": non-finite value NaN at row 1, column 3", e.getMessage());
        v[7] = 0;
        NpyWriter.write(p, NpyArray.ofFloats(v, 3, 2, 2));
        Path labels = dir.resolve("y.npy");
        NpyWriter.write(labels, NpyArray.ofInts(new int[] {0, 1, 2}, 3));
        Dataset ds = NpyReader.readDataset("x", p, labels);
        assertArrayEquals(new int[] {2, 2}, ds.sampleShape());
        assertTrue(ds.labels().orElseThrow().isCategorical());
        NpyWriter.write(labels, NpyArray.ofDoubles(new double[] {1.5, Double.POSITIVE_INFINITY, 2}, 3));
        e = assertThrows(DataFormatException.class, () -> NpyReader.readDataset("x", p, labels));
        assertEquals(labels + ": non-finite label Infinity at row 1", e.getMessage());
        NpyWriter.write(labels, NpyArray.ofDoubles(new double[] {1.5, 2.5}, 2));
        e = assertThrows(DataFormatException.class, () -> NpyReader.readDataset("x", p, labels));
        assertTrue(e.getMessage().contains("expected 3 labels"));
        NpyWriter.write(p, NpyArray.ofDoubles(new double[] {1, 1e300}, 1, 2));
        e = assertThrows(DataFormatException.class, () -> NpyReader.readDataset("x", p, null));
        assertTrue(e.getMessage().contains("overflows float32"));
    }
}
