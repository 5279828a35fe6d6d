package dev.vae.conformance;

import dev.vae.api.Backends;
import dev.vae.api.DType;
import dev.vae.api.spi.AdamHyper;
import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.BackendProvider;
import dev.vae.api.spi.Capability;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ProbeResult;
import dev.vae.api.spi.ReduceOp;
import dev.vae.api.spi.UnaryOp;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The suite has teeth: deliberately broken backends (the jvm kernels with one fault each) fail it
 * with a message that names the op, the input and the error, while the checks the fault does not
 * touch still pass.
 */
class MutantBackendsTest {

    private static Kernels jvm() {
        return Backends.open("jvm").kernels();
    }

    private static List<Outcome> run(Kernels mutant, Set<CheckGroup> groups, Predicate<Check> filter) {
        try (Conformance c = Conformance.forKernels(mutant.name(), () -> mutant)) {
            List<Outcome> out = c.run(groups, filter);
            assertFalse(out.isEmpty(), "no checks selected");
            return out;
        }
    }

    private static Predicate<Check> topics(String... names) {
        Set<String> s = Set.of(names);
        return c -> s.contains(c.topic());
    }

    /** Asserts that some failure message contains every fragment, and returns it. */
    private static String assertCaught(List<Outcome> outcomes, String... fragments) {
        List<String> failures = outcomes.stream().filter(o -> o.status() == Outcome.Status.FAILED).map(Outcome::message)
                .collect(Collectors.toList());
        for (String m : failures) {
            boolean all = true;
            for (String f : fragments) {
                all &= m.contains(f);
            }
            if (all) {
                System.out.println("[mutant caught] " + m);
                return m;
            }
        }
        return fail("no failure message contains all of " + List.of(fragments) + "; failures were:\n  "
                + String.join("\n  ", failures));
    }

    private static void assertAllPassed(List<Outcome> outcomes, Predicate<Check> which) {
        List<String> bad = outcomes.stream().filter(o -> which.test(o.check()) && o.status() == Outcome.Status.FAILED)
                .map(Outcome::message).collect(Collectors.toList());
        assertTrue(bad.isEmpty(), "checks untouched by the fault failed:\n  " + String.join("\n  ", bad));
        assertTrue(outcomes.stream().anyMatch(o -> which.test(o.check()) && o.status() == Outcome.Status.PASSED),
                "no control check ran");
    }

    @Test
    void sumOverAxis0WrongForNonSquareInputs() {
        Kernels mutant = new ForwardingKernels(jvm(), "mutant-sum-axis0") {
            @Override
            public DeviceArray reduce(ReduceOp op, DeviceArray a, int[] axes, boolean keepDims) {
                int[] s = a.shape();
                if (op == ReduceOp.SUM && s.length == 2 && axes.length == 1 && axes[0] == 0 && s[0] != s[1] && s[0] * s[1] > 0) {
                    // the fault: walks down the columns with the row count as the stride
                    double[] v = d.toDoubles(a);
                    double[] out = new double[s[1]];
                    for (int j = 0; j < s[1]; j++) {
                        for (int i = 0; i < s[0]; i++) {
                            out[j] += v[(i * s[0] + j) % v.length];
                        }
                    }
                    return upload(out, keepDims ? new int[] {1, s[1]} : new int[] {s[1]}, a.dtype());
                }
                return d.reduce(op, a, axes, keepDims);
            }
        };
        List<Outcome> out = run(mutant, EnumSet.of(CheckGroup.FORWARD), topics("sum", "exp"));
        String m = assertCaught(out, "[mutant-sum-axis0] op 'sum' axes=[0]", "input (3, 5)", "float32", "max abs err", "at index");
        assertTrue(m.contains("tol"), m);
        assertAllPassed(out, c -> c.topic().equals("exp") || c.name().contains("[square]"));
    }

    @Test
    void naiveSoftplusLosesPrecisionAtLargeMagnitudes() {
        Kernels mutant = new ForwardingKernels(jvm(), "mutant-softplus") {
            @Override
            public DeviceArray unary(UnaryOp op, DeviceArray a) {
                if (op != UnaryOp.SOFTPLUS) {
                    return d.unary(op, a);
                }
                // the fault: log(1 + e^x) evaluated as written, in the array's precision
                double[] v = d.toDoubles(a);
                for (int i = 0; i < v.length; i++) {
                    if (a.dtype() == DType.FLOAT32) {
                        float e = (float) Math.exp((float) v[i]);
                        v[i] = (float) Math.log(1f + e);
                    } else {
                        v[i] = Math.log(1 + Math.exp(v[i]));
                    }
                }
                return upload(v, a.shape(), a.dtype());
            }
        };
        List<Outcome> out = run(mutant, EnumSet.of(CheckGroup.FORWARD), topics("softplus", "sigmoid"));
        assertCaught(out, "[mutant-softplus] op 'softplus'", "[edge]", "float32", "max abs err");
        assertCaught(out, "[mutant-softplus] op 'softplus'", "[edge]", "float64", "max abs err");
        assertAllPassed(out, c -> c.topic().equals("sigmoid"));
    }

