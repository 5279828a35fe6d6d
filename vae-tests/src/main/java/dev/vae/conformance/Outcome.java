package dev.vae.conformance;

/**
 * The result of running one {@link Check}.
 *
 * @param check the check
 * @param status passed, failed or skipped
 * @param message the failure message (backend, op, input, largest error) or the skip reason;
 *                empty when passed
 * @param error the original failure, or null
 * @param nanos how long the check ran
 */
public record Outcome(Check check, Status status, String message, Throwable error, long nanos) {
    /** How a check ended. */
    public enum Status {
        /** the backend conforms on this check */
        PASSED,
        /** the backend does not conform; the message says where */
        FAILED,
        /** the check does not apply; the message says why */
        SKIPPED
    }
}
