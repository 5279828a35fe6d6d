package dev.vae.models.io;

import dev.vae.api.nn.HostArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of a safetensors file: named tensors (in file order) and the string-to-string
 * {@code __metadata__} map.
 *
 * @param tensors  name to values, in the order they are stored
 * @param metadata the header's metadata (empty if none)
 */
public record SafetensorsFile(Map<String, HostArray> tensors, Map<String, String> metadata) {
    /** Copies both maps into unmodifiable, order-preserving ones. */
    public SafetensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
