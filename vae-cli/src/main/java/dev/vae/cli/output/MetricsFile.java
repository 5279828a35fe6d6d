package dev.vae.cli.output;

import com.google.gson.JsonObject;
import dev.vae.models.io.AtomicFiles;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --metrics-json} file: one JSON object per line (JSON Lines), one line per epoch,
 * rewritten atomically after every epoch so that it is always complete.
 */
public final class MetricsFile {
    private final Path file;
    private final List<String> lines = new ArrayList<>();

    /** @param file where to write */
    public MetricsFile(Path file) {
        this.file = file;
    }

    /** Appends one object and rewrites the file. */
    public void append(JsonObject record) {
        lines.add(record.toString());
        String text = String.join("\n", lines) + "\n";
        AtomicFiles.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