    @Test
    void matmulIgnoringTransBForNonSquareOperands() {
        Kernels mutant = new ForwardingKernels(jvm(), "mutant-matmul-transB") {
            @Override
            public DeviceArray matmul(DeviceArray a, DeviceArray b, boolean transA, boolean transB) {
                int[] s = b.shape();
                if (transB && s[0] != s[1]) {
                    // the fault: reads b's storage as if it were already transposed
                    DeviceArray bt = d.reshape(b, new int[] {s[1], s[0]});
                    try {
                        return d.matmul(a, bt, transA, false);
                    } finally {
                        d.release(bt);
                    }
                }
                return d.matmul(a, b, transA, transB);
            }
        };
        List<Outcome> out = run(mutant, EnumSet.of(CheckGroup.FORWARD, CheckGroup.GRADIENTS), topics("matmul", "add"));
        assertCaught(out, "[mutant-matmul-transB] op 'matmul' transA=false transB=true", "non-square", "max abs err");
        assertAllPassed(out, c -> c.topic().equals("add") || (c.group() == CheckGroup.FORWARD && c.name().contains("transB=false")));
    }

    @Test
    void permuteThatLeaksAnArray() {
        Kernels mutant = new ForwardingKernels(jvm(), "mutant-leaky-permute") {
            @Override
            public DeviceArray permute(DeviceArray a, int[] axes) {
                d.full(new int[] {1}, a.dtype(), 0); // the fault: a scratch array never released
                return d.permute(a, axes);
            }
        };
        List<Outcome> out = run(mutant, EnumSet.of(CheckGroup.MEMORY), topics("permute", "exp"));
        assertCaught(out, "[mutant-leaky-permute] op 'permute'", "leaked");
        assertAllPassed(out, c -> c.topic().equals("exp"));
    }

    @Test
    void philoxNormalsFromTheWrongBlock() {
        Kernels mutant = new ForwardingKernels(jvm(), "mutant-philox") {
            @Override
            public DeviceArray philoxNormal(long seed, long stream, long counter, int[] shape, DType dtype) {
                return d.philoxNormal(seed, stream, counter + 1, shape, dtype); // the fault: off by one block
            }
        };
        List<Outcome> out = run(mutant, EnumSet.of(CheckGroup.PHILOX), c -> true);
        assertCaught(out, "[mutant-philox] philox normal: seed=42 stream=0 counter=5 shape (3,) float32", "max abs err");
        assertCaught(out, "[mutant-philox] philox normal: Backend.randn", "max abs err");
        assertAllPassed(out, c -> c.topic().equals("philox uniform"));
    }

    @Test
    void fusedLinearThatDropsTheBiasForSingleRows() {
        Kernels mutant = new ForwardingKernels(jvm(), "mutant-linear") {
            @Override
            public DeviceArray linear(DeviceArray x, DeviceArray w, DeviceArray b) {
                return d.linear(x, w, x.shape()[0] == 1 ? null : b); // the fault
            }
        };
        List<Outcome> out = run(mutant, EnumSet.of(CheckGroup.FUSED), c -> c.topic().startsWith("linear") || c.topic().startsWith("logSumExp"));
        assertCaught(out, "[mutant-linear] fused kernel 'linear' bias=true inputs (1, 1), (1, 1), (1,) [size-1]", "max abs err");
        assertAllPassed(out, c -> c.topic().startsWith("logSumExp") || c.name().contains("bias=false"));
    }

    @Test
    void reluBackwardThatPassesTheGradientAtZero() {
        Kernels mutant = new ForwardingKernels(jvm(), "mutant-relu-backward") {
            @Override
            public DeviceArray reluBackward(DeviceArray x, DeviceArray g) {
                // the fault: x >= 0 instead of x > 0
                DeviceArray mask = d.scalar(BinaryOp.GE, x, 0.0);
                try {
                    return d.binary(BinaryOp.MUL, g, mask);
                } finally {
                    d.release(mask);
                }
            }
        };
        List<Outcome> out = run(mutant, EnumSet.of(CheckGroup.FUSED),
                c -> c.topic().startsWith("reluBackward") || c.topic().startsWith("gaussianKlStdNormal"));
        assertCaught(out, "[mutant-relu-backward] fused kernel 'reluBackward' special values (4, 5) float32");
        assertAllPassed(out, c -> c.topic().startsWith("gaussianKlStdNormal") || c.name().startsWith("rank-0")
                || c.name().startsWith("zero-size"));
    }

    @Test
    void deviceMemoryCountThatIgnoresNewArrays() {
        Kernels mutant = new ForwardingKernels(jvm(), "mutant-device-memory") {
            @Override
            public OptionalLong deviceMemoryInUse() {
                return OptionalLong.of(1 << 20); // the fault: a constant, whatever is allocated
            }
        };
        List<Outcome> out = run(mutant, EnumSet.of(CheckGroup.MEMORY), c -> c.topic().equals("device memory query")
                || c.topic().equals("scoped training"));
        assertCaught(out, "[mutant-device-memory] device memory query", "while a new array of 4194304 bytes was live");
        assertAllPassed(out, c -> c.topic().equals("scoped training"));
    }

