package dev.vae.cli;

import dev.vae.api.Backend;
import dev.vae.models.data.DataSplit;
import dev.vae.models.train.TrainingCheckpoint;
import dev.vae.models.vae.VAE;
import dev.vae.models.vae.VaeConfig;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vae reconstruct}: test examples beside their reconstructions. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Reconstruct the first test examples with a checkpoint: a PNG grid with each row of originals "
                + "followed by a row of their reconstructions (decoder mean at the posterior mean); for a 2-D latent "
                + "space optionally a scatter of the test encodings coloured by label.")
final class ReconstructCommand implements Callable<Integer> {
    private final BackendSelector selector;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "a checkpoint written by vae train")
    Path checkpoint;
    @Mixin
    DataOptions data = new DataOptions();
    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "the image grid to write")
    Path out;
    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "number of test examples (default: ${DEFAULT-VALUE})")
    int count = 32;
    @Option(names = "--columns", paramLabel = "N", description = "examples per row (default: ${DEFAULT-VALUE})")
    int columns = 8;
    @Option(names = "--latent-plot", paramLabel = "FILE.png", description = "for a 2-D latent space: scatter of the test encodings")
    Path latentPlot;

    @Inject
    ReconstructCommand(BackendSelector selector) {
        this.selector = selector;
    }

    @Override
    public Integer call() {
        if (count < 1 || columns < 1) {
            throw new IllegalArgumentException("--count and --columns must be >= 1");
        }
        VaeConfig c = TrainingCheckpoint.read(checkpoint).model();
        if (latentPlot != null && c.latentDim() != 2) {
            throw new IllegalArgumentException("--latent-plot needs a 2-D latent space; the model in " + checkpoint + " has " + c.latentDim());
        }
        DataSplit split = data.load();
        if (split.test().dim() != c.inputDim()) {
            throw new IllegalArgumentException("the model in " + checkpoint + " takes " + c.inputDim() + " features but "
                    + split.test().name() + " has " + split.test().dim());
        }
        try (Backend b = selector.open(); VAE model = TrainingCheckpoint.loadModel(checkpoint, b)) {
            ModelPictures p = new ModelPictures(model);
            p.reconstructions(out, split.test(), count, columns);
            if (latentPlot != null) {
                p.latentScatter(latentPlot, split.test());
            }
            spec.commandLine().getOut().println("wrote " + Math.min(count, split.test().size()) + " reconstructions to " + out);
        }
        return 0;
    }
}
