package dev.vae.conformance;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.UnaryOp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry covers the whole op set, and every op the kinds of input the suite promises. */
class OpRegistryTest {

    @Test
    void everyUnaryAndBinaryKernelHasAnOp() {
        for (UnaryOp u : UnaryOp.values()) {
            assertNotNull(OpRegistry.get(u.name().toLowerCase(Locale.ROOT)));
        }
        for (BinaryOp b : BinaryOp.values()) {
            String name = b == BinaryOp.MAX ? "maximum" : b == BinaryOp.MIN ? "minimum" : b.name().toLowerCase(Locale.ROOT);
            assertNotNull(OpRegistry.get(name));
        }
        for (String n : new String[] {"where", "sum", "max", "mean", "reduce(kernel)", "matmul", "linear", "reshape", "permute",
            "slice", "concat", "gatherRows", "cast", "broadcastTo", "logSumExp", "bernoulliLogProb", "gaussianKlStdNormal"}) {
            assertNotNull(OpRegistry.get(n));
        }
    }

    @Test
    void everyOpHasZeroSizeNonContiguousAndCheckableSamples() {
        List<String> problems = new ArrayList<>();
        for (OpInfo op : OpRegistry.all()) {
            boolean zero = false;
            boolean view = false;
            boolean fd = false;
            boolean grad = false;
            for (SampleInput s : op.samples()) {
                for (InputSpec in : s.inputs()) {
                    zero |= Shapes.size(in.shape()) == 0;
                    view |= in.layout() != Layout.CONTIGUOUS;
                }
                fd |= s.fd();
                grad |= s.grad();
            }
            if (!zero) {
                problems.add(op.name() + ": no zero-size sample");
            }
            if (!view) {
                problems.add(op.name() + ": no permuted or sliced sample");
            }
            if (op.differentiable() && !grad) {
                problems.add(op.name() + ": differentiable but no gradient sample");
            }
            if (op.differentiable() && !fd && !op.name().equals("cast")) {
                problems.add(op.name() + ": differentiable but no finite-difference sample");
            }
            for (DType dt : DType.values()) {
                assertFalse(op.forwardTol(dt).reason().isBlank(), op.name());
                if (op.differentiable()) {
                    assertFalse(op.gradTol(dt).reason().isBlank(), op.name());
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void samplesAreDeterministic() {
        OpInfo op = OpRegistry.get("softplus");
        SampleInput s = op.samples().get(3);
        double[][] a = Harness.logical(s, Harness.seed(op.name(), 3), DType.FLOAT32);
        double[][] b = Harness.logical(s, Harness.seed(op.name(), 3), DType.FLOAT32);
        assertTrue(java.util.Arrays.deepEquals(a, b));
    }
}
