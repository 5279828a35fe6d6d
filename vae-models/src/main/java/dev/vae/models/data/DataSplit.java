package dev.vae.models.data;

import dev.vae.api.random.Rng;

import java.util.Arrays;
import java.util.Objects;

/**
 * A training set and a held-out test set with the same number of features.
 *
 * @param train the training samples
 * @param test  the test samples
 */
public record DataSplit(Dataset train, Dataset test) {
    /** Checks that both sets exist and have the same number of features. */
    public DataSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (train.dim() != test.dim()) {
            throw new DataFormatException(null, "training set '" + train.name() + "' has " + train.dim()
                    + " features but test set '" + test.name() + "' has " + test.dim());
        }
    }

    /**
     * Splits one data set at random: a fraction goes to the test set, the rest (in shuffled order)
     * to the training set.
     *
     * @param all          the samples
     * @param testFraction in (0, 1)
     * @param rng          drives the shuffle
     */
    public static DataSplit holdOut(Dataset all, double testFraction, Rng rng) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
        }
        int nTest = (int) Math.round(all.size() * testFraction);
        if (nTest < 1 || nTest >= all.size()) {
            throw new IllegalArgumentException("holding out " + testFraction + " of " + all.size()
                    + " samples leaves an empty training or test set");
        }
        int[] p = rng.permutation(all.size());
        Dataset test = all.select(Arrays.copyOfRange(p, 0, nTest)).withName(all.name() + "-test");
        Dataset train = all.select(Arrays.copyOfRange(p, nTest, p.length)).withName(all.name() + "-train");
        return new DataSplit(train, test);
    }
}
