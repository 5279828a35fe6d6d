package dev.vae.cli;

import dev.vae.api.GradMode;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.random.Rng;
import dev.vae.cli.output.Charts;
import dev.vae.cli.output.ImageGrid;
import dev.vae.models.data.Dataset;
import dev.vae.models.vae.Likelihood;
import dev.vae.models.vae.VAE;

import java.nio.file.Path;

/** Draws what a model does: reconstructions beside originals, prior samples, traversals, 2-D codes. */
final class ModelPictures {
    private final VAE model;
    private final int[] tile;
    private final int d;

    ModelPictures(VAE model) {
        this.model = model;
        this.d = model.config().inputDim();
        this.tile = ImageGrid.tileShape(model.config().sampleShape(), d);
    }

    private double[] range(float[] v) {
        if (model.config().likelihood() == Likelihood.BERNOULLI) {
            return new double[] {0, 1};
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return new double[] {lo, hi};
    }

    /** Rows of originals, each followed by a row of their reconstructions. */
    void reconstructions(Path file, Dataset data, int n, int columns) {
        int m = Math.min(n, data.size());
        float[] orig = data.rows(0, m);
        float[] rec;
        try (Scope s = Scope.open(); GradMode.Guard g = GradMode.disable()) {
            rec = model.reconstruct(model.backend().tensor(orig, m, d).cast(model.config().dtype())).toFloats();
        }
        int blocks = (m + columns - 1) / columns;
        float[] grid = new float[2 * blocks * columns * d];
        java.util.Arrays.fill(grid, Float.NaN);
        for (int i = 0; i < m; i++) {
            int b = i / columns;
            int c = i % columns;
            System.arraycopy(orig, i * d, grid, ((2 * b) * columns + c) * d, d);
            System.arraycopy(rec, i * d, grid, ((2 * b + 1) * columns + c) * d, d);
        }
        double[] r = range(orig);
        ImageGrid.write(file, grid, 2 * blocks * columns, d, tile, columns, r[0], r[1]);
    }

    /** Decoder means at latents drawn from the prior. */
    float[] samples(int n, long seed) {
        try (Scope s = Scope.open()) {
            return model.samplePrior(n, new Rng(seed).split(7)).toFloats();
        }
    }

    /** Writes {@code n} prior samples as a grid. */
    void samples(Path file, int n, int columns, long seed) {
        float[] v = samples(n, seed);
        double[] r = range(v);
        ImageGrid.write(file, v, n, d, tile, columns, r[0], r[1]);
    }

    /** One row per latent dimension (at most 16): the decoder along that axis from −3 to 3 through the origin. */
    void traversals(Path file, int steps) {
        int latent = model.config().latentDim();
        int rows = Math.min(latent, 16);
        double[] values = new double[steps];
        for (int i = 0; i < steps; i++) {
            values[i] = -3 + 6.0 * i / (steps - 1);
        }
        float[] all = new float[rows * steps * d];
        try (Scope s = Scope.open()) {
            for (int j = 0; j < rows; j++) {
                float[] t = model.traverse(new double[latent], j, values).toFloats();
                System.arraycopy(t, 0, all, j * steps * d, steps * d);
            }
        }
        double[] r = range(all);
        ImageGrid.write(file, all, rows * steps, d, tile, steps, r[0], r[1]);
    }

    /** For a 2-D latent space: the posterior means of (at most 5000) test examples, coloured by label. */
    void latentScatter(Path file, Dataset test) {
        int m = Math.min(test.size(), 5000);
        double[] codes;
        try (Scope s = Scope.open(); GradMode.Guard g = GradMode.disable()) {
            Tensor x = model.backend().tensor(test.rows(0, m), m, d).cast(model.config().dtype());
            codes = model.encode(x).mu().toDoubles();
        }
        double[] labels = test.labels().map(l -> java.util.Arrays.copyOf(l.values(), m)).orElse(null);
        String name = test.labels().map(l -> l.name()).orElse("");
        Charts.latentScatter(file, codes, labels, name, "posterior means of " + test.name());
    }
}
