package dev.vae.cli.output;

import dev.vae.models.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** Writes PNG files atomically (a failed write leaves no partial file). */
public final class Png {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Png() {
    }

    /** Makes sure AWT runs headless (call before any chart or image is created). */
    public static void headless() {
        // the static initialiser does the work
    }

    /** Writes {@code image} to {@code file} as PNG. */
    public static void write(Path file, BufferedImage image) {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }
}
