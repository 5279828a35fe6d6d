package dev.vae.backend.cuda;

import dev.vae.api.DType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every kernel entry point the backend launches. A typed entry exists once per element type with
 * a {@code _f32} / {@code _f64} suffix ({@code unary_f32}); an untyped one has a fixed symbol. A
 * host-side test checks that the committed PTX defines every {@link #symbols() symbol}.
 */
enum KernelEntry {
    /** {@code out[i] = v} */
    FILL(true),
    /** element-wise unary op on a dense array */
    UNARY(true),
    /** element-wise binary op with broadcasting through a layout */
    BINARY(true),
    /** element-wise binary op with a scalar right operand */
    BINARY_SCALAR(true),
    /** {@code c != 0 ? a : b} with broadcasting through a layout */
    WHERE(true),
    /** strided copy (permute, slice, concat) */
    COPY(true),
    /** row gather along axis 0 */
    GATHER_ROWS(true),
    /** reduction of contiguous rows, optionally in segments */
    REDUCE_INNER(true),
    /** reduction of the middle axis of an (outer, reduced, inner) block */
    REDUCE_OUTER(true),
    /** log-sum-exp of contiguous rows */
    LOGSUMEXP_INNER(true),
    /** log-sum-exp of the middle axis of an (outer, reduced, inner) block */
    LOGSUMEXP_OUTER(true),
    /** tiled matrix product with transpose flags and an optional bias epilogue */
    MATMUL(true),
    /** bias broadcast over rows (the cuBLAS linear path) */
    BIAS_ROWS(true),
    /** the gradient of ReLU, {@code g * (x > 0)} */
    RELU_BACKWARD(true),
    /** fused Bernoulli log-likelihood from logits */
    BERNOULLI_LOG_PROB(true),
    /** fused KL of a diagonal Gaussian to the standard normal */
    GAUSSIAN_KL(true),
    /** fused in-place Adam(W) step */
    ADAM(true),
    /** Philox uniforms */
    PHILOX_UNIFORM(true),
    /** Philox normals */
    PHILOX_NORMAL(true),
    /** float32 to float64 conversion */
    CAST_F32_F64(false),
    /** float64 to float32 conversion */
    CAST_F64_F32(false);

    private final boolean typed;

    KernelEntry(boolean typed) {
        this.typed = typed;
    }

    /** @return true if the entry exists once per element type */
    boolean typed() {
        return typed;
    }

    /** @return the PTX symbol of this entry for element type {@code t} (ignored when untyped) */
    String symbol(DType t) {
        String base = name().toLowerCase(Locale.ROOT);
        if (!typed) {
            return base;
        }
        return base + (t == DType.FLOAT64 ? "_f64" : "_f32");
    }

    /** @return every PTX symbol the backend resolves, typed entries in both element types */
    static List<String> symbols() {
        List<String> out = new ArrayList<>();
        for (KernelEntry e : values()) {
            if (e.typed) {
                out.add(e.symbol(DType.FLOAT32));
                out.add(e.symbol(DType.FLOAT64));
            } else {
                out.add(e.symbol(DType.FLOAT32));
            }
        }
        return out;
    }
}
