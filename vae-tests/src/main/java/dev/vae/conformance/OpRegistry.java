package dev.vae.conformance;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.ShapeException;
import dev.vae.api.Tensor;
import dev.vae.api.spi.ReduceOp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

import static dev.vae.conformance.Layout.PERMUTED;
import static dev.vae.conformance.Layout.SLICED;

/**
 * The registry of every op the conformance suite checks: each element-wise unary and binary op
 * (and their scalar-operand forms), {@code where}, sum/max/mean over axis sets with and without
 * kept dimensions, matmul with every transpose flag, linear, the movement ops (reshape, permute,
 * slice, concat, broadcast, gather), cast, and the fused likelihood terms (log-sum-exp, Bernoulli
 * log-probability, Gaussian KL).
 *
 * <p>Every op has samples covering broadcasting ({@code (3,1)x(1,4)}, {@code (2,3,4)x(4,)}),
 * rank-0 scalars, size-1 and zero-size dimensions, permuted and sliced (non-contiguous) inputs,
 * large and tiny magnitudes and the edges of its domain; differentiable ops mark the samples on
 * which gradients and finite differences are meaningful (away from poles, kinks and ties).
 */
public final class OpRegistry {

    // ------------------------------------------------------------------ tolerances and their reasons

    /** Movement, selection, comparison, sign changes: no rounding happens. */
    public static final Tol EXACT = Tol.exact("no rounding is involved (movement, selection, comparison or sign)");
    /** Correctly rounded float32 arithmetic. */
    public static final Tol ARITH32 = Tol.of(Float.MIN_NORMAL, 2 * Tol.F32_ULP,
            "IEEE +, -, *, /, sqrt are correctly rounded; one more ulp allows division by reciprocal-multiply, "
                    + "and subnormal results may flush to zero");
    /** Correctly rounded float64 arithmetic. */
    public static final Tol ARITH64 = Tol.of(Double.MIN_NORMAL, 2 * Tol.F64_ULP,
            "IEEE +, -, *, /, sqrt are correctly rounded; one more ulp allows division by reciprocal-multiply");
    /** float32 transcendental functions. */
    public static final Tol TRANS32 = Tol.of(Float.MIN_NORMAL, 1e-6,
            "float32 libm functions are accurate to a few ulp (CUDA expf and tanhf: 2 ulp) and compositions "
                    + "such as sigmoid and softplus add a few roundings (1e-6 is about 8 ulp); subnormal results may flush to zero");
    /** float64 transcendental functions. */
    public static final Tol TRANS64 = Tol.of(Double.MIN_NORMAL, 1e-14,
            "float64 libm implementations (fdlibm, glibc, Sleef, CUDA) agree to a few ulp and compositions "
                    + "add a few roundings (1e-14 is about 45 ulp)");
    /** float32 sums, products and matrix products. */
    public static final Tol ACCUM32 = new Tol(Float.MIN_NORMAL, 1e-5, 1e-5,
            "float32 accumulation in a backend-chosen order: the error grows like n*eps*sum|x| (n <= 64 here), "
                    + "so it is bounded relative to the element and to the largest element of the result");
    /** float64 sums, products and matrix products. */
    public static final Tol ACCUM64 = new Tol(Double.MIN_NORMAL, 1e-13, 1e-13,
            "float64 accumulation in a backend-chosen order: the error grows like n*eps*sum|x| (n <= 64 here)");
    /** float32 gradients against the float64 reference. */
    public static final Tol GRAD32 = new Tol(Float.MIN_NORMAL, 1e-5, 1e-5,
            "a float32 backward pass chains several rounded kernels (each a few ulp) and its broadcast "
                    + "reductions cancel, so the error is bounded relative to the element and to the largest gradient");
    /** float64 gradients against the float64 reference. */
    public static final Tol GRAD64 = new Tol(Double.MIN_NORMAL, 1e-12, 1e-12,
            "a float64 backward pass chains several rounded kernels; bounded relative to the element and to the largest gradient");

    private static final Map<String, OpInfo> OPS = build();

    private OpRegistry() {
    }

    /** @return every registered op, in registration order */
    public static List<OpInfo> all() {
        return List.copyOf(OPS.values());
    }

    /**
     * @return the op named {@code name}
     * @throws IllegalArgumentException if there is none
     */
    public static OpInfo get(String name) {
        OpInfo op = OPS.get(name);
        if (op == null) {
            throw new IllegalArgumentException("no op '" + name + "' in the registry; known: " + OPS.keySet());
        }
        return op;
    }

    /**
     * @return invalid uses of the API that no single op owns (host transfer, backward and item on
     *         non-scalars, released tensors, mixed dtypes)
     */
    public static List<ErrorInput> generalErrors() {
        List<ErrorInput> e = new ArrayList<>();
        e.add(ErrorInput.of("tensor(float[5]) for shape (2, 3)", ShapeException.class,
                b -> b.tensor(new float[5], 2, 3), "(2, 3)", "5"));
        e.add(ErrorInput.of("full with a negative dimension (2, -1)", ShapeException.class,
                b -> b.full(0.0, DType.FLOAT32, 2, -1), "(2, -1)"));
        e.add(ErrorInput.of("backward() on a (2, 3) result", ShapeException.class,
                b -> z(b, 2, 3).requiresGrad(true).mul(2.0).backward(), "backward", "(2, 3)"));
        e.add(ErrorInput.of("item() of a (2,) tensor", ShapeException.class,
                b -> z(b, 2).item(), "item", "(2,)"));
        e.add(ErrorInput.of("using a tensor after close()", IllegalStateException.class, b -> {
            Tensor t = z(b, 2, 2).untrack();
            t.close();
            t.add(1.0);
        }, "released"));
        e.add(ErrorInput.of("add float32 (3,) and float64 (3,)", ShapeException.class,
                b -> z(b, 3).add(b.zeros(DType.FLOAT64, 3)), "float32", "float64").float64());
        e.add(ErrorInput.of("matmul float64 (2, 2) and float32 (2, 2)", ShapeException.class,
                b -> b.zeros(DType.FLOAT64, 2, 2).matmul(z(b, 2, 2)), "float32", "float64").float64());
        e.add(ErrorInput.of("where with float64 condition and float32 values", ShapeException.class,
                b -> Tensor.where(b.zeros(DType.FLOAT64, 3), z(b, 3), z(b, 3)), "float32", "float64").float64());
        return e;
    }

    static Tensor z(Backend b, int... shape) {
        return b.zeros(DType.FLOAT32, shape);
    }

    // ------------------------------------------------------------------ helpers

    private static int[] s(int... d) {
        return d;
    }

    private static InputSpec in(Values v, int... shape) {
        return InputSpec.of(v, shape);
    }

    private static void add(Map<String, OpInfo> m, OpInfo op) {
        if (m.put(op.name(), op) != null) {
            throw new IllegalStateException("duplicate op " + op.name());
        }
    }

    // ------------------------------------------------------------------ sample generators

