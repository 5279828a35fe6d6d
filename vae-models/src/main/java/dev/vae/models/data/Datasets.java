package dev.vae.models.data;

import dev.vae.api.random.Rng;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds data sets by name or path.
 *
 * <p>A spec is either a provider name ({@code fashion-mnist}, see {@link #providers()}) or a path:
 * a directory in the MNIST IDX layout, an {@code .npy} file or a {@code .csv} file. For a single
 * file, options name a separate test file ({@code test}), label files ({@code labels},
 * {@code test-labels}, {@code .npy} only), a label column ({@code label-column}, CSV only), or
 * else a random fraction is held out ({@code test-fraction}, default 0.1, shuffled with
 * {@code seed}, default 0).
 */
public final class Datasets {
    private Datasets() {
    }

    /** @return every registered provider, in class-path order */
    public static List<DatasetProvider> providers() {
        List<DatasetProvider> out = new ArrayList<>();
        var it = ServiceLoader.load(DatasetProvider.class, Datasets.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                out.add(it.next());
            } catch (ServiceConfigurationError e) {
                // a broken provider must not hide the others
            }
        }
        return out;
    }

    /**
     * @param spec    a provider name or a path
     * @param options provider or file options
     * @return the training and test sets
     * @throws DataFormatException if nothing matches the spec or the data are malformed
     */
    public static DataSplit load(String spec, Map<String, String> options) {
        String key = spec.trim().toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        for (DatasetProvider p : providers()) {
            if (p.name().equals(key)) {
                return p.load(options);
            }
            names.add(p.name());
        }
        Path path = Path.of(spec);
        if (Files.isDirectory(path)) {
            return IdxDatasetProvider.loadDirectory(path.getFileName().toString(), path);
        }
        if (!Files.exists(path)) {
            throw new DataFormatException(path, "is neither a known data set (" + String.join(", ", names)
                    + ") nor an existing file or directory");
        }
        Dataset train = loadFile(path, options.get("labels"), options);
        String test = options.get("test");
        if (test != null) {
            return new DataSplit(train, loadFile(Path.of(test), options.get("test-labels"), options));
        }
        double fraction = Double.parseDouble(options.getOrDefault("test-fraction", "0.1"));
        long seed = Long.parseLong(options.getOrDefault("seed", "0"));
        return DataSplit.holdOut(train, fraction, new Rng(seed).split(0x5eed));
    }

    private static Dataset loadFile(Path file, String labels, Map<String, String> options) {
        String n = file.getFileName().toString();
        String base = n.contains(".") ? n.substring(0, n.lastIndexOf('.')) : n;
        String lower = n.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".npy")) {
            return NpyReader.readDataset(base, file, labels == null ? null : Path.of(labels));
        }
        if (lower.endsWith(".csv")) {
            return CsvReader.read(base, file, CsvReader.Options.defaults().withLabelColumn(options.get("label-column")));
        }
        if (lower.contains("idx") || lower.endsWith("ubyte") || lower.endsWith("ubyte.gz")) {
            return IdxReader.readImages(base, file, labels == null ? null : Path.of(labels));
        }
        throw new DataFormatException(file, "unknown data file type (expected .npy, .csv or an IDX file)");
    }
}
