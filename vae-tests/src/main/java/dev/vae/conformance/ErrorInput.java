package dev.vae.conformance;

import dev.vae.api.Backend;

import java.util.List;

/**
 * An invalid use of an op and the exception it must raise, on every backend, before any kernel
 * runs.
 *
 * @param description what is wrong, e.g. {@code add (3, 4) and (2, 4)}
 * @param action performs the invalid call on a backend (inside a scope the check opens)
 * @param expected the exception class (or a superclass of it) that must be thrown
 * @param mentions fragments the message must contain so that a user can find the fault (shapes,
 *                 axis, dtype names)
 * @param needsFloat64 whether the action creates float64 tensors (skipped without that capability)
 */
public record ErrorInput(String description, Action action, Class<? extends Throwable> expected,
                         List<String> mentions, boolean needsFloat64) {
    public ErrorInput {
        mentions = List.copyOf(mentions);
    }

    /** The invalid call. */
    @FunctionalInterface
    public interface Action {
        /** Performs the call that must fail. */
        void run(Backend b);
    }

    /** @return an error input expecting {@code expected}, whose message names each of {@code mentions} */
    public static ErrorInput of(String description, Class<? extends Throwable> expected, Action action, String... mentions) {
        return new ErrorInput(description, action, expected, List.of(mentions), false);
    }

    /** @return this error input, marked as needing float64 */
    public ErrorInput float64() {
        return new ErrorInput(description, action, expected, mentions, true);
    }
}