    /**
     * Samples of an element-wise unary op.
     *
     * @param general values over the op's whole domain (forward only: may hit kinks)
     * @param smooth values where the op is smooth (gradients and finite differences)
     * @param edges values at the edges of the domain (forward only)
     * @param magnitudes large and tiny magnitudes (forward only), or null
     */
    static List<SampleInput> unarySamples(Values general, Values smooth, double[] edges, Values magnitudes) {
        List<SampleInput> l = new ArrayList<>();
        l.add(SampleInput.of("rank-0", Args.none(), in(smooth)));
        l.add(SampleInput.of("size-1", Args.none(), in(smooth, 1)));
        l.add(SampleInput.of("", Args.none(), in(smooth, 7)));
        l.add(SampleInput.of("", Args.none(), in(smooth, 3, 4)));
        l.add(SampleInput.of("", Args.none(), in(smooth, 2, 3, 4)));
        l.add(SampleInput.of("size-1", Args.none(), in(smooth, 1, 1, 1)));
        l.add(SampleInput.of("zero-size", Args.none(), in(smooth, 0)));
        l.add(SampleInput.of("zero-size", Args.none(), in(smooth, 3, 0)));
        l.add(SampleInput.of("zero-size", Args.none(), in(smooth, 0, 2, 1)));
        l.add(SampleInput.of("non-contiguous", Args.none(), in(smooth, 3, 4).layout(PERMUTED)));
        l.add(SampleInput.of("non-contiguous", Args.none(), in(smooth, 2, 3, 4).layout(PERMUTED)));
        l.add(SampleInput.of("non-contiguous", Args.none(), in(smooth, 4, 3).layout(SLICED)));
        l.add(SampleInput.of("domain", Args.none(), in(general, 6, 5)).forwardOnly());
        if (edges != null && edges.length > 0) {
            l.add(SampleInput.of("edge", Args.none(), in(Values.of(edges), edges.length)).forwardOnly());
        }
        if (magnitudes != null) {
            l.add(SampleInput.of("magnitudes", Args.none(), in(magnitudes, 4, 5)).forwardOnly());
        }
        return l;
    }

    /**
     * Samples of an element-wise binary op: equal shapes, broadcasting, rank-0, size-1 and
     * zero-size, permuted and sliced views, and edge values.
     */
    static List<SampleInput> binarySamples(Values a, Values b, double[] edgeA, double[] edgeB, boolean grad) {
        List<SampleInput> l = new ArrayList<>();
        l.add(SampleInput.of("", Args.none(), in(a, 3, 4), in(b, 3, 4)));
        l.add(SampleInput.of("broadcast", Args.none(), in(a, 3, 1), in(b, 1, 4)));
        l.add(SampleInput.of("broadcast", Args.none(), in(a, 2, 3, 4), in(b, 4)));
        l.add(SampleInput.of("broadcast", Args.none(), in(a, 4), in(b, 2, 3, 4)));
        l.add(SampleInput.of("broadcast", Args.none(), in(a, 2, 1, 4), in(b, 3, 1)));
        l.add(SampleInput.of("rank-0", Args.none(), in(a), in(b, 3, 4)));
        l.add(SampleInput.of("rank-0", Args.none(), in(a, 3, 4), in(b)));
        l.add(SampleInput.of("rank-0", Args.none(), in(a), in(b)));
        l.add(SampleInput.of("", Args.none(), in(a, 5), in(b, 5)));
        l.add(SampleInput.of("size-1", Args.none(), in(a, 1, 1), in(b, 1, 1)));
        l.add(SampleInput.of("zero-size", Args.none(), in(a, 0, 4), in(b, 1, 4)));
        l.add(SampleInput.of("zero-size", Args.none(), in(a, 3, 0), in(b, 3, 1)));
        l.add(SampleInput.of("zero-size", Args.none(), in(a, 1), in(b, 0)));
        l.add(SampleInput.of("non-contiguous", Args.none(), in(a, 3, 4).layout(PERMUTED), in(b, 3, 4)));
        l.add(SampleInput.of("non-contiguous", Args.none(), in(a, 2, 3, 4).layout(PERMUTED), in(b, 3, 1)));
        l.add(SampleInput.of("non-contiguous", Args.none(), in(a, 4, 3).layout(SLICED), in(b, 4, 3).layout(PERMUTED)));
        if (!grad) {
            l.replaceAll(SampleInput::forwardOnly);
        }
        if (edgeA != null) {
            l.add(SampleInput.of("edge", Args.none(), in(Values.of(edgeA), edgeA.length),
                    in(Values.of(edgeB), edgeB.length)).forwardOnly());
        }
        return l;
    }

    /** Samples of a reduction over axis sets, with and without kept dimensions. */
    static List<SampleInput> reductionSamples(Values v, Values large, boolean emptyIsInfinite) {
        List<SampleInput> l = new ArrayList<>();
        for (boolean keep : new boolean[] {false, true}) {
            l.add(SampleInput.of("non-square", Args.of("axes", s(0), "keepDims", keep), in(v, 3, 5)));
            l.add(SampleInput.of("non-square", Args.of("axes", s(1), "keepDims", keep), in(v, 3, 5)));
            l.add(SampleInput.of("non-square", Args.of("axes", s(0, 1), "keepDims", keep), in(v, 3, 5)));
            l.add(SampleInput.of("", Args.of("axes", s(0, 2), "keepDims", keep), in(v, 2, 3, 4)));
        }
        for (int[] axes : new int[][] {s(0), s(1), s(2), s(1, 2), s(0, 1), s(0, 1, 2)}) {
            l.add(SampleInput.of("", Args.of("axes", axes, "keepDims", false), in(v, 2, 3, 4)));
        }
        l.add(SampleInput.of("", Args.of("axes", s(0), "keepDims", false), in(v, 7)));
        l.add(SampleInput.of("square", Args.of("axes", s(0), "keepDims", false), in(v, 4, 4)));
        l.add(SampleInput.of("rank-0", Args.of("axes", s(), "keepDims", false), in(v)));
        l.add(SampleInput.of("size-1", Args.of("axes", s(0), "keepDims", true), in(v, 1, 1)));
        l.add(SampleInput.of("size-1", Args.of("axes", s(1), "keepDims", false), in(v, 5, 1)));
        l.add(SampleInput.of("non-contiguous", Args.of("axes", s(0), "keepDims", false), in(v, 3, 5).layout(PERMUTED)));
        l.add(SampleInput.of("non-contiguous", Args.of("axes", s(1), "keepDims", true), in(v, 3, 5).layout(PERMUTED)));
        l.add(SampleInput.of("non-contiguous", Args.of("axes", s(0, 2), "keepDims", false), in(v, 2, 3, 4).layout(PERMUTED)));
        l.add(SampleInput.of("non-contiguous", Args.of("axes", s(0), "keepDims", false), in(v, 5, 3).layout(SLICED)));
        l.add(SampleInput.of("non-contiguous", Args.of("axes", s(1), "keepDims", false), in(v, 5, 3).layout(SLICED)));
        l.add(SampleInput.of("zero-size", Args.of("axes", s(1), "keepDims", false), in(v, 0, 3)));
        SampleInput emptyAxis0 = SampleInput.of("zero-size", Args.of("axes", s(0), "keepDims", false), in(v, 0, 3));
        SampleInput emptyAxis1 = SampleInput.of("zero-size", Args.of("axes", s(1), "keepDims", true), in(v, 3, 0));
        l.add(emptyIsInfinite ? emptyAxis0.forwardOnly() : emptyAxis0);
        l.add(emptyIsInfinite ? emptyAxis1.forwardOnly() : emptyAxis1);
        l.add(SampleInput.of("magnitudes", Args.of("axes", s(1), "keepDims", false), in(large, 3, 5)).noFiniteDifferences());
        l.add(SampleInput.of("magnitudes", Args.of("axes", s(0), "keepDims", false),
                in(Values.logUniform(1e-30, 1e-20, true), 3, 5)).noFiniteDifferences());
        l.add(SampleInput.of("large", Args.of("axes", s(0), "keepDims", false), in(v, 64, 3)).noFiniteDifferences());
        return l;
    }