    @Test
    void adamStepWithTheWrongEpsilonDerailsTraining() {
        Kernels mutant = new ForwardingKernels(jvm(), "mutant-adam-eps") {
            @Override
            public void adamStep(DeviceArray param, DeviceArray grad, DeviceArray m, DeviceArray v, AdamHyper h) {
                // the fault: a hard-coded epsilon instead of the optimizer's
                d.adamStep(param, grad, m, v, new AdamHyper(h.lr(), h.beta1(), h.beta2(), 1e-4,
                        h.biasCorrection1(), h.biasCorrection2(), h.weightDecay()));
            }
        };
        List<Outcome> out = run(mutant, EnumSet.of(CheckGroup.TRAINING, CheckGroup.OPTIMIZERS),
                c -> c.topic().equals("loss trajectory") || c.topic().startsWith("Adam(") || c.topic().startsWith("SGD("));
        assertCaught(out, "[mutant-adam-eps] loss trajectory: VAE 64-32-4", "float32", "leaves the reference's");
        assertCaught(out, "[mutant-adam-eps] Adam(lr 0.01)", "after 5 steps");
        assertAllPassed(out, c -> c.topic().startsWith("SGD("));
    }

    @Test
    void capabilitiesABackendLacksAreSkippedWithTheReason() {
        Kernels float32Only = new ForwardingKernels(jvm(), "float32-only") {
            @Override
            public Set<Capability> capabilities() {
                return EnumSet.noneOf(Capability.class);
            }
        };
        List<Outcome> out = run(float32Only, EnumSet.of(CheckGroup.FORWARD, CheckGroup.FINITE_DIFFERENCES, CheckGroup.OPTIMIZERS,
                CheckGroup.ERRORS), c -> c.topic().equals("exp") || c.topic().startsWith("Adam(") || c.topic().equals("api"));
        for (Outcome o : out) {
            boolean float64 = o.check().name().endsWith("float64") || o.check().group() == CheckGroup.FINITE_DIFFERENCES;
            boolean inPlace = o.check().group() == CheckGroup.OPTIMIZERS;
            boolean dtypeMix = o.check().name().contains("float64") && o.check().group() == CheckGroup.ERRORS
                    && !o.check().name().contains("without FLOAT64");
            if (inPlace) {
                assertEquals(Outcome.Status.SKIPPED, o.status(), o.check().toString());
                assertTrue(o.message().contains("does not declare capability IN_PLACE"), o.message());
            } else if (float64 || dtypeMix) {
                assertEquals(Outcome.Status.SKIPPED, o.status(), o.check().toString());
                assertTrue(o.message().contains("does not declare capability FLOAT64"), o.message());
            } else {
                assertEquals(Outcome.Status.PASSED, o.status(), o.check() + ": " + o.message());
            }
        }
        assertTrue(out.stream().anyMatch(o -> o.check().name().contains("without FLOAT64") && o.status() == Outcome.Status.PASSED),
                "a float64 tensor on a backend without FLOAT64 must raise UnsupportedOperationException");
    }

    @Test
    void anUnavailableBackendIsSkippedWithItsReason() throws Exception {
        Conformance missing = Conformance.forProvider("no-such-backend");
        assertFalse(missing.available());
        assertTrue(missing.unavailableReason().contains("no provider named 'no-such-backend'"), missing.unavailableReason());

        BackendProvider unicorn = new BackendProvider() {
            @Override
            public String name() {
                return "unicorn";
            }

            @Override
            public int priority() {
                return 0;
            }

            @Override
            public ProbeResult probe() {
                return ProbeResult.unavailable("no unicorn device found");
            }

            @Override
            public Kernels create(BackendConfig config) {
                throw new IllegalStateException("unavailable");
            }
        };
        Path dir = Files.createTempDirectory("conformance");
        String old = System.getProperty(Summary.DIR_PROPERTY);
        System.setProperty(Summary.DIR_PROPERTY, dir.toString());
        try (Conformance c = Conformance.forProvider(unicorn)) {
            assertFalse(c.available());
            List<Outcome> out = c.run(EnumSet.of(CheckGroup.FORWARD), x -> x.topic().equals("exp"));
            assertTrue(out.stream().allMatch(o -> o.status() == Outcome.Status.SKIPPED
                    && o.message().contains("no unicorn device found")));
            Path f = c.summary().publish();
            assertEquals(dir.resolve("conformance-unicorn.txt"), f);
            String text = Files.readString(f, StandardCharsets.UTF_8);
            assertTrue(text.contains("UNAVAILABLE") && text.contains("no unicorn device found"), text);
        } finally {
            if (old == null) {
                System.clearProperty(Summary.DIR_PROPERTY);
            } else {
                System.setProperty(Summary.DIR_PROPERTY, old);
            }
        }
    }
}
