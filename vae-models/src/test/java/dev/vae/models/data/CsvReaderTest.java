package dev.vae.models.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvReaderTest {
    private static String fails(Path f, String text) throws IOException {
        Files.writeString(f, text);
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read("x", f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        return e.getMessage();
    }

    @Test
    void readsHeaderCommentsAndLabelColumn(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("d.csv");
        Files.writeString(f, "# spins at temperature T\na,b,T\n1,-1,2.25\n\n-1,1,\"3.5\"\n");
        Dataset d = CsvReader.read("d", f, CsvReader.Options.defaults().withLabelColumn("T"));
        assertEquals(2, d.size());
        assertEquals(2, d.dim());
        assertArrayEquals(new float[] {-1, 1}, d.row(1));
        Labels l = d.labels().orElseThrow();
        assertEquals("T", l.name());
        assertFalse(l.isCategorical());
        assertArrayEquals(new double[] {2.25, 3.5}, l.values());
        Dataset noHeader = CsvReader.read("n", Files.writeString(dir.resolve("n.csv"), "0.5,1\n0.25,0\n"),
                CsvReader.Options.defaults().withLabelColumn("1"));
        assertTrue(noHeader.labels().orElseThrow().isCategorical());
        DataSplit s = Datasets.load(f.toString(), Map.of("label-column", "T", "test", f.toString()));
        assertEquals(2, s.test().size());
    }

    @Test
    void rejectsNaNRaggedRowsAndText(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.csv");
        assertEquals(f + ": line 3, column 2: non-finite value 'NaN'", fails(f, "1,2\n3,4\n5,NaN\n"));
        assertTrue(fails(f, "1,2\n3,inf\n").contains("line 2, column 2: non-finite value 'inf'"));
        assertEquals(f + ": line 2 has 3 fields, expected 2", fails(f, "1,2\n3,4,5\n"));
        assertEquals(f + ": line 3, column 1 (x): 'abc' is not a number", fails(f, "x,y\n1,2\nabc,3\n"));
        assertEquals(f + ": holds no data rows", fails(f, "# nothing\n"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read("x",
                Files.writeString(dir.resolve("h.csv"), "a,b\n1,2\n"), CsvReader.Options.defaults().withLabelColumn("c")));
        assertTrue(e.getMessage().contains("label column 'c' is not in the header"));
    }
}
