package dev.vae.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vae train}, {@code eval}, {@code sample} and {@code reconstruct} on a tiny IDX data set. */
class TrainingCommandsTest {
    private static byte[] idx(int[] shape, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) shape.length);
        for (int s : shape) {
            b.putInt(s);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(b.put(data).array());
        }
        return out.toByteArray();
    }

    /** Tiny 6 × 6 images: a bright bar whose position is the label. */
    private static Path dataset(Path dir, int nTrain, int nTest) throws IOException {
        Path d = Files.createDirectories(dir.resolve("bars"));
        for (String[] part : new String[][] {{"train", String.valueOf(nTrain)}, {"t10k", String.valueOf(nTest)}}) {
            int n = Integer.parseInt(part[1]);
            byte[] px = new byte[n * 36];
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                int bar = (i * 7 + part[0].length()) % 6;
                labels[i] = (byte) bar;
                for (int r = 0; r < 6; r++) {
                    px[i * 36 + r * 6 + bar] = (byte) (200 + (i % 5) * 10);
                    px[i * 36 + r * 6 + (bar + 1) % 6] = (byte) (i % 3 * 40);
                }
            }
            Files.write(d.resolve(part[0] + "-images-idx3-ubyte.gz"), idx(new int[] {n, 6, 6}, px));
            Files.write(d.resolve(part[0] + "-labels-idx1-ubyte.gz"), idx(new int[] {n}, labels));
        }
        return d;
    }

    private static void oneLineError(CliRun r, String expected) {
        assertEquals(1, r.status(), r.out() + r.err());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("vae: "), r.err());
        assertTrue(lines.get(0).contains(expected), r.err());
    }

    private static BufferedImage png(Path p) throws IOException {
        BufferedImage img = ImageIO.read(p.toFile());
        assertNotNull(img, p + " is not a readable PNG");
        return img;
    }

    @Test
    void trainEvalSampleReconstruct(@TempDir Path dir) throws IOException {
        Path data = dataset(dir, 240, 60);
        Path out = dir.resolve("run");
        Path metrics = dir.resolve("metrics.jsonl");
        CliRun r = CliRun.of("--backend", "jvm", "train", "--dataset", data.toString(), "--hidden", "16", "--latent", "2",
                "--epochs", "2", "--batch-size", "32", "--out", out.toString(), "--metrics-json", metrics.toString(),
                "--no-progress", "--iwae-k", "5", "--iwae-n", "20");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("training completed: 2 epochs, 16 steps"), r.out());
        assertTrue(r.out().contains("IWAE k=5 on 20 test examples"), r.out());
        for (String f : new String[] {"model.safetensors", "loss.png", "reconstructions.png", "samples.png", "traversals.png", "latent.png"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " in " + Arrays.toString(out.toFile().list()));
        }
        png(out.resolve("latent.png"));
        BufferedImage grid = png(out.resolve("reconstructions.png"));
        // 8 tiles of 6 pixels plus borders per row, magnified 8 times (the largest factor); 32 examples: 4 rows of originals, 4 of reconstructions
        assertEquals((8 * 7 + 1) * 8, grid.getWidth());
        assertEquals((8 * 7 + 1) * 8, grid.getHeight());
        List<String> lines = Files.readAllLines(metrics);
        assertEquals(2, lines.size());
        JsonObject e2 = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        for (String k : new String[] {"epoch", "train_loss", "train_reconstruction", "train_kl", "test_loss", "test_reconstruction",
                "test_kl", "seconds", "samples_per_second", "backend"}) {
            assertTrue(e2.has(k), k + " in " + e2);
        }
        assertEquals(2, e2.get("epoch").getAsInt());
        assertEquals("jvm", e2.get("backend").getAsString());

        Path ckpt = out.resolve("model.safetensors");
        Path evalJson = dir.resolve("eval.json");
        CliRun e = CliRun.of("--backend", "jvm", "eval", "--checkpoint", ckpt.toString(), "--dataset", data.toString(),
                "--iwae-k", "20", "--iwae-n", "30", "--metrics-json", evalJson.toString());
        assertEquals(0, e.status(), e.err());
        assertTrue(e.out().contains("IWAE k=20 on 30 examples"), e.out());
        JsonObject ej = JsonParser.parseString(Files.readString(evalJson)).getAsJsonObject();
        assertTrue(ej.get("iwae_neg_log_likelihood").getAsDouble() <= ej.get("iwae_neg_elbo").getAsDouble());

        Path samples = dir.resolve("s.png");
        Path npy = dir.resolve("s.npy");
        CliRun s = CliRun.of("--backend", "jvm", "sample", "--checkpoint", ckpt.toString(), "--out", samples.toString(),
                "-n", "12", "--columns", "4", "--npy", npy.toString(), "--traversals", dir.resolve("t.png").toString());
        assertEquals(0, s.status(), s.err());
        png(samples);
        png(dir.resolve("t.png"));
        assertEquals(12 * 36, dev.vae.models.data.NpyReader.read(npy).size());

        Path rec = dir.resolve("rec.png");
        CliRun c = CliRun.of("--backend", "jvm", "reconstruct", "--checkpoint", ckpt.toString(), "--dataset", data.toString(),
                "--out", rec.toString(), "-n", "8", "--latent-plot", dir.resolve("z.png").toString());
        assertEquals(0, c.status(), c.err());
        png(rec);
        png(dir.resolve("z.png"));

        // resume the finished run for one more epoch
        CliRun more = CliRun.of("--backend", "jvm", "train", "--dataset", data.toString(), "--resume", ckpt.toString(),
                "--epochs", "3", "--out", out.toString(), "--no-progress", "--no-plots");
        assertEquals(0, more.status(), more.err());
        assertTrue(more.out().contains("training completed: 3 epochs, 24 steps"), more.out());
    }

    @Test
    void badInputGivesOneLineAndNoOutput(@TempDir Path dir) throws IOException {
        Path data = dataset(dir, 40, 10);
        Path out = dir.resolve("out");
        oneLineError(CliRun.of("--backend", "jvm", "train", "--dataset", dir.resolve("nope").toString(), "--out", out.toString()),
                "is neither a known data set");
        Path img = data.resolve("train-images-idx3-ubyte.gz");
        byte[] good = Files.readAllBytes(img);
        Files.write(img, Arrays.copyOf(good, good.length - 20));
        oneLineError(CliRun.of("--backend", "jvm", "train", "--dataset", data.toString(), "--out", out.toString()), "truncated");
        Files.write(img, good);
        oneLineError(CliRun.of("--backend", "jvm", "train", "--dataset", data.toString(), "--out", out.toString(), "--scale", "2"),
                "the Bernoulli likelihood needs features in [0, 1]");
        oneLineError(CliRun.of("--backend", "jvm", "train", "--dataset", data.toString(), "--out", out.toString(),
                "--lr-schedule", "linear"), "invalid learning-rate schedule 'linear'");
        assertFalse(Files.exists(out), "nothing is written for bad input");
        Path bad = Files.write(dir.resolve("bad.safetensors"), new byte[] {5, 0, 0, 0, 0, 0, 0, 0, '{', '"', 'x', '"', ':'});
        oneLineError(CliRun.of("--backend", "jvm", "eval", "--checkpoint", bad.toString(), "--dataset", data.toString()),
                bad + ": header is not valid JSON");
        Path png = dir.resolve("s.png");
        oneLineError(CliRun.of("--backend", "jvm", "sample", "--checkpoint", bad.toString(), "--out", png.toString()), bad.toString());
        assertFalse(Files.exists(png));
        oneLineError(CliRun.of("--backend", "no-such", "train", "--dataset", data.toString(), "--out", out.toString(), "--epochs", "1"),
                "unknown backend 'no-such'");
    }
}
