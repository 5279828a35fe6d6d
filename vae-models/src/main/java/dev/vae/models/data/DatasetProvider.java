package dev.vae.models.data;

import java.util.Map;
import java.util.Optional;

/**
 * A named source of a training and a test set ({@code fashion-mnist}, later {@code ising}, ...),
 * found by {@link Datasets} through {@link java.util.ServiceLoader} (register implementations in
 * {@code META-INF/services/dev.vae.models.data.DatasetProvider}). Options are free-form strings
 * the provider documents (a data directory, a lattice size, a sample count).
 */
public interface DatasetProvider {
    /** @return the name users type ({@code fashion-mnist}); lower case, no spaces */
    String name();

    /** @return one line describing the data and its options */
    String description();

    /**
     * @param options provider options
     * @return empty if {@link #load} would find its data, else why not (and how to fix it)
     */
    Optional<String> unavailableReason(Map<String, String> options);

    /**
     * @param options provider options
     * @return the training and test sets
     * @throws DataFormatException if the data are missing or malformed
     */
    DataSplit load(Map<String, String> options);
}