    private static int[] axes(Args a) {
        return a.ints("axes");
    }

    // ------------------------------------------------------------------ the registry

    private static Map<String, OpInfo> build() {
        Map<String, OpInfo> m = new LinkedHashMap<>();
        double inf = Double.POSITIVE_INFINITY;
        double nan = Double.NaN;

        // ---------------------------------------------------------- unary
        unary(m, "neg", Tensor::neg, EXACT, EXACT, Values.uniform(-10, 10), Values.uniform(-3, 3),
                new double[] {0, 1e30, -1e30, 1e-30, 3e38, inf, -inf, nan}, Values.logUniform(1e-30, 1e30, true));
        unary(m, "exp", Tensor::exp, TRANS32, TRANS64, Values.uniform(-20, 20), Values.uniform(-3, 3),
                new double[] {-100, -88, -1e-8, 0, 1e-8, 20, 80, 88.5, 88.8, 700, 710, -750, -inf, inf, nan}, null);
        unary(m, "log", Tensor::log, TRANS32, TRANS64, Values.logUniform(1e-3, 1e3, false), Values.uniform(0.1, 5),
                new double[] {1e-30, 1.2e-38, 1e-7, 1 - 1e-7, 1, 1 + 1e-6, 1e30, 3e38, 0, -1, inf, nan},
                Values.logUniform(1e-30, 1e30, false));
        unary(m, "log1p", Tensor::log1p, TRANS32, TRANS64, Values.uniform(-0.9, 10), Values.uniform(-0.5, 3),
                new double[] {1e-10, -1e-10, 1e-30, -1e-30, 0, -0.999, 1e-5, 1e30, -1, -2, inf}, null);
        unary(m, "expm1", Tensor::expm1, TRANS32, TRANS64, Values.uniform(-10, 10), Values.uniform(-2, 2),
                new double[] {1e-10, -1e-10, 1e-30, -1e-30, 0, -50, 1e-5, 80, 88.5, 100, -inf, inf}, null);
        unary(m, "sqrt", Tensor::sqrt, ARITH32, ARITH64, Values.uniform(0, 10), Values.uniform(0.1, 5),
                new double[] {0, 1e-30, 1e-38, 1e30, 3e38, 1, 4, 2, -1, inf, nan}, Values.logUniform(1e-30, 1e30, false));
        unary(m, "abs", Tensor::abs, EXACT, EXACT, Values.uniform(-10, 10), Values.awayFromZero(-3, 3, 0.05),
                new double[] {0, 1e-30, -1e-30, -1e30, 3e38, -inf, inf, nan}, Values.logUniform(1e-30, 1e30, true));
        add(m, OpInfo.builder("sign", "unary").tensor((in, c) -> in.get(0).sign()).forward(EXACT, EXACT)
                .samples(noGrad(unarySamples(Values.uniform(-10, 10), Values.choice(-2, 0, 0.5, 3),
                        new double[] {0, 1e-30, -1e-30, 1e30, -inf, inf}, Values.logUniform(1e-30, 1e30, true))))
                .build());
        unary(m, "tanh", Tensor::tanh, TRANS32, TRANS64, Values.uniform(-10, 10), Values.uniform(-2, 2),
                new double[] {1e-8, -1e-8, 1e-30, 0, 0.5, 5, 20, -20, 50, -50, 1e30, -inf, inf, nan}, null);
        unary(m, "sigmoid", Tensor::sigmoid, TRANS32, TRANS64, Values.uniform(-20, 20), Values.uniform(-4, 4),
                new double[] {50, -50, 80, -80, 100, -100, 0, 1e-8, -1e-8, 20, -20, 1e30, -1e30, inf, -inf}, null);
        unary(m, "relu", Tensor::relu, EXACT, EXACT, Values.uniform(-5, 5), Values.awayFromZero(-3, 3, 0.05),
                new double[] {0, 1e-30, -1e-30, 1e30, -1e30, inf, -inf, nan}, Values.logUniform(1e-30, 1e30, true));
        unary(m, "softplus", Tensor::softplus, TRANS32, TRANS64, Values.uniform(-30, 30), Values.uniform(-5, 5),
                new double[] {80, -80, 100, -100, 800, -800, 20, -20, 40, -40, 0, 1e-8, 1e30, -1e30, inf, -inf}, null);
        unary(m, "square", Tensor::square, ARITH32, ARITH64, Values.uniform(-10, 10), Values.uniform(-3, 3),
                new double[] {0, 1e-20, 1e-30, 1e18, 1e19, -1e20, 1e160, inf, -inf}, Values.logUniform(1e-15, 1e15, true));
        unary(m, "reciprocal", Tensor::reciprocal, ARITH32, ARITH64, Values.awayFromZero(-10, 10, 1e-3),
                Values.awayFromZero(-3, 3, 0.25),
                new double[] {1e-30, -1e-30, 1e30, -1e30, 0.5, -2, 3, inf, -inf, 0}, Values.logUniform(1e-30, 1e30, true));
        unary(m, "leakyRelu(0.1)", t -> t.leakyRelu(0.1), ARITH32, ARITH64, Values.uniform(-5, 5), Values.awayFromZero(-3, 3, 0.05),
                new double[] {0, 1e-30, -1e-30, 1e30, -1e30}, null);

        // ---------------------------------------------------------- scalar-operand forms (the scalar kernel)
        unary(m, "add(2.5)", t -> t.add(2.5), ARITH32, ARITH64, Values.uniform(-10, 10), Values.uniform(-3, 3),
                new double[] {-2.5, 1e30, 1e-30, inf, -inf, nan}, null);
        unary(m, "sub(-1.5)", t -> t.sub(-1.5), ARITH32, ARITH64, Values.uniform(-10, 10), Values.uniform(-3, 3),
                new double[] {-1.5, 1e30, 1e-30, inf, nan}, null);
        unary(m, "rsub(1)", t -> t.rsub(1.0), ARITH32, ARITH64, Values.uniform(-10, 10), Values.uniform(-3, 3),
                new double[] {1, 1e30, 1e-30, inf}, null);
        unary(m, "mul(0.5)", t -> t.mul(0.5), ARITH32, ARITH64, Values.uniform(-10, 10), Values.uniform(-3, 3),
                new double[] {0, 1e30, 1e-30, 3e38, inf, nan}, null);
        unary(m, "div(4)", t -> t.div(4.0), ARITH32, ARITH64, Values.uniform(-10, 10), Values.uniform(-3, 3),
                new double[] {0, 1e30, 1e-30, inf, nan}, null);
        unary(m, "pow(2)", t -> t.pow(2.0), TRANS32, TRANS64, Values.uniform(-10, 10), Values.uniform(-3, 3),
                new double[] {0, -2, 1e19, 1e-20, -inf, inf}, null);
        unary(m, "pow(0.5)", t -> t.pow(0.5), TRANS32, TRANS64, Values.uniform(0, 10), Values.uniform(0.1, 5),
                new double[] {0, 1e-30, 4, 1e30, -1, inf}, null);
        unary(m, "pow(-1.5)", t -> t.pow(-1.5), TRANS32, TRANS64, Values.uniform(0.01, 10), Values.uniform(0.2, 5),
                new double[] {0, 1e-30, 4, 1e30, inf}, null);
        unary(m, "pow(3)", t -> t.pow(3.0), TRANS32, TRANS64, Values.uniform(-10, 10), Values.uniform(-3, 3),
                new double[] {0, -2, 1e12, -1e13, 1e-14, -inf}, null);
        unary(m, "maximum(0.25)", t -> t.maximum(0.25), EXACT, EXACT, Values.uniform(-3, 3),
                Values.awayFromZeroAt(0.25, -3, 3, 0.05), new double[] {0.25, 0, 1e30, -inf, inf, nan}, null);
        unary(m, "minimum(-0.25)", t -> t.minimum(-0.25), EXACT, EXACT, Values.uniform(-3, 3),
                Values.awayFromZeroAt(-0.25, -3, 3, 0.05), new double[] {-0.25, 0, -1e30, -inf, inf, nan}, null);
        for (String cmp : new String[] {"gt", "ge", "lt", "le"}) {
            add(m, OpInfo.builder(cmp + "(0.5)", "comparison").tensor((in, c) -> scalarCompare(cmp, in.get(0), 0.5))
                    .forward(EXACT, EXACT)
                    .samples(noGrad(unarySamples(Values.choice(-1, 0, 0.5, 1), Values.choice(-1, 0.5, 2),
                            new double[] {0.5, 0.49999997, 0.50000006, inf, -inf, nan}, null)))
                    .build());
        }

        // ---------------------------------------------------------- binary
        binary(m, "add", Tensor::add, ARITH32, ARITH64, Values.uniform(-5, 5), Values.uniform(-5, 5),
                new double[] {1e30, -1e30, 3e38, 1e-30, inf, inf, nan, 0}, new double[] {1e30, 1e30, 3e38, -1e-30, 1, -inf, 1, 0}, true);
        binary(m, "sub", Tensor::sub, ARITH32, ARITH64, Values.uniform(-5, 5), Values.uniform(-5, 5),
                new double[] {1e30, -3e38, 1, 1e-30, inf, inf, nan}, new double[] {1e30, 3e38, 1 - 1e-7, 1e-30, 1, inf, 1}, true);
        binary(m, "mul", Tensor::mul, ARITH32, ARITH64, Values.uniform(-5, 5), Values.uniform(-5, 5),
                new double[] {1e20, 1e-20, 1e-30, -1e30, inf, inf, 0, nan}, new double[] {1e20, 1e-20, 1e30, 1e-30, 2, 0, -3, 1}, true);
        binary(m, "div", Tensor::div, ARITH32, ARITH64, Values.uniform(-5, 5), Values.awayFromZero(-5, 5, 0.25),
                new double[] {1, -1, 0, 1e30, 1e-30, 1e-30, 3, inf, inf}, new double[] {0, 0, 0, 1e-30, 1e30, 1e10, -7, 2, inf}, true);
        binary(m, "maximum", Tensor::maximum, EXACT, EXACT, Values.uniform(-5, 5), Values.uniform(-5, 5),
                new double[] {1, 0, nan, 1, -inf, 1e30, 2}, new double[] {1, -0.0, 1, nan, -inf, -1e30, 2}, true);
        binary(m, "minimum", Tensor::minimum, EXACT, EXACT, Values.uniform(-5, 5), Values.uniform(-5, 5),
                new double[] {1, 0, nan, 1, inf, 1e30, 2}, new double[] {1, -0.0, 1, nan, inf, -1e30, 2}, true);
        binary(m, "pow", Tensor::pow, TRANS32, TRANS64, Values.uniform(0.2, 3), Values.uniform(-2, 2),
                new double[] {0, 0, 0, 2, -2, -2, -2, 4, 1e10, 10, inf, 0.5, 1},
                new double[] {2, 0, -1, 0.5, 2, 3, 0.5, -0.5, 4, 40, -1, 200, 0}, true);
        for (String cmp : new String[] {"gt", "ge", "lt", "le", "eq"}) {
            binary(m, cmp, (a, b) -> compare(cmp, a, b), EXACT, EXACT, Values.choice(-1, 0, 0.5, 1), Values.choice(-1, 0, 0.5, 1),
                    new double[] {1, 1, 0, nan, 1, inf, -inf, 1e-30}, new double[] {1, nan, -0.0, nan, inf, inf, -inf, 0}, false);
        }

        // ---------------------------------------------------------- where
        {
            Values cond = Values.choice(0, 1, 0, -3.5, 0.5);
            Values v = Values.uniform(-5, 5);
            List<SampleInput> l = new ArrayList<>();
            l.add(SampleInput.of("", Args.none(), in(cond, 3, 4).noGrad(), in(v, 3, 4), in(v, 3, 4)));
            l.add(SampleInput.of("broadcast", Args.none(), in(cond, 3, 1).noGrad(), in(v, 1, 4), in(v, 3, 4)));
            l.add(SampleInput.of("broadcast", Args.none(), in(cond, 2, 3, 4).noGrad(), in(v, 4), in(v, 3, 1)));
            l.add(SampleInput.of("rank-0", Args.none(), in(cond).noGrad(), in(v, 3, 4), in(v)));
            l.add(SampleInput.of("rank-0", Args.none(), in(cond, 2, 3).noGrad(), in(v), in(v)));
            l.add(SampleInput.of("zero-size", Args.none(), in(cond, 0, 4).noGrad(), in(v, 1, 4), in(v, 4)));
            l.add(SampleInput.of("non-contiguous", Args.none(), in(cond, 3, 4).noGrad().layout(PERMUTED),
                    in(v, 3, 4).layout(SLICED), in(v, 3, 4).layout(PERMUTED)));
            l.add(SampleInput.of("edge", Args.none(), in(Values.of(1, 0, 1, 0), 4).noGrad(),
                    in(Values.of(inf, nan, 1e30, 2), 4), in(Values.of(nan, -inf, 3, 1e-30), 4)).forwardOnly());
            add(m, OpInfo.builder("where", "selection")
                    .tensor((in, c) -> Tensor.where(in.get(0), in.get(1), in.get(2)))
                    .forward(EXACT, EXACT).gradients(ACCUM32.because("the gradient of where selects the seed and sums it over broadcast axes"),
                            ACCUM64.because("the gradient of where selects the seed and sums it over broadcast axes"))
                    .samples(l)
                    .errors(ErrorInput.of("where cond (2,) a (3,) b (3,)", ShapeException.class,
                            b -> Tensor.where(z(b, 2), z(b, 3), z(b, 3)), "(2,)", "(3,)"))
                    .build());
        }

        // ---------------------------------------------------------- reductions
        add(m, OpInfo.builder("sum", "reduction")
                .tensor((in, c) -> in.get(0).sum(c.args().bool("keepDims"), axes(c.args())))
                .forward(ACCUM32, ACCUM64).gradients(EXACT.because("the gradient of a sum is a broadcast of the seed"),
                        EXACT.because("the gradient of a sum is a broadcast of the seed"))
                .samples(reductionSamples(Values.uniform(-5, 5), Values.logUniform(1e20, 1e30, false), false))
                .errors(ErrorInput.of("sum over axis 2 of (3, 4)", ShapeException.class, b -> z(b, 3, 4).sum(false, 2), "axis 2", "rank 2"),
                        ErrorInput.of("sum over axes [0, 0]", ShapeException.class, b -> z(b, 3, 4).sum(false, 0, 0), "repeated"))
                .build());
        {
            List<SampleInput> l = reductionSamples(Values.uniform(-5, 5), Values.logUniform(1e20, 1e30, true), true);
            l.add(SampleInput.of("ties", Args.of("axes", s(1), "keepDims", false), in(Values.choice(1, 2, 3), 4, 6)).noFiniteDifferences());
            l.add(SampleInput.of("edge", Args.of("axes", s(1), "keepDims", false),
                    in(Values.of(1, nan, 3, -inf, -inf, -inf, -inf, 2, inf, -1e30, -3e38, -1e30), 4, 3)).forwardOnly());
            add(m, OpInfo.builder("max", "reduction")
                    .tensor((in, c) -> in.get(0).max(c.args().bool("keepDims"), axes(c.args())))
                    .forward(EXACT, EXACT).gradients(ARITH32.because("the gradient of max divides the seed among tied maxima"),
                            ARITH64.because("the gradient of max divides the seed among tied maxima"))
                    .samples(l)
                    .errors(ErrorInput.of("max over axis -3 of (3, 4)", ShapeException.class, b -> z(b, 3, 4).max(false, -3), "axis -3"))
                    .build());
        }
        {
            List<SampleInput> l = reductionSamples(Values.uniform(-5, 5), Values.logUniform(1e20, 1e30, false), false);
            // the mean of an empty slice is 0/0
            l.replaceAll(si -> si.tag().equals("zero-size") ? si.forwardOnly() : si);
            add(m, OpInfo.builder("mean", "reduction")
                    .tensor((in, c) -> in.get(0).mean(c.args().bool("keepDims"), axes(c.args())))
                    .forward(ACCUM32, ACCUM64).gradients(ARITH32.because("the gradient of a mean is the seed divided by the count"),
                            ARITH64.because("the gradient of a mean is the seed divided by the count"))
                    .samples(l).build());
        }
        {
            Values v = Values.uniform(-5, 5);
            List<SampleInput> l = new ArrayList<>();
            for (String op : new String[] {"SUM", "MAX"}) {
                l.add(SampleInput.of("empty axes", Args.of("op", op, "axes", s(), "keepDims", false), in(v, 3, 5)).forwardOnly());
                l.add(SampleInput.of("empty axes", Args.of("op", op, "axes", s(), "keepDims", true), in(v, 2, 3).layout(PERMUTED)).forwardOnly());
                l.add(SampleInput.of("rank-0", Args.of("op", op, "axes", s(), "keepDims", false), in(v)).forwardOnly());
                l.add(SampleInput.of("", Args.of("op", op, "axes", s(0, 1), "keepDims", true), in(v, 3, 5)).forwardOnly());
                l.add(SampleInput.of("non-square", Args.of("op", op, "axes", s(0), "keepDims", false), in(v, 3, 5)).forwardOnly());
                l.add(SampleInput.of("zero-size", Args.of("op", op, "axes", s(), "keepDims", false), in(v, 0, 3)).forwardOnly());
                l.add(SampleInput.of("zero-size", Args.of("op", op, "axes", s(1), "keepDims", true), in(v, 0, 3)).forwardOnly());
            }
            add(m, OpInfo.builder("reduce(kernel)", "reduction")
                    .kernel((k, in, c) -> k.reduce(ReduceOp.valueOf((String) c.args().get("op")), in.get(0),
                            axes(c.args()), c.args().bool("keepDims")))
                    .forward(ACCUM32, ACCUM64).samples(l).build());
        }
        {
            Values v = Values.uniform(-5, 5);
            List<SampleInput> l = new ArrayList<>();
            for (boolean keep : new boolean[] {false, true}) {
                l.add(SampleInput.of("non-square", Args.of("axis", 0, "keepDims", keep), in(v, 3, 5)));
                l.add(SampleInput.of("non-square", Args.of("axis", 1, "keepDims", keep), in(v, 3, 5)));
            }
            l.add(SampleInput.of("", Args.of("axis", 1, "keepDims", false), in(v, 2, 3, 4)));
            l.add(SampleInput.of("", Args.of("axis", -1, "keepDims", false), in(v, 2, 3, 4)));
            l.add(SampleInput.of("", Args.of("axis", 0, "keepDims", false), in(v, 7)));
            l.add(SampleInput.of("size-1", Args.of("axis", 1, "keepDims", false), in(v, 4, 1)));
            l.add(SampleInput.of("non-contiguous", Args.of("axis", 1, "keepDims", false), in(v, 3, 5).layout(PERMUTED)));
            l.add(SampleInput.of("non-contiguous", Args.of("axis", 0, "keepDims", true), in(v, 4, 3).layout(SLICED)));
            l.add(SampleInput.of("zero-size", Args.of("axis", 0, "keepDims", false), in(v, 0, 3)).forwardOnly());
            l.add(SampleInput.of("zero-size", Args.of("axis", 0, "keepDims", false), in(v, 3, 0)));
            l.add(SampleInput.of("large", Args.of("axis", 1, "keepDims", false), in(Values.uniform(500, 1000), 3, 5)).noFiniteDifferences());
            l.add(SampleInput.of("large", Args.of("axis", 1, "keepDims", false), in(Values.uniform(-1000, -500), 3, 5)).noFiniteDifferences());
            l.add(SampleInput.of("large", Args.of("axis", 0, "keepDims", false), in(Values.uniform(-5, 5), 64, 2)).noFiniteDifferences());
            l.add(SampleInput.of("edge", Args.of("axis", 1, "keepDims", false),
                    in(Values.of(-inf, -inf, -inf, -inf, 0, 1, 1e30, 1e30, -inf, 3e38, 3e38, 3e38, 1, inf, 2), 5, 3)).forwardOnly());
            add(m, OpInfo.builder("logSumExp", "fused")
                    .tensor((in, c) -> in.get(0).logSumExp(c.args().integer("axis"), c.args().bool("keepDims")))
                    .forward(new Tol(Float.MIN_NORMAL, 1e-6, 1e-6,
                                    "log of a float32 sum: a few ulp of exp and log plus accumulation, relative to the largest result"),
                            new Tol(Double.MIN_NORMAL, 1e-14, 1e-14, "log of a float64 sum: a few ulp of exp and log plus accumulation"))
                    .gradients(GRAD32, GRAD64)
                    .samples(l)
                    .errors(ErrorInput.of("logSumExp over axis 2 of (3, 4)", ShapeException.class,
                            b -> z(b, 3, 4).logSumExp(2, false), "axis 2"))
                    .build());
        }

        // ---------------------------------------------------------- linear algebra
        {
            Values v = Values.uniform(-2, 2);
            List<SampleInput> l = new ArrayList<>();
            int[][] mkn = {{3, 4, 5}, {5, 4, 3}, {1, 1, 1}, {3, 4, 1}, {1, 4, 3}, {0, 3, 2}, {3, 0, 2}, {2, 3, 0}, {4, 4, 4}, {5, 64, 6}};
            for (int[] d : mkn) {
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        int mm = d[0];
                        int kk = d[1];
                        int nn = d[2];
                        String tag = d[1] == 0 || d[0] == 0 || d[2] == 0 ? "zero-size" : (mm == kk && kk == nn ? "square" : "non-square");
                        SampleInput si = SampleInput.of(tag, Args.of("transA", ta, "transB", tb),
                                in(v, ta ? s(kk, mm) : s(mm, kk)), in(v, tb ? s(nn, kk) : s(kk, nn)));
                        l.add(kk == 64 ? si.noFiniteDifferences() : si);
                    }
                }
            }
            for (boolean ta : new boolean[] {false, true}) {
                l.add(SampleInput.of("non-contiguous", Args.of("transA", ta, "transB", !ta),
                        in(v, 3, 4).layout(PERMUTED), in(v, ta ? s(3, 5) : s(5, 4)).layout(PERMUTED)));
            }
            l.add(SampleInput.of("non-contiguous", Args.of("transA", false, "transB", false),
                    in(v, 3, 4).layout(SLICED), in(v, 4, 2).layout(SLICED)));
            l.add(SampleInput.of("magnitudes", Args.of("transA", false, "transB", true),
                    in(Values.logUniform(1e17, 1e18, false), 3, 4), in(Values.logUniform(1e17, 1e18, false), 2, 4)).forwardOnly());
            l.add(SampleInput.of("magnitudes", Args.of("transA", true, "transB", false),
                    in(Values.logUniform(1e-18, 1e-17, true), 4, 3), in(Values.logUniform(1e-18, 1e-17, true), 4, 2)).forwardOnly());
            add(m, OpInfo.builder("matmul", "linear algebra")
                    .tensor((in, c) -> in.get(0).matmul(in.get(1), c.args().bool("transA"), c.args().bool("transB")))
                    .forward(ACCUM32, ACCUM64).gradients(GRAD32, GRAD64)
                    .samples(l)
                    .errors(ErrorInput.of("matmul (3, 4) @ (5, 6)", ShapeException.class, b -> z(b, 3, 4).matmul(z(b, 5, 6)), "(3, 4)", "(5, 6)"),
                            ErrorInput.of("matmul (3, 4)^T @ (3, 4)^T", ShapeException.class,
                                    b -> z(b, 3, 4).matmul(z(b, 3, 4), true, true), "(3, 4)^T"),
                            ErrorInput.of("matmul (4,) @ (4, 2)", ShapeException.class, b -> z(b, 4).matmul(z(b, 4, 2)), "2-D", "(4,)"))
                    .build());
        }
        {
            Values v = Values.uniform(-2, 2);
            List<SampleInput> l = new ArrayList<>();
            for (boolean bias : new boolean[] {true, false}) {
                Args a = Args.of("bias", bias);
                l.add(SampleInput.of("", a, in(v, 4, 3), in(v, 5, 3), in(v, 5)));
                l.add(SampleInput.of("size-1", a, in(v, 1, 1), in(v, 1, 1), in(v, 1)));
                l.add(SampleInput.of("zero-size", a, in(v, 0, 3), in(v, 2, 3), in(v, 2)));
                l.add(SampleInput.of("zero-size", a, in(v, 3, 0), in(v, 2, 0), in(v, 2)));
                l.add(SampleInput.of("non-contiguous", a, in(v, 4, 3).layout(PERMUTED), in(v, 5, 3).layout(SLICED), in(v, 5).layout(SLICED)));
                l.add(SampleInput.of("large", a, in(v, 6, 64), in(v, 7, 64), in(v, 7)).noFiniteDifferences());
            }
            add(m, OpInfo.builder("linear", "linear algebra")
                    .tensor((in, c) -> in.get(0).linear(in.get(1), c.args().bool("bias") ? in.get(2) : null))
                    .forward(ACCUM32, ACCUM64).gradients(GRAD32, GRAD64)
                    .samples(l)
                    .errors(ErrorInput.of("linear input (4, 3) weight (5, 4)", ShapeException.class,
                                    b -> z(b, 4, 3).linear(z(b, 5, 4), null), "(4, 3)", "(5, 4)"),
                            ErrorInput.of("linear weight (5, 3) bias (4,)", ShapeException.class,
                                    b -> z(b, 4, 3).linear(z(b, 5, 3), z(b, 4)), "(4,)", "(5, 3)"))
                    .build());
        }

        // ---------------------------------------------------------- movement
        {
            Values v = Values.uniform(-5, 5);
            List<SampleInput> l = new ArrayList<>();
            l.add(SampleInput.of("", Args.of("shape", s(6, 4)), in(v, 2, 3, 4)));
            l.add(SampleInput.of("", Args.of("shape", s(2, -1, 3)), in(v, 4, 6)));
            l.add(SampleInput.of("rank-0", Args.of("shape", s(1, 1)), in(v)));
            l.add(SampleInput.of("rank-0", Args.of("shape", s()), in(v, 1, 1)));
            l.add(SampleInput.of("zero-size", Args.of("shape", s(3, 0)), in(v, 0, 3)));
            l.add(SampleInput.of("non-contiguous", Args.of("shape", s(12)), in(v, 3, 4).layout(PERMUTED)));
            l.add(SampleInput.of("non-contiguous", Args.of("shape", s(4, 6)), in(v, 2, 3, 4).layout(PERMUTED)));
            l.add(SampleInput.of("non-contiguous", Args.of("shape", s(15)), in(v, 5, 3).layout(SLICED)));
            add(m, OpInfo.builder("reshape", "movement")
                    .tensor((in, c) -> in.get(0).reshape(c.args().ints("shape")))
                    .forward(EXACT, EXACT).gradients(EXACT.because("movement"), EXACT.because("movement"))
                    .samples(l)
                    .errors(ErrorInput.of("reshape (2, 3) to (4, 2)", ShapeException.class, b -> z(b, 2, 3).reshape(4, 2), "(2, 3)", "(4, 2)"),
                            ErrorInput.of("reshape (2, 3) to (-1, -1)", ShapeException.class, b -> z(b, 2, 3).reshape(-1, -1), "-1"))
                    .build());
        }
        {
            Values v = Values.uniform(-5, 5);
            List<SampleInput> l = new ArrayList<>();
            l.add(SampleInput.of("", Args.of("axes", s(2, 0, 1)), in(v, 2, 3, 4)));
            l.add(SampleInput.of("", Args.of("axes", s(1, 0, 2)), in(v, 2, 3, 4)));
            l.add(SampleInput.of("identity", Args.of("axes", s(0, 1, 2)), in(v, 2, 3, 4)));
            l.add(SampleInput.of("non-square", Args.of("axes", s(1, 0)), in(v, 3, 4)));
            l.add(SampleInput.of("negative axes", Args.of("axes", s(-1, 0, 1)), in(v, 2, 3, 4)));
            l.add(SampleInput.of("size-1", Args.of("axes", s(1, 0)), in(v, 1, 5)));
            l.add(SampleInput.of("zero-size", Args.of("axes", s(2, 0, 1)), in(v, 0, 3, 1)));
            l.add(SampleInput.of("rank-0", Args.of("axes", s()), in(v)));
            l.add(SampleInput.of("non-contiguous", Args.of("axes", s(1, 2, 0)), in(v, 2, 3, 4).layout(PERMUTED)));
            l.add(SampleInput.of("non-contiguous", Args.of("axes", s(1, 0)), in(v, 4, 3).layout(SLICED)));
            add(m, OpInfo.builder("permute", "movement")
                    .tensor((in, c) -> in.get(0).permute(c.args().ints("axes")))
                    .forward(EXACT, EXACT).gradients(EXACT.because("movement"), EXACT.because("movement"))
                    .samples(l)
                    .errors(ErrorInput.of("permute (2, 3) with axes [0, 0]", ShapeException.class, b -> z(b, 2, 3).permute(0, 0), "[0, 0]"),
                            ErrorInput.of("permute (2, 3) with axes [0]", ShapeException.class, b -> z(b, 2, 3).permute(0), "(2, 3)"))
                    .build());
        }
        {
            Values v = Values.uniform(-5, 5);
            List<SampleInput> l = new ArrayList<>();
            l.add(SampleInput.of("", Args.of("axis", 0, "start", 1, "end", 3), in(v, 5, 4)));
            l.add(SampleInput.of("", Args.of("axis", 1, "start", 0, "end", 2), in(v, 5, 4)));
            l.add(SampleInput.of("zero-size", Args.of("axis", 1, "start", 2, "end", 2), in(v, 5, 4)));
            l.add(SampleInput.of("whole", Args.of("axis", 0, "start", 0, "end", 5), in(v, 5, 4)));
            l.add(SampleInput.of("", Args.of("axis", 2, "start", 1, "end", 4), in(v, 2, 3, 4)));
            l.add(SampleInput.of("negative axis", Args.of("axis", -2, "start", 1, "end", 2), in(v, 2, 3, 4)));
            l.add(SampleInput.of("zero-size", Args.of("axis", 1, "start", 1, "end", 2), in(v, 0, 3)));
            l.add(SampleInput.of("non-contiguous", Args.of("axis", 1, "start", 1, "end", 3), in(v, 3, 4).layout(PERMUTED)));
            l.add(SampleInput.of("non-contiguous", Args.of("axis", 0, "start", 2, "end", 5), in(v, 6, 2).layout(SLICED)));
            add(m, OpInfo.builder("slice", "movement")
                    .tensor((in, c) -> in.get(0).slice(c.args().integer("axis"), c.args().integer("start"), c.args().integer("end")))
                    .forward(EXACT, EXACT).gradients(EXACT.because("movement"), EXACT.because("movement"))
                    .samples(l)
                    .errors(ErrorInput.of("slice [2, 6) of axis 0 of (5, 4)", ShapeException.class, b -> z(b, 5, 4).slice(0, 2, 6), "(5, 4)", "[2, 6)"),
                            ErrorInput.of("slice [3, 2) of axis 1 of (5, 4)", ShapeException.class, b -> z(b, 5, 4).slice(1, 3, 2), "[3, 2)"))
                    .build());
        }
        {
            Values v = Values.uniform(-5, 5);
            List<SampleInput> l = new ArrayList<>();
            l.add(SampleInput.of("", Args.of("axis", 0), in(v, 2, 3), in(v, 4, 3)));
            l.add(SampleInput.of("zero-size", Args.of("axis", 1), in(v, 2, 3), in(v, 2, 1), in(v, 2, 0)));
            l.add(SampleInput.of("", Args.of("axis", 1), in(v, 2, 3, 4), in(v, 2, 1, 4)));
            l.add(SampleInput.of("", Args.of("axis", -1), in(v, 2, 3, 4), in(v, 2, 3, 2)));
            l.add(SampleInput.of("single", Args.of("axis", 0), in(v, 3)));
            l.add(SampleInput.of("zero-size", Args.of("axis", 0), in(v, 0, 3), in(v, 2, 3)));
            l.add(SampleInput.of("non-contiguous", Args.of("axis", 1), in(v, 3, 4).layout(PERMUTED), in(v, 3, 2).layout(SLICED)));
            add(m, OpInfo.builder("concat", "movement")
                    .tensor((in, c) -> Tensor.concat(in, c.args().integer("axis")))
                    .forward(EXACT, EXACT).gradients(EXACT.because("movement"), EXACT.because("movement"))
                    .samples(l)
                    .errors(ErrorInput.of("concat (2, 3) and (2, 4) along axis 0", ShapeException.class,
                                    b -> Tensor.concat(List.of(z(b, 2, 3), z(b, 2, 4)), 0), "(2, 4)", "(2, 3)"),
                            ErrorInput.of("concat of no tensors", ShapeException.class, b -> Tensor.concat(List.of(), 0), "at least one"))
                    .build());
        }
        {
            Values v = Values.uniform(-5, 5);
            List<SampleInput> l = new ArrayList<>();
            l.add(SampleInput.of("broadcast", Args.of("shape", s(3, 4)), in(v, 3, 1)));
            l.add(SampleInput.of("broadcast", Args.of("shape", s(2, 3, 4)), in(v, 4)));
            l.add(SampleInput.of("rank-0", Args.of("shape", s(2, 2)), in(v)));
            l.add(SampleInput.of("zero-size", Args.of("shape", s(3, 0)), in(v, 1, 0)));
            l.add(SampleInput.of("non-contiguous", Args.of("shape", s(2, 3, 4)), in(v, 3, 4).layout(PERMUTED)));
            add(m, OpInfo.builder("broadcastTo", "movement")
                    .tensor((in, c) -> in.get(0).broadcastTo(c.args().ints("shape")))
                    .forward(EXACT, EXACT).gradients(ACCUM32.because("the gradient of a broadcast is a float32 sum"),
                            ACCUM64.because("the gradient of a broadcast is a float64 sum"))
                    .samples(l)
                    .errors(ErrorInput.of("broadcastTo (3, 2) to (3, 4)", ShapeException.class, b -> z(b, 3, 2).broadcastTo(3, 4), "(3, 2)", "(3, 4)"))
                    .build());
        }
        {
            Values v = Values.uniform(-5, 5);
            List<SampleInput> l = new ArrayList<>();
            l.add(SampleInput.of("repeats", Args.of("rows", s(4, 0, 0, 2)), in(v, 5, 3)).forwardOnly());
            l.add(SampleInput.of("", Args.of("rows", s(1, 1, 4)), in(v, 5)).forwardOnly());
            l.add(SampleInput.of("zero-size", Args.of("rows", s()), in(v, 5, 3)).forwardOnly());
            l.add(SampleInput.of("zero-size", Args.of("rows", s(1, 0)), in(v, 2, 0)).forwardOnly());
            l.add(SampleInput.of("", Args.of("rows", s(2, 0)), in(v, 3, 2, 2)).forwardOnly());
            l.add(SampleInput.of("non-contiguous", Args.of("rows", s(2, 3)), in(v, 5, 3).layout(PERMUTED)).forwardOnly());
            l.add(SampleInput.of("non-contiguous", Args.of("rows", s(0, 3)), in(v, 4, 3).layout(SLICED)).forwardOnly());
            add(m, OpInfo.builder("gatherRows", "movement")
                    .tensor((in, c) -> in.get(0).gatherRows(c.args().ints("rows")))
                    .forward(EXACT, EXACT)
                    .samples(l)
                    .errors(ErrorInput.of("gatherRows row 5 of (5, 3)", ShapeException.class, b -> z(b, 5, 3).gatherRows(new int[] {0, 5}), "5", "(5, 3)"),
                            ErrorInput.of("gatherRows of a rank-0 tensor", ShapeException.class, b -> z(b).gatherRows(new int[] {0}), "dimension"))
                    .build());
        }
        {
            List<SampleInput> l = new ArrayList<>();
            Values v = Values.uniform(-5, 5);
            l.add(SampleInput.of("", Args.none(), in(v, 3, 4)));
            l.add(SampleInput.of("rank-0", Args.none(), in(v)));
            l.add(SampleInput.of("zero-size", Args.none(), in(v, 0, 2)));
            l.add(SampleInput.of("non-contiguous", Args.none(), in(v, 3, 4).layout(PERMUTED)));
            l.add(SampleInput.of("edge", Args.none(),
                    in(Values.of(1e39, -1e39, 1e-40, 1e-50, 0.1, 1 + 1e-9, 3.4028235677973366e38, inf, nan), 9)).forwardOnly());
            add(m, OpInfo.builder("cast", "conversion")
                    .tensor((in, c) -> in.get(0).cast(c.dtype() == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32))
                    .changesDtype()
                    .forward(EXACT.because("float32 to float64 is exact; float64 to float32 rounds to nearest like Java's (float) cast"),
                            EXACT.because("float64 to float32 rounds to nearest like Java's (float) cast, subnormals included"))
                    .gradients(EXACT.because("the gradient of a cast is a cast"), EXACT.because("the gradient of a cast is a cast"))
                    .samples(noFiniteDifferences(l)).build());
        }

        // ---------------------------------------------------------- fused likelihood terms
        {
            Values logits = Values.uniform(-5, 5);
            Values x = Values.uniform(0, 1);
            List<SampleInput> l = new ArrayList<>();
            l.add(SampleInput.of("", Args.none(), in(logits, 3, 4), in(x, 3, 4)));
            l.add(SampleInput.of("binary targets", Args.none(), in(logits, 4, 5), in(Values.choice(0, 1), 4, 5)));
            l.add(SampleInput.of("rank-0", Args.none(), in(logits), in(x)));
            l.add(SampleInput.of("zero-size", Args.none(), in(logits, 0, 3), in(x, 0, 3)));
            l.add(SampleInput.of("non-contiguous", Args.none(), in(logits, 3, 4).layout(PERMUTED), in(x, 3, 4).layout(SLICED)));
            l.add(SampleInput.of("large logits", Args.none(), in(Values.of(30, -30, 40, -40, 20, -20), 6), in(Values.of(1, 1, 0, 0, 0.5, 0.25), 6)));
            l.add(SampleInput.of("edge", Args.none(), in(Values.of(80, -80, 100, -100, 80, -80, 0, 1e-8, 800, -800), 10),
                    in(Values.of(1, 0, 1, 0, 0, 1, 0.5, 1, 1, 0), 10)).forwardOnly());
            add(m, OpInfo.builder("bernoulliLogProb", "fused")
                    .tensor((in, c) -> Tensor.bernoulliLogProb(in.get(0), in.get(1)))
                    .forward(new Tol(Float.MIN_NORMAL, 2e-6, 1e-6,
                                    "x*l - softplus(l) cancels for confident, correct predictions: the absolute error is a few ulp of |l|"),
                            new Tol(Double.MIN_NORMAL, 1e-14, 1e-14, "x*l - softplus(l) cancels: a few ulp of |l|"))
                    .gradients(GRAD32, GRAD64)
                    .samples(l)
                    .errors(ErrorInput.of("bernoulliLogProb logits (3, 4) x (4, 3)", ShapeException.class,
                            b -> Tensor.bernoulliLogProb(z(b, 3, 4), z(b, 4, 3)), "(3, 4)", "(4, 3)"))
                    .build());
        }
        {
            Values mu = Values.uniform(-3, 3);
            Values lv = Values.uniform(-3, 3);
            List<SampleInput> l = new ArrayList<>();
            l.add(SampleInput.of("", Args.none(), in(mu, 3, 4), in(lv, 3, 4)));
            l.add(SampleInput.of("rank-0", Args.none(), in(mu), in(lv)));
            l.add(SampleInput.of("zero-size", Args.none(), in(mu, 2, 0), in(lv, 2, 0)));
            l.add(SampleInput.of("non-contiguous", Args.none(), in(mu, 3, 4).layout(SLICED), in(lv, 3, 4).layout(PERMUTED)));
            l.add(SampleInput.of("near zero", Args.none(), in(Values.uniform(-1e-3, 1e-3), 5), in(Values.uniform(-1e-3, 1e-3), 5)).noFiniteDifferences());
            l.add(SampleInput.of("edge", Args.none(), in(Values.of(0, 0, 0, 1e10, 1e-10, 0, 3), 7),
                    in(Values.of(-30, 30, 80, 0, 0, -1e-8, -100), 7)).forwardOnly());
            add(m, OpInfo.builder("gaussianKlStdNormal", "fused")
                    .tensor((in, c) -> Tensor.gaussianKlStdNormal(in.get(0), in.get(1)))
                    .forward(new Tol(4 * 0x1p-24, 2e-6, 1e-6,
                                    "0.5*(e^lv + mu^2 - 1 - lv) cancels near mu = lv = 0, where the result is tiny but the terms "
                                            + "are near 1: the absolute error is a few float32 ulp of 1 (4 * 2^-24)"),
                            new Tol(4 * 0x1p-53, 1e-14, 1e-14,
                                    "0.5*(e^lv + mu^2 - 1 - lv) cancels near mu = lv = 0: a few float64 ulp of 1 (4 * 2^-53)"))
                    .gradients(GRAD32, GRAD64)
                    .samples(l)
                    .errors(ErrorInput.of("gaussianKlStdNormal mu (3,) logvar (4,)", ShapeException.class,
                            b -> Tensor.gaussianKlStdNormal(z(b, 3), z(b, 4)), "(3,)", "(4,)"))
                    .build());
        }
        return Collections.unmodifiableMap(m);
    }

    private static List<SampleInput> noGrad(List<SampleInput> l) {
        List<SampleInput> out = new ArrayList<>();
        for (SampleInput s : l) {
            out.add(s.forwardOnly());
        }
        return out;
    }

    /** Casts round to float32 on the way, so finite differences through them measure rounding, not slope. */
    private static List<SampleInput> noFiniteDifferences(List<SampleInput> l) {
        List<SampleInput> out = new ArrayList<>();
        for (SampleInput s : l) {
            out.add(s.noFiniteDifferences());
        }
        return out;
    }

    private static Tensor scalarCompare(String cmp, Tensor t, double s) {
        switch (cmp) {
            case "gt":
                return t.gt(s);
            case "ge":
                return t.ge(s);
            case "lt":
                return t.lt(s);
            case "le":
                return t.le(s);
            default:
                throw new IllegalArgumentException(cmp);
        }
    }

    private static Tensor compare(String cmp, Tensor a, Tensor b) {
        switch (cmp) {
            case "gt":
                return a.gt(b);
            case "ge":
                return a.ge(b);
            case "lt":
                return a.lt(b);
            case "le":
                return a.le(b);
            case "eq":
                return a.eq(b);
            default:
                throw new IllegalArgumentException(cmp);
        }
    }

    private static void unary(Map<String, OpInfo> m, String name, UnaryOperator<Tensor> f, Tol t32, Tol t64,
                              Values general, Values smooth, double[] edges, Values magnitudes) {
        add(m, OpInfo.builder(name, "unary").tensor((in, c) -> f.apply(in.get(0)))
                .forward(t32, t64).gradients(GRAD32, GRAD64)
                .samples(unarySamples(general, smooth, edges, magnitudes))
                .build());
    }

    private static void binary(Map<String, OpInfo> m, String name, BinaryOperator<Tensor> f, Tol t32, Tol t64,
                               Values a, Values b, double[] edgeA, double[] edgeB, boolean differentiable) {
        OpInfo.Builder bld = OpInfo.builder(name, differentiable ? "binary" : "comparison")
                .tensor((in, c) -> f.apply(in.get(0), in.get(1)))
                .forward(t32, t64)
                .samples(binarySamples(a, b, edgeA, edgeB, differentiable))
                .errors(ErrorInput.of(name + " (3, 4) and (2, 4)", ShapeException.class,
                                bk -> f.apply(z(bk, 3, 4), z(bk, 2, 4)), "(3, 4)", "(2, 4)"),
                        ErrorInput.of(name + " (3,) and (4,)", ShapeException.class,
                                bk -> f.apply(z(bk, 3), z(bk, 4)), "(3,)", "(4,)"));
        if (differentiable) {
            bld.gradients(GRAD32, GRAD64);
        }
        add(m, bld.build());
    }
}
