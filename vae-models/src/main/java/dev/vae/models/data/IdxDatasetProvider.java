package dev.vae.models.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A data set in the MNIST directory layout: {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and
 * {@code t10k-labels-idx1-ubyte}, each optionally {@code .gz} (the original downloads' dotted
 * names {@code train-images.idx3-ubyte} are accepted too). Pixels are scaled to [0, 1]. Option
 * {@code dir} overrides the default directory.
 */
public class IdxDatasetProvider implements DatasetProvider {
    private final String name;
    private final Path defaultDir;
    private final String hint;

    /**
     * @param name       the data set's name
     * @param defaultDir where the files are looked for without a {@code dir} option
     * @param hint       how to obtain the files (shown when they are missing)
     */
    protected IdxDatasetProvider(String name, Path defaultDir, String hint) {
        this.name = name;
        this.defaultDir = defaultDir;
        this.hint = hint;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return name + ": IDX images and labels from " + defaultDir + " (option dir=DIRECTORY)";
    }

    private Path dir(Map<String, String> options) {
        String d = options.get("dir");
        return d == null || d.isBlank() ? defaultDir : Path.of(d);
    }

    /**
     * @return the file for {@code part} ({@code train-images}) and {@code kind} ({@code idx3-ubyte})
     *         in {@code dir}, or null if no variant exists
     */
    static Path find(Path dir, String part, String kind) {
        for (String sep : new String[] {"-", "."}) {
            for (String ext : new String[] {".gz", ""}) {
                Path p = dir.resolve(part + sep + kind + ext);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    @Override
    public Optional<String> unavailableReason(Map<String, String> options) {
        Path d = dir(options);
        for (String[] f : new String[][] {{"train-images", "idx3-ubyte"}, {"t10k-images", "idx3-ubyte"}}) {
            if (find(d, f[0], f[1]) == null) {
                return Optional.of(name + ": " + f[0] + "-" + f[1] + "[.gz] not found in " + d + " (" + hint + ")");
            }
        }
        return Optional.empty();
    }

    @Override
    public DataSplit load(Map<String, String> options) {
        Optional<String> why = unavailableReason(options);
        if (why.isPresent()) {
            throw new DataFormatException(dir(options), why.get());
        }
        return loadDirectory(name, dir(options));
    }

    /**
     * Loads the four files of an MNIST-layout directory (labels optional).
     *
     * @throws DataFormatException if image files are missing or any file is malformed
     */
    public static DataSplit loadDirectory(String name, Path dir) {
        Path trainImages = find(dir, "train-images", "idx3-ubyte");
        Path testImages = find(dir, "t10k-images", "idx3-ubyte");
        if (trainImages == null || testImages == null) {
            throw new DataFormatException(dir, "expected train-images-idx3-ubyte[.gz] and t10k-images-idx3-ubyte[.gz] in this directory");
        }
        Dataset train = IdxReader.readImages(name + "-train", trainImages, find(dir, "train-labels", "idx1-ubyte"));
        Dataset test = IdxReader.readImages(name + "-test", testImages, find(dir, "t10k-labels", "idx1-ubyte"));
        return new DataSplit(train, test);
    }
}
