package dev.vae.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vae.models.data.Dataset;
import dev.vae.models.data.NpyReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vae mcmc}, {@code vae free-energy} and {@code vae quickstart} at tiny sizes. */
class PhysicsCommandsTest {
    private static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    @Test
    void mcmcWritesConfigurationsThatVaeTrainReads(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("mc");
        CliRun r = CliRun.of("--backend", "jvm", "mcmc", "--system", "ising:L=4", "--temperatures", "1.5,3.5", "--samples", "30",
                "--thermalise", "20", "--thin", "2", "--no-progress", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("vae train --dataset"), r.out());
        Dataset d = NpyReader.readDataset("ising", out.resolve("configurations.npy"), out.resolve("temperatures.npy"));
        assertEquals(60, d.size());
        assertArrayEquals(new int[] {4, 4}, d.sampleShape());
        assertEquals(1.5, d.labels().orElseThrow().get(0), 0);
        assertEquals(3.5, d.labels().get().get(59), 0);
        JsonObject s = json(out.resolve("summary.json"));
        assertEquals("wolff", s.get("algorithm").getAsString());
        JsonObject low = s.getAsJsonArray("temperatures").get(0).getAsJsonObject();
        assertTrue(low.getAsJsonObject("e").has("exact"));
        assertTrue(low.getAsJsonObject("e").get("ess_per_second").getAsDouble() > 0);
        // the configurations plug into vae train, labelled by temperature
        CliRun t = CliRun.of("--backend", "jvm", "train", "--dataset", out.resolve("configurations.npy").toString(),
                "--data-option", "labels=" + out.resolve("temperatures.npy"), "--hidden", "8", "--latent", "2", "--epochs", "1",
                "--batch-size", "16", "--no-progress", "--out", dir.resolve("vae").toString());
        assertEquals(0, t.status(), t.err());
        assertTrue(Files.exists(dir.resolve("vae").resolve("latent.png")));
    }

    @Test
    void mcmcOnAContinuousSystem(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.of("--backend", "jvm", "mcmc", "--system", "double-well:D=3", "--beta", "1", "--algorithm", "mala",
                "--chains", "4", "--samples", "25", "--thermalise", "20", "--thin", "1", "--no-progress", "--out", dir.toString());
        assertEquals(0, r.status(), r.err());
        Dataset d = NpyReader.readDataset("dw", dir.resolve("configurations.npy"), null);
        assertEquals(100, d.size());
        assertEquals(3, d.dim());
    }

    @Test
    void freeEnergyOnALatticeWritesEveryEstimate(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.of("--backend", "jvm", "free-energy", "--system", "ising:L=3", "--beta", "0.3", "--steps", "30",
                "--batch", "64", "--samples", "2000", "--sample-batch", "1000", "--baseline-steps", "300", "--no-progress",
                "--out", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("importance-sampling F"), r.out());
        assertTrue(r.out().contains("MCMC baseline (wolff)"), r.out());
        JsonObject m = json(dir.resolve("metrics.json"));
        JsonObject est = m.getAsJsonObject("estimates");
        double exact = m.getAsJsonObject("exact").get("F").getAsDouble();
        double is = est.getAsJsonObject("importance_sampling_F").get("value").getAsDouble();
        double err = est.getAsJsonObject("importance_sampling_F").get("error").getAsDouble();
        assertTrue(Math.abs(is - exact) < 5 * err + 1e-3 * Math.abs(exact), is + " ± " + err + " vs " + exact);
        assertTrue(est.getAsJsonObject("ess_per_second").get("generator_imh").getAsDouble() > 0);
        assertTrue(est.getAsJsonObject("ess_per_second").get("mcmc_baseline").getAsDouble() > 0);
        assertTrue(est.getAsJsonObject("reweighted").getAsJsonObject("e").has("exact"));
        for (String png : new String[] {"training.png", "log-weights.png", "samples.png"}) {
            assertTrue(Files.size(dir.resolve(png)) > 1000, png);
        }
    }

    @Test
    void freeEnergyOnAContinuousSystemWithTheDataTerm(@TempDir Path dir) throws IOException {
        Path metrics = dir.resolve("m.json");
        CliRun r = CliRun.of("--backend", "jvm", "free-energy", "--system", "double-well:D=2", "--beta", "1", "--steps", "20",
                "--hidden", "16", "--data-samples", "500", "--samples", "2000", "--sample-batch", "1000", "--baseline-steps", "50",
                "--no-progress", "--metrics-json", metrics.toString(), "--out", dir.toString());
        assertEquals(0, r.status(), r.err());
        JsonObject m = json(metrics);
        assertEquals("latent", m.getAsJsonObject("generator").get("kind").getAsString());
        assertEquals(1.0, m.getAsJsonObject("training").get("data_weight").getAsDouble(), 0);
        assertEquals("mala", m.getAsJsonObject("mcmc_baseline").get("algorithm").getAsString());
        assertTrue(Files.size(dir.resolve("samples.png")) > 1000);
    }

    @Test
    void quickstartAtTinySize(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.of("--backend", "jvm", "quickstart", "--size", "4", "--temperatures", "3", "--per-temperature", "20",
                "--epochs", "1", "--sampler-steps", "10", "--no-progress", "--out", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("Everything is in"), r.out());
        JsonObject s = json(dir.resolve("summary.json"));
        assertTrue(s.has("free_energy_4x4"));
        assertTrue(s.getAsJsonArray("latent_by_temperature").size() == 3);
        for (String f : new String[] {"latent-vs-temperature.png", "latent.png", "configurations.png", "vae-loss.png",
                "mcmc/configurations.npy", "free-energy/metrics.json", "free-energy/training.png"}) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
    }

    @Test
    void badInputGivesOneLine(@TempDir Path dir) {
        CliRun r = CliRun.of("free-energy", "--system", "potts:Q=3", "--beta", "1", "--out", dir.toString());
        assertFalse(r.status() == 0);
        assertTrue(r.err().contains("unknown system 'potts'"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        CliRun m = CliRun.of("mcmc", "--system", "ising:L=4", "--beta", "0.4", "--temperatures", "2", "--out", dir.toString());
        assertFalse(m.status() == 0);
        assertTrue(m.err().contains("exactly one of --beta"), m.err());
        CliRun g = CliRun.of("free-energy", "--system", "gmm", "--beta", "1", "--generator", "made", "--out", dir.toString());
        assertTrue(g.err().contains("needs a spin system"), g.err());
    }
}
