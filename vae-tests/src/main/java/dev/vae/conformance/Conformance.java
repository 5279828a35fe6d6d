package dev.vae.conformance;

import dev.vae.api.Backend;
import dev.vae.api.BackendInfo;
import dev.vae.api.Backends;
import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BackendProvider;
import dev.vae.api.spi.Capability;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ProbeResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The conformance suite run programmatically against one backend: builds the {@link Check}s of
 * each {@link CheckGroup}, runs them, and keeps the {@link Summary}. {@link BackendConformanceSuite}
 * is the JUnit face of this class; use this one directly to run the suite from code (the suite's
 * own tests do, against deliberately broken backends).
 *
 * <p>The float64 reference is the {@value #REFERENCE} backend, found through
 * {@link java.util.ServiceLoader} (it must be on the class path at run time). The backend under
 * test and the reference are created lazily, on the first check, with
 * {@link BackendConfig#defaults()} or the thread count in the system property
 * {@value #THREADS_PROPERTY}.
 */
public final class Conformance implements AutoCloseable {
    /** The name of the reference backend. */
    public static final String REFERENCE = "jvm";
    /** System property with the thread count for the backend under test and the reference. */
    public static final String THREADS_PROPERTY = "vae.conformance.threads";

    private final String name;
    private final Supplier<Kernels> factory;
    private final String unavailableReason;
    private final Summary summary;
    private Env env;
    private AssertionError startFailure;

    private Conformance(String name, Supplier<Kernels> factory, String unavailableReason) {
        this.name = name;
        this.factory = factory;
        this.unavailableReason = unavailableReason;
        this.summary = new Summary(name);
        if (unavailableReason != null) {
            summary.unavailable(unavailableReason);
        }
    }

    /**
     * The suite for the provider registered under {@code providerName}; unavailable (every check
     * skipped, with the reason) if no such provider is on the class path or its probe says so.
     */
    public static Conformance forProvider(String providerName) {
        Objects.requireNonNull(providerName, "providerName");
        List<BackendInfo> found = Backends.discover();
        for (BackendInfo b : found) {
            if (b.name().equals(providerName)) {
                if (!b.available()) {
                    return new Conformance(providerName, null, b.probe().reason());
                }
                BackendProvider p = b.provider();
                return new Conformance(providerName, () -> p.create(config()), null);
            }
        }
        return new Conformance(providerName, null, "no provider named '" + providerName
                + "' is on the class path (" + Backends.summary(found) + ")");
    }

    /** The suite for a provider instance (probed now; unavailable if the probe says so or throws). */
    public static Conformance forProvider(BackendProvider provider) {
        String n = provider.name();
        ProbeResult r;
        try {
            r = provider.probe();
        } catch (Throwable t) {
            r = ProbeResult.unavailable("probe() threw " + t);
        }
        if (r == null || !r.available()) {
            return new Conformance(n, null, r == null ? "probe() returned null" : r.reason());
        }
        return new Conformance(n, () -> provider.create(config()), null);
    }

    /** The suite for kernels made by {@code factory} (called once, on the first check). */
    public static Conformance forKernels(String name, Supplier<Kernels> factory) {
        return new Conformance(name, Objects.requireNonNull(factory, "factory"), null);
    }

    static BackendConfig config() {
        String t = System.getProperty(THREADS_PROPERTY);
        BackendConfig c = BackendConfig.defaults();
        return t == null || t.isBlank() ? c : c.withThreads(Integer.parseInt(t.trim()));
    }

    /** @return the name of the backend under test */
    public String backendName() {
        return name;
    }

    /** @return true if the backend can run here */
    public boolean available() {
        return unavailableReason == null;
    }

    /** @return why the backend cannot run here, or null if it can */
    public String unavailableReason() {
        return unavailableReason;
    }

    /** @return the summary of every check run so far */
    public Summary summary() {
        return summary;
    }

    /**
     * @return the backends under test and reference, created on first use
     * @throws AssertionError if either cannot be created
     */
    synchronized Env env() {
        if (unavailableReason != null) {
            throw new CheckSkipped("backend '" + name + "' is unavailable: " + unavailableReason);
        }
        if (startFailure != null) {
            throw startFailure;
        }
        if (env == null) {
            Backend testee;
            try {
                testee = Backend.of(factory.get());
            } catch (RuntimeException | LinkageError e) {
                startFailure = new AssertionError("backend failed to start: " + e, e);
                throw startFailure;
            }
            Backend reference;
            try {
                reference = Backends.open(REFERENCE, config());
            } catch (RuntimeException e) {
                testee.close();
                startFailure = new AssertionError("the float64 reference backend '" + REFERENCE
                        + "' cannot be opened (is vae-backend-jvm on the run-time class path?): " + e.getMessage(), e);
                throw startFailure;
            }
            env = new Env(name, testee, reference);
            summary.device(testee.description() + "; capabilities " + testee.kernels().capabilities());
        }
        return env;
    }

    /** @return every check of {@code group}, in a stable order */
    public List<Check> checks(CheckGroup group) {
        switch (group) {
            case FORWARD:
                return OpChecks.forward(this);
            case GRADIENTS:
                return OpChecks.gradients(this);
            case FINITE_DIFFERENCES:
                return OpChecks.finiteDifferences(this);
            case FUSED:
                return FusedChecks.create(this);
            case KERNEL_CONTRACTS:
                return ContractChecks.create(this);
            case PHILOX:
                return PhiloxChecks.create(this);
            case MEMORY:
                return MemoryChecks.create(this);
            case ERRORS:
                return ErrorChecks.create(this);
            default:
                return ModelChecks.create(this, group);
        }
    }

    /** Runs one check and records its outcome in the summary. */
    public Outcome execute(Check c) {
        Outcome o;
        long t0 = System.nanoTime();
        try {
            c.body().run();
            o = new Outcome(c, Outcome.Status.PASSED, "", null, System.nanoTime() - t0);
        } catch (CheckSkipped s) {
            o = new Outcome(c, Outcome.Status.SKIPPED, s.getMessage(), s, System.nanoTime() - t0);
        } catch (AssertionError e) {
            o = new Outcome(c, Outcome.Status.FAILED, message(c, e.getMessage()), e, System.nanoTime() - t0);
        } catch (Throwable t) {
            o = new Outcome(c, Outcome.Status.FAILED, message(c, "threw " + t), t, System.nanoTime() - t0);
        }
        summary.record(o);
        return o;
    }

    private String message(Check c, String detail) {
        return "[" + name + "] " + c.subject() + ": " + detail;
    }

    /** Runs every check of the given groups and returns the outcomes in order. */
    public List<Outcome> run(Collection<CheckGroup> groups) {
        return run(groups, c -> true);
    }

    /** Runs the checks of the given groups that {@code filter} accepts. */
    public List<Outcome> run(Collection<CheckGroup> groups, Predicate<Check> filter) {
        List<Outcome> out = new ArrayList<>();
        for (CheckGroup g : groups) {
            for (Check c : checks(g)) {
                if (filter.test(c)) {
                    out.add(execute(c));
                }
            }
        }
        return out;
    }

    /** Closes the backend under test and the reference. */
    @Override
    public synchronized void close() {
        if (env != null) {
            env.close();
            env = null;
        }
    }

    /** The backend under test and the float64 reference. */
    static final class Env {
        final String name;
        final Backend testee;
        final Backend reference;

        Env(String name, Backend testee, Backend reference) {
            this.name = name;
            this.testee = testee;
            this.reference = reference;
        }

        boolean has(Capability c) {
            return testee.supports(c);
        }

        void require(Capability c, String what) {
            if (!has(c)) {
                throw new CheckSkipped("backend '" + name + "' does not declare capability " + c + " (needed by " + what + ")");
            }
        }

        void close() {
            try {
                testee.close();
            } finally {
                reference.close();
            }
        }
    }
}
