package dev.vae.cli;

import dev.vae.api.Backend;
import dev.vae.models.data.NpyArray;
import dev.vae.models.data.NpyWriter;
import dev.vae.models.train.TrainingCheckpoint;
import dev.vae.models.vae.VAE;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vae sample}: decoder means at latents drawn from the prior, as an image grid. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw samples from a checkpoint's prior and decode them: a PNG grid, optionally the values as .npy, "
                + "and optionally a grid of latent traversals.")
final class SampleCommand implements Callable<Integer> {
    private final BackendSelector selector;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "a checkpoint written by vae train")
    Path checkpoint;
    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "the image grid to write")
    Path out;
    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "number of samples (default: ${DEFAULT-VALUE})")
    int count = 64;
    @Option(names = "--columns", paramLabel = "N", description = "samples per row (default: ${DEFAULT-VALUE})")
    int columns = 8;
    @Option(names = "--seed", paramLabel = "N", description = "seed of the latent draws (default: ${DEFAULT-VALUE})")
    long seed = 1;
    @Option(names = "--npy", paramLabel = "FILE.npy", description = "also write the sample values, shape (N, features), float32")
    Path npy;
    @Option(names = "--traversals", paramLabel = "FILE.png", description = "also write latent traversals (one row per latent dimension)")
    Path traversals;

    @Inject
    SampleCommand(BackendSelector selector) {
        this.selector = selector;
    }

    @Override
    public Integer call() {
        if (count < 1 || columns < 1) {
            throw new IllegalArgumentException("--count and --columns must be >= 1");
        }
        TrainingCheckpoint.read(checkpoint);
        try (Backend b = selector.open(); VAE model = TrainingCheckpoint.loadModel(checkpoint, b)) {
            ModelPictures p = new ModelPictures(model);
            float[] v = p.samples(count, seed);
            if (npy != null) {
                NpyWriter.write(npy, NpyArray.ofFloats(v, count, model.config().inputDim()));
            }
            p.samples(out, count, columns, seed);
            if (traversals != null) {
                p.traversals(traversals, 11);
            }
            spec.commandLine().getOut().println("wrote " + count + " samples to " + out);
        }
        return 0;
    }
}
