package dev.vae.conformance;

/**
 * Thrown by a check that does not apply to the backend under test; the message is the reason,
 * printed in the test report and counted in the summary table (never a silent pass).
 */
public final class CheckSkipped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param reason why the check does not apply, e.g. "backend 'x' does not declare FLOAT64" */
    public CheckSkipped(String reason) {
        super(reason, null, false, false);
    }
}
