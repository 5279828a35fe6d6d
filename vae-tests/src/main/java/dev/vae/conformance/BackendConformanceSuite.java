package dev.vae.conformance;

import dev.vae.api.spi.BackendProvider;
import dev.vae.api.spi.Kernels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The conformance suite as JUnit 5 tests. A backend proves itself with one test class:
 * <pre>{@code
 * class MyBackendConformanceTest extends BackendConformanceSuite {
 *     MyBackendConformanceTest() {
 *         super("mybackend");   // the name its BackendProvider registers
 *     }
 * }
 * }</pre>
 * Each check group is a {@link TestFactory} whose dynamic tests are grouped by op (or topic) and
 * named by input and dtype. When the backend is unavailable on this machine every group is
 * one skipped test carrying the probe's reason, which is also printed; checks needing a capability the backend
 * does not declare are skipped with that reason. After the last group the summary table
 * (passed / failed / skipped per group) is printed and written to
 * {@code target/conformance-<backend>.txt}.
 *
 * <p>The float64 reference (the {@code jvm} backend) must be on the test run-time class path; it
 * is a run-time dependency of {@code vae-tests}, so depending on {@code vae-tests} brings it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendConformanceSuite {
    private final Conformance conformance;
    private boolean announced;

    /** The suite for the backend registered under {@code providerName} (found with ServiceLoader). */
    protected BackendConformanceSuite(String providerName) {
        this.conformance = Conformance.forProvider(providerName);
    }

    /** The suite for a provider instance (which need not be registered as a service). */
    protected BackendConformanceSuite(BackendProvider provider) {
        this.conformance = Conformance.forProvider(provider);
    }

    /** The suite for kernels made by {@code factory}, reported under {@code name}. */
    protected BackendConformanceSuite(String name, Supplier<Kernels> factory) {
        this.conformance = Conformance.forKernels(name, factory);
    }

    /** @return the programmatic suite behind these tests */
    protected final Conformance conformance() {
        return conformance;
    }

    /** Forward results of every op against the float64 reference. */
    @TestFactory
    @DisplayName("forward")
    Stream<DynamicNode> forward() {
        return group(CheckGroup.FORWARD);
    }

    /** Gradients of every differentiable op against the reference. */
    @TestFactory
    @DisplayName("gradients")
    Stream<DynamicNode> gradients() {
        return group(CheckGroup.GRADIENTS);
    }

    /** float64 gradients against central finite differences. */
    @TestFactory
    @DisplayName("finite-differences")
    Stream<DynamicNode> finiteDifferences() {
        return group(CheckGroup.FINITE_DIFFERENCES);
    }

    /** Fused kernels against their default compositions. */
    @TestFactory
    @DisplayName("fused")
    Stream<DynamicNode> fused() {
        return group(CheckGroup.FUSED);
    }

    /** Kernel contracts: transfer, fill, assign, views, live-array accounting. */
    @TestFactory
    @DisplayName("kernel-contracts")
    Stream<DynamicNode> kernelContracts() {
        return group(CheckGroup.KERNEL_CONTRACTS);
    }

    /** Philox generation against the host generator. */
    @TestFactory
    @DisplayName("philox")
    Stream<DynamicNode> philox() {
        return group(CheckGroup.PHILOX);
    }

    /** Live arrays flat across scoped work. */
    @TestFactory
    @DisplayName("memory")
    Stream<DynamicNode> memory() {
        return group(CheckGroup.MEMORY);
    }

    /** Invalid input raises the documented exception. */
    @TestFactory
    @DisplayName("errors")
    Stream<DynamicNode> errors() {
        return group(CheckGroup.ERRORS);
    }

    /** Layers against the reference. */
    @TestFactory
    @DisplayName("layers")
    Stream<DynamicNode> layers() {
        return group(CheckGroup.LAYERS);
    }

    /** Distributions against the reference. */
    @TestFactory
    @DisplayName("distributions")
    Stream<DynamicNode> distributions() {
        return group(CheckGroup.DISTRIBUTIONS);
    }

    /** Objectives against the reference. */
    @TestFactory
    @DisplayName("objectives")
    Stream<DynamicNode> objectives() {
        return group(CheckGroup.OBJECTIVES);
    }

    /** Optimizer steps against the reference. */
    @TestFactory
    @DisplayName("optimizers")
    Stream<DynamicNode> optimizers() {
        return group(CheckGroup.OPTIMIZERS);
    }

    /** End-to-end training runs against the reference. */
    @TestFactory
    @DisplayName("training")
    Stream<DynamicNode> training() {
        return group(CheckGroup.TRAINING);
    }

    /** Prints the summary table and writes it under {@code target/}; closes the backends. */
    @AfterAll
    void publishSummary() {
        try {
            conformance.summary().publish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the conformance summary", e);
        } finally {
            conformance.close();
        }
    }

    private Stream<DynamicNode> group(CheckGroup g) {
        if (!conformance.available()) {
            if (!announced) {
                announced = true;
                System.out.println("[conformance] backend '" + conformance.backendName() + "' is unavailable here, "
                        + "every check is skipped: " + conformance.unavailableReason());
            }
            String reason = "backend '" + conformance.backendName() + "' is unavailable: " + conformance.unavailableReason();
            Check skipAll = Check.of(g, "unavailable", "all " + g.label() + " checks", () -> {
                throw new CheckSkipped(reason);
            });
            return Stream.of(DynamicTest.dynamicTest(skipAll.name(), () -> run(skipAll)));
        }
        Map<String, List<DynamicNode>> byTopic = new LinkedHashMap<>();
        for (Check c : conformance.checks(g)) {
            byTopic.computeIfAbsent(c.topic(), t -> new ArrayList<>()).add(DynamicTest.dynamicTest(c.name(), () -> run(c)));
        }
        List<DynamicNode> nodes = new ArrayList<>();
        byTopic.forEach((topic, tests) -> nodes.add(DynamicContainer.dynamicContainer(topic, tests)));
        return nodes.stream();
    }

    private void run(Check c) {
        Outcome o = conformance.execute(c);
        switch (o.status()) {
            case FAILED:
                throw new AssertionError(o.message(), o.error());
            case SKIPPED:
                Assumptions.abort(o.message());
                break;
            default:
                break;
        }
    }
}
