package dev.vae.conformance;

import dev.vae.api.Shapes;
import dev.vae.api.random.Rng;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One sample of an {@link OpInfo}: the inputs (shapes, values, layouts), the non-tensor
 * arguments, a tag saying what the sample exercises, and which checks it takes part in.
 *
 * @param inputs the tensor inputs, in the order the op takes them
 * @param args axes, flags and other non-tensor arguments
 * @param tag what the sample exercises ({@code broadcast}, {@code zero-size}, {@code edge}, ...)
 * @param grad whether gradients are checked on it (false at poles, kinks, ties and infinities)
 * @param fd whether float64 finite differences are checked on it (smooth, moderate, small inputs)
 */
public record SampleInput(List<InputSpec> inputs, Args args, String tag, boolean grad, boolean fd) {
    public SampleInput {
        inputs = List.copyOf(inputs);
        fd = fd && grad;
    }

    /** @return a sample checked everywhere (forward, gradients, finite differences) */
    public static SampleInput of(String tag, Args args, InputSpec... inputs) {
        return new SampleInput(List.of(inputs), args, tag, true, true);
    }

    /** @return this sample, forward checks only (domain edges, infinities, NaN, ties) */
    public SampleInput forwardOnly() {
        return new SampleInput(inputs, args, tag, false, false);
    }

    /** @return this sample without finite-difference checks (too large or badly conditioned for them) */
    public SampleInput noFiniteDifferences() {
        return new SampleInput(inputs, args, tag, grad, false);
    }

    /** @return the inputs' shapes (and layouts), e.g. {@code (3, 1), (1, 4)} */
    public String shapes() {
        return inputs.stream().map(InputSpec::describe).collect(Collectors.joining(", "));
    }

    /** @return {@code axes=[0] input (3, 5) [tag]} style text */
    public String describe() {
        String a = args.isEmpty() ? "" : args + " ";
        return a + (inputs.size() == 1 ? "input " : "inputs ") + (inputs.isEmpty() ? "()" : shapes())
                + (tag.isEmpty() ? "" : " [" + tag + "]");
    }

    /** @return the number of elements in the differentiated inputs */
    public long gradSize() {
        long n = 0;
        for (InputSpec s : inputs) {
            if (s.grad()) {
                n += Shapes.size(s.shape());
            }
        }
        return n;
    }

    /**
     * Generates the logical (row-major) values of every input, deterministically from {@code seed}.
     */
    public double[][] generate(long seed) {
        double[][] out = new double[inputs.size()][];
        for (int i = 0; i < out.length; i++) {
            InputSpec s = inputs.get(i);
            Rng rng = new Rng(seed, i + 1L, 0);
            out[i] = s.values().generate(Shapes.sizeInt(s.shape()), rng);
        }
        return out;
    }
}
