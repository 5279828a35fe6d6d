package dev.vae.cli.bench;

import dev.vae.api.random.Rng;
import dev.vae.models.data.Dataset;
import dev.vae.models.data.FashionMnistProvider;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The training data a benchmark runs on: the Fashion-MNIST training set when it is installed,
 * else seeded synthetic data of the same shape (uniform pixel values in (0, 1)).
 *
 * @param source      {@code fashion-mnist} or {@code synthetic}
 * @param description one line saying what it is and, for synthetic data, why
 * @param train       the samples, (n, 784)
 */
public record BenchData(String source, String description, Dataset train) {
    /** Name of the real data source. */
    public static final String FASHION_MNIST = "fashion-mnist";
    /** Name of the synthetic data source. */
    public static final String SYNTHETIC = "synthetic";

    /** Which data to use. */
    public enum Choice {
        /** Fashion-MNIST if installed, else synthetic. */
        AUTO,
        /** Fashion-MNIST; an error if it is not installed. */
        FASHION_MNIST,
        /** Synthetic data even if Fashion-MNIST is installed. */
        SYNTHETIC;

        /** @return the label users type: {@code auto}, {@code fashion-mnist}, {@code synthetic} */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * Loads the benchmark's data.
     *
     * @param choice           what to use
     * @param syntheticSamples rows of synthetic data
     * @param dim              features per sample
     * @param seed             seeds the synthetic values
     * @return the data
     * @throws IllegalArgumentException if Fashion-MNIST was demanded and is not installed
     */
    public static BenchData load(Choice choice, int syntheticSamples, int dim, long seed) {
        FashionMnistProvider fashion = new FashionMnistProvider();
        Optional<String> missing = fashion.unavailableReason(Map.of());
        if (choice == Choice.FASHION_MNIST && missing.isPresent()) {
            throw new IllegalArgumentException(missing.get());
        }
        if (choice != Choice.SYNTHETIC && missing.isEmpty()) {
            Dataset train = fashion.load(Map.of()).train();
            return new BenchData(FASHION_MNIST, "Fashion-MNIST training set (" + train.size() + " images, "
                    + train.dim() + " pixels in [0, 1])", train);
        }
        float[] x = new Rng(seed).split(7).uniformFloats(Math.multiplyExact(syntheticSamples, dim));
        Dataset train = Dataset.of(SYNTHETIC, x, syntheticSamples, dim);
        String why = choice == Choice.SYNTHETIC ? "requested" : missing.orElse("");
        return new BenchData(SYNTHETIC, "synthetic: " + syntheticSamples + " seeded uniform samples of " + dim
                + " features (" + why + ")", train);
    }
}
