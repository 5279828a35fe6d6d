package dev.vae.conformance;

import java.util.List;

/**
 * Checks of layers, distributions, objectives, optimizers and end-to-end training against the
 * reference.
 */
final class ModelChecks {
    private ModelChecks() {
    }

    static List<Check> create(Conformance conf, CheckGroup group) {
        return List.of();
    }
}
