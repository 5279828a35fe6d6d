package dev.vae.conformance;

import java.util.Locale;

/**
 * The groups of checks the conformance suite runs. Each is one {@code @TestFactory} of
 * {@link BackendConformanceSuite} and one row of the summary table.
 */
public enum CheckGroup {
    /** every op's forward result against the float64 reference, on every sample input and dtype */
    FORWARD("forward results against the float64 reference"),
    /** every differentiable op's gradient against the reference's gradient */
    GRADIENTS("gradients against the float64 reference"),
    /** every differentiable op's float64 gradient against central finite differences */
    FINITE_DIFFERENCES("float64 gradients against central finite differences"),
    /** the backend's fused kernels against the default compositions of {@code Compositions} */
    FUSED("fused kernels against their default compositions"),
    /** kernel contracts not tied to one op: transfer, fill, in-place assign, views after release */
    KERNEL_CONTRACTS("kernel contracts: transfer, fill, assign, views, input immutability"),
    /** Philox normals and uniforms against the host generator */
    PHILOX("Philox4x32-10 generation against the host reference"),
    /** live backend arrays flat across scoped work */
    MEMORY("live arrays flat across scoped steps"),
    /** invalid input raises the same clear exception as on the reference */
    ERRORS("invalid input raises the documented exception"),
    /** layers (forward and parameter gradients) against the reference */
    LAYERS("layers against the reference"),
    /** distributions (log-probabilities, sampling, KL) against the reference */
    DISTRIBUTIONS("distributions against the reference"),
    /** training objectives against the reference */
    OBJECTIVES("objectives against the reference"),
    /** optimizer steps against the reference */
    OPTIMIZERS("optimizer steps against the reference"),
    /** short end-to-end training runs: loss trajectories against the reference */
    TRAINING("end-to-end training against the reference");

    private final String description;

    CheckGroup(String description) {
        this.description = description;
    }

    /** @return what the group checks, one line */
    public String description() {
        return description;
    }

    /** @return the lower-case, dash-separated label used in test names and the summary table */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
