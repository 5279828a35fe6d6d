package dev.vae.conformance;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.spi.Capability;

import java.util.ArrayList;
import java.util.List;

/**
 * Invalid input raises a clear exception of the documented kind, the same class as on the
 * reference, whose message names the shapes (or axis, or dtypes) involved, and leaks nothing.
 */
@SuppressWarnings("try") // scopes and grad-mode guards are opened for their effect, not referenced
final class ErrorChecks {
    private ErrorChecks() {
    }

    static List<Check> create(Conformance conf) {
        List<Check> out = new ArrayList<>();
        for (OpInfo op : OpRegistry.all()) {
            for (ErrorInput e : op.errors()) {
                out.add(Check.ofOp(CheckGroup.ERRORS, op.name(), e.description(), () -> check(conf.env(), e, true)));
            }
        }
        for (ErrorInput e : OpRegistry.generalErrors()) {
            out.add(Check.of(CheckGroup.ERRORS, "api", e.description(), () -> check(conf.env(), e, true)));
        }
        out.add(Check.of(CheckGroup.ERRORS, "api", "float64 tensor on a backend without FLOAT64", () -> {
            Conformance.Env env = conf.env();
            if (env.has(Capability.FLOAT64)) {
                throw new CheckSkipped("backend '" + env.name + "' declares FLOAT64, so float64 tensors are valid");
            }
            check(env, ErrorInput.of("float64 tensor without FLOAT64", UnsupportedOperationException.class,
                    b -> b.zeros(DType.FLOAT64, 2), "float64"), false);
        }));
        return out;
    }

    /**
     * @param againstReference whether the reference must raise the same exception class (false for
     *                         errors that depend on a capability the reference has)
     */
    static void check(Conformance.Env env, ErrorInput e, boolean againstReference) {
        if (e.needsFloat64()) {
            env.require(Capability.FLOAT64, "a dtype-mismatch input");
        }
        Throwable got = provoke(env.testee, e);
        if (got == null) {
            throw new AssertionError("no exception; expected " + e.expected().getSimpleName());
        }
        if (!e.expected().isInstance(got)) {
            throw new AssertionError("threw " + got.getClass().getName() + " (" + got.getMessage() + "), expected "
                    + e.expected().getName(), got);
        }
        String msg = String.valueOf(got.getMessage());
        for (String m : e.mentions()) {
            if (!msg.contains(m)) {
                throw new AssertionError("the message \"" + msg + "\" does not name '" + m + "'");
            }
        }
        if (againstReference) {
            Throwable ref = provoke(env.reference, e);
            if (ref == null || ref.getClass() != got.getClass()) {
                throw new AssertionError("threw " + got.getClass().getName() + ", the reference "
                        + (ref == null ? "threw nothing" : "threw " + ref.getClass().getName())
                        + ": the same invalid input must raise the same exception on every backend");
            }
        }
    }

    /** Runs the invalid call in a scope and returns what it threw (null if nothing), checking for leaks. */
    private static Throwable provoke(Backend b, ErrorInput e) {
        long before = b.liveArrays();
        Throwable got = null;
        try (Scope scope = Scope.open()) {
            e.action().run(b);
        } catch (RuntimeException | AssertionError t) {
            got = t;
        }
        long after = b.liveArrays();
        if (after != before) {
            throw new AssertionError("on " + b.name() + ", live arrays went from " + before + " to " + after
                    + " around the failing call: a failed op must not leave arrays behind", got);
        }
        return got;
    }
}
