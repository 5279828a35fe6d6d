package dev.vae.conformance;

import dev.vae.api.Shapes;

/**
 * One input of a {@link SampleInput}: its logical shape, how its values are generated, how it is
 * laid out on the backend, and whether it is differentiated.
 *
 * @param shape the logical shape the op sees
 * @param values the value generator
 * @param layout contiguous, permuted view or sliced view
 * @param grad whether gradient checks differentiate with respect to it
 */
public record InputSpec(int[] shape, Values values, Layout layout, boolean grad) {
    public InputSpec {
        shape = Shapes.validate(shape);
        if (layout == Layout.PERMUTED && shape.length < 2) {
            layout = Layout.CONTIGUOUS;
        }
        if (layout == Layout.SLICED && shape.length < 1) {
            layout = Layout.CONTIGUOUS;
        }
    }

    /** @return a contiguous, differentiated input */
    public static InputSpec of(Values values, int... shape) {
        return new InputSpec(shape, values, Layout.CONTIGUOUS, true);
    }

    /** @return this input with another layout */
    public InputSpec layout(Layout l) {
        return new InputSpec(shape, values, l, grad);
    }

    /** @return this input, not differentiated (conditions, targets, indices) */
    public InputSpec noGrad() {
        return new InputSpec(shape, values, layout, false);
    }

    /** @return the shape text, with the layout when it is a view: {@code (3, 4)} or {@code (3, 4) permuted} */
    public String describe() {
        return Shapes.format(shape) + (layout == Layout.CONTIGUOUS ? "" : " " + layout.name().toLowerCase(java.util.Locale.ROOT));
    }
}
