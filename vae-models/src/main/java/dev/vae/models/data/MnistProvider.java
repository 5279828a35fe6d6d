package dev.vae.models.data;

import java.nio.file.Path;

/** MNIST handwritten digits (60,000 + 10,000 grey-scale 28 × 28 images) in the standard IDX layout. */
public final class MnistProvider extends IdxDatasetProvider {
    /** Looks in {@code /usr/share/datasets/mnist} by default. */
    public MnistProvider() {
        super("mnist", Path.of("/usr/share/datasets/mnist"),
                "download the four IDX files and pass the option dir=DIRECTORY");
    }
}
