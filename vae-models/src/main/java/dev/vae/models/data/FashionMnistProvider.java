package dev.vae.models.data;

import java.nio.file.Path;

/** Fashion-MNIST (60,000 + 10,000 grey-scale 28 × 28 images, 10 classes) as installed by Debian. */
public final class FashionMnistProvider extends IdxDatasetProvider {
    /** Looks in {@code /usr/share/datasets/fashion-mnist} by default. */
    public FashionMnistProvider() {
        super("fashion-mnist", Path.of("/usr/share/datasets/fashion-mnist"),
                "install the Debian package dataset-fashion-mnist or pass the option dir=DIRECTORY");
    }
}
