package dev.vae.cli.output;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * Draws samples as a grid of grey-scale tiles (one sample per tile, row-major), separated by a
 * one-pixel border and magnified by an integer factor. Samples of an image shape (h, w) become
 * h × w tiles; flat vectors become the most square tile that holds them.
 */
public final class ImageGrid {
    private ImageGrid() {
    }

    /** @return the tile shape (height, width) for samples of {@code sampleShape} with d features */
    public static int[] tileShape(int[] sampleShape, int d) {
        if (sampleShape.length >= 2) {
            int w = sampleShape[sampleShape.length - 1];
            return new int[] {d / w, w};
        }
        int s = (int) Math.round(Math.sqrt(d));
        if (s * s == d) {
            return new int[] {s, s};
        }
        return new int[] {1, d};
    }

    /**
     * @param values     n × d values, row-major; values are clamped to [lo, hi]
     * @param n          number of samples
     * @param d          features per sample
     * @param tile       tile shape (height × width = d)
     * @param columns    tiles per row
     * @param lo         value drawn black
     * @param hi         value drawn white
     * @param scale      magnification
     * @return the grid image
     */
    public static BufferedImage draw(float[] values, int n, int d, int[] tile, int columns, double lo, double hi, int scale) {
        int th = tile[0];
        int tw = tile[1];
        int rows = (n + columns - 1) / columns;
        int width = (columns * (tw + 1) + 1) * scale;
        int height = (rows * (th + 1) + 1) * scale;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int border = 0x404040;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, border);
            }
        }
        double range = hi > lo ? hi - lo : 1;
        for (int i = 0; i < n; i++) {
            int ox = (i % columns) * (tw + 1) + 1;
            int oy = (i / columns) * (th + 1) + 1;
            for (int p = 0; p < d; p++) {
                double v = (values[i * d + p] - lo) / range;
                int g = (int) Math.round(255 * Math.max(0, Math.min(1, Double.isNaN(v) ? 0 : v)));
                int rgb = (g << 16) | (g << 8) | g;
                int px = (ox + p % tw) * scale;
                int py = (oy + p / tw) * scale;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(px + dx, py + dy, rgb);
                    }
                }
            }
        }
        return img;
    }

    /** @return a magnification that makes tiles about 56 pixels tall (at least 1, at most 8) */
    public static int scaleFor(int[] tile) {
        return Math.max(1, Math.min(8, 56 / Math.max(1, tile[0])));
    }

    /** Draws and writes a grid; see {@link #draw}. */
    public static void write(Path file, float[] values, int n, int d, int[] tile, int columns, double lo, double hi) {
        Png.write(file, draw(values, n, d, tile, columns, lo, hi, scaleFor(tile)));
    }
}
