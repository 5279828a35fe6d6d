package dev.vae.conformance;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.Capability;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.UnaryOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Kernel contracts that are not one op's results: host transfer is bit-exact, {@code full} fills,
 * {@code assign} copies in place, views stay valid when the array they were taken from is released
 * (and the other way round), {@code liveArrays} counts what was created and not released, and
 * {@code name()} matches the provider.
 */
final class ContractChecks {
    private ContractChecks() {
    }

    static List<Check> create(Conformance conf) {
        List<Check> out = new ArrayList<>();
        String t = "kernel contract";
        out.add(Check.of(CheckGroup.KERNEL_CONTRACTS, t, "name() is the provider's name", () -> {
            Conformance.Env env = conf.env();
            if (!env.testee.name().equals(conf.backendName())) {
                throw new AssertionError("Kernels.name() is '" + env.testee.name() + "', the provider is '" + conf.backendName() + "'");
            }
        }));
        out.add(Check.of(CheckGroup.KERNEL_CONTRACTS, t, "float32 host round trip is bit-exact", () -> {
            Kernels k = conf.env().testee.kernels();
            float[] v = {0f, -0f, 1f, -1.5f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e-30f, 0.1f, 3.3333333f, 123456.79f};
            DeviceArray a = k.fromFloats(v.clone(), new int[] {3, 5});
            try {
                float[] back = k.toFloats(a);
                for (int i = 0; i < v.length; i++) {
                    if (Float.floatToIntBits(back[i]) != Float.floatToIntBits(v[i])) {
                        throw new AssertionError("element " + i + ": wrote " + v[i] + ", read " + back[i]);
                    }
                }
                double[] wide = k.toDoubles(a);
                for (int i = 0; i < v.length; i++) {
                    if (Double.doubleToLongBits(wide[i]) != Double.doubleToLongBits(v[i])) {
                        throw new AssertionError("toDoubles of float32 element " + i + ": wrote " + v[i] + ", read " + wide[i]);
                    }
                }
                if (a.dtype() != DType.FLOAT32 || !Arrays.equals(a.shape(), new int[] {3, 5})) {
                    throw new AssertionError("fromFloats gave " + a.dtype() + " " + Shapes.format(a.shape()));
                }
            } finally {
                k.release(a);
            }
        }));
        out.add(Check.of(CheckGroup.KERNEL_CONTRACTS, t, "float64 host round trip is bit-exact", () -> {
            Conformance.Env env = conf.env();
            env.require(Capability.FLOAT64, "float64 transfer");
            Kernels k = env.testee.kernels();
            double[] v = {0, -0.0, 1, -1.5, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.NaN, 1e-300, 0.1, 1.0 / 3, 1e39, 1e-40};
            DeviceArray a = k.fromDoubles(v.clone(), new int[] {15});
            try {
                double[] back = k.toDoubles(a);
                for (int i = 0; i < v.length; i++) {
                    if (Double.doubleToLongBits(back[i]) != Double.doubleToLongBits(v[i])) {
                        throw new AssertionError("element " + i + ": wrote " + v[i] + ", read " + back[i]);
                    }
                }
                float[] narrow = k.toFloats(a);
                for (int i = 0; i < v.length; i++) {
                    if (Float.floatToIntBits(narrow[i]) != Float.floatToIntBits((float) v[i])) {
                        throw new AssertionError("toFloats of float64 element " + i + " (" + v[i] + "): read " + narrow[i]
                                + ", expected " + (float) v[i]);
                    }
                }
            } finally {
                k.release(a);
            }
        }));
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] shape : new int[][] {{}, {0}, {3, 4}, {2, 0, 3}, {1, 1, 5}}) {
                for (double value : new double[] {0, 1.5, -3e38, Double.NEGATIVE_INFINITY, Double.NaN}) {
                    out.add(Check.of(CheckGroup.KERNEL_CONTRACTS, "full", Shapes.format(shape) + " value " + value + " " + dt.label(), () -> {
                        Conformance.Env env = conf.env();
                        if (dt == DType.FLOAT64) {
                            env.require(Capability.FLOAT64, "float64 samples");
                        }
                        Kernels k = env.testee.kernels();
                        DeviceArray a = k.full(shape.clone(), dt, value);
                        try {
                            double[] exp = new double[Shapes.sizeInt(shape)];
                            Arrays.fill(exp, Compare.round(value, dt));
                            if (a.dtype() != dt) {
                                throw new AssertionError("dtype " + a.dtype() + ", expected " + dt);
                            }
                            Compare.assertClose("", exp, shape, k.toDoubles(a), a.shape(), dt, OpRegistry.EXACT);
                        } finally {
                            k.release(a);
                        }
                    }));
                }
            }
        }
        out.add(Check.of(CheckGroup.KERNEL_CONTRACTS, "assign", "copies in place, also from a permuted view", () -> {
            Conformance.Env env = conf.env();
            env.require(Capability.IN_PLACE, "assign");
            Kernels k = env.testee.kernels();
            float[] src = new float[12];
            for (int i = 0; i < 12; i++) {
                src[i] = i * 1.25f - 3;
            }
            DeviceArray target = k.full(new int[] {4, 3}, DType.FLOAT32, 7);
            DeviceArray base = k.fromFloats(src, new int[] {3, 4});
            DeviceArray view = k.permute(base, new int[] {1, 0});
            try {
                k.assign(target, view);
                double[] expected = new double[12];
                for (int r = 0; r < 4; r++) {
                    for (int c = 0; c < 3; c++) {
                        expected[r * 3 + c] = src[c * 4 + r];
                    }
                }
                Compare.assertClose("target after assign", expected, new int[] {4, 3}, k.toDoubles(target), target.shape(),
                        DType.FLOAT32, OpRegistry.EXACT);
                k.release(view);
                view = null;
                k.release(base);
                base = null;
                Compare.assertClose("target after releasing the source", expected, new int[] {4, 3}, k.toDoubles(target),
                        target.shape(), DType.FLOAT32, OpRegistry.EXACT);
            } finally {
                k.release(target);
                if (view != null) {
                    k.release(view);
                }
                if (base != null) {
                    k.release(base);
                }
            }
        }));
        out.add(Check.of(CheckGroup.KERNEL_CONTRACTS, "assign", "is copy-on-write: never visible through views or bases", () -> {
            Conformance.Env env = conf.env();
            env.require(Capability.IN_PLACE, "assign");
            Kernels k = env.testee.kernels();
            float[] src = new float[12];
            for (int i = 0; i < 12; i++) {
                src[i] = i + 1;
            }
            double[] original = new double[12];
            for (int i = 0; i < 12; i++) {
                original[i] = src[i];
            }
            DeviceArray base = k.fromFloats(src, new int[] {3, 4});
            DeviceArray[] views = {k.permute(base, new int[] {1, 0}), k.reshape(base, new int[] {12}),
                    k.slice(base, 0, 1, 3)};
            DeviceArray fill = k.full(new int[] {3, 4}, DType.FLOAT32, -9);
            DeviceArray viewFill = k.full(new int[] {4, 3}, DType.FLOAT32, 5);
            try {
                k.assign(base, fill);
                Compare.assertClose("permute view after assign to its base", new double[] {1, 5, 9, 2, 6, 10, 3, 7, 11, 4, 8, 12},
                        new int[] {4, 3}, k.toDoubles(views[0]), views[0].shape(), DType.FLOAT32, OpRegistry.EXACT);
                Compare.assertClose("reshape view after assign to its base", original, new int[] {12}, k.toDoubles(views[1]),
                        views[1].shape(), DType.FLOAT32, OpRegistry.EXACT);
                Compare.assertClose("slice view after assign to its base", java.util.Arrays.copyOfRange(original, 4, 12),
                        new int[] {2, 4}, k.toDoubles(views[2]), views[2].shape(), DType.FLOAT32, OpRegistry.EXACT);
                k.assign(views[0], viewFill);
                double[] minusNine = new double[12];
                java.util.Arrays.fill(minusNine, -9);
                Compare.assertClose("base after assign to its permute view", minusNine, new int[] {3, 4}, k.toDoubles(base),
                        base.shape(), DType.FLOAT32, OpRegistry.EXACT);
                Compare.assertClose("reshape view after assign to a sibling view", original, new int[] {12},
                        k.toDoubles(views[1]), views[1].shape(), DType.FLOAT32, OpRegistry.EXACT);
            } finally {
                for (DeviceArray v : views) {
                    k.release(v);
                }
                k.release(base);
                k.release(fill);
                k.release(viewFill);
            }
        }));
        addViewCheck(out, conf, "permute", a -> conf.env().testee.kernels().permute(a, new int[] {1, 0}), new int[] {4, 3},
                (r, c) -> c * 4 + r);
        addViewCheck(out, conf, "reshape", a -> conf.env().testee.kernels().reshape(a, new int[] {2, 6}), new int[] {2, 6},
                (r, c) -> r * 6 + c);
        addViewCheck(out, conf, "slice", a -> conf.env().testee.kernels().slice(a, 1, 1, 3), new int[] {3, 2},
                (r, c) -> r * 4 + c + 1);
        out.add(Check.of(CheckGroup.KERNEL_CONTRACTS, "liveArrays", "counts creations and releases, views included", () -> {
            Kernels k = conf.env().testee.kernels();
            long before = k.liveArrays();
            DeviceArray a = k.fromFloats(new float[6], new int[] {2, 3});
            DeviceArray b = k.full(new int[] {3}, DType.FLOAT32, 1);
            DeviceArray v = k.permute(a, new int[] {1, 0});
            DeviceArray r = k.reshape(a, new int[] {6});
            DeviceArray s = k.binary(BinaryOp.ADD, a, b);
            DeviceArray u = k.unary(UnaryOp.EXP, v);
            DeviceArray[] all = {a, b, v, r, s, u};
            long during = k.liveArrays();
            for (DeviceArray x : all) {
                k.release(x);
            }
            long after = k.liveArrays();
            if (during != before + all.length) {
                throw new AssertionError("liveArrays went from " + before + " to " + during + " after creating " + all.length
                        + " arrays (views count: each is released on its own)");
            }
            if (after != before) {
                throw new AssertionError("liveArrays is " + after + " after releasing everything, was " + before);
            }
        }));
        return out;
    }

    /** Maps a (row, column) of a view to the flat index of the (3, 4) base it was taken from. */
    private interface IndexMap {
        int at(int r, int c);
    }

    private static void addViewCheck(List<Check> out, Conformance conf, String op, Function<DeviceArray, DeviceArray> view,
                                     int[] viewShape, IndexMap map) {
        for (boolean releaseBaseFirst : new boolean[] {true, false}) {
            String name = releaseBaseFirst ? op + " result stays valid after the input is released"
                    : "input stays valid after a " + op + " result is released";
            out.add(Check.of(CheckGroup.KERNEL_CONTRACTS, "views", name, () -> {
                Kernels k = conf.env().testee.kernels();
                float[] src = new float[12];
                for (int i = 0; i < 12; i++) {
                    src[i] = 10 + i;
                }
                DeviceArray base = k.fromFloats(src, new int[] {3, 4});
                DeviceArray v = view.apply(base);
                DeviceArray first = releaseBaseFirst ? base : v;
                DeviceArray kept = releaseBaseFirst ? v : base;
                DeviceArray churn = null;
                try {
                    k.release(first);
                    // allocate and write after the release so that reused storage would show
                    churn = k.full(new int[] {3, 4}, DType.FLOAT32, -1);
                    double[] expected;
                    if (releaseBaseFirst) {
                        expected = new double[viewShape[0] * viewShape[1]];
                        for (int r = 0; r < viewShape[0]; r++) {
                            for (int c = 0; c < viewShape[1]; c++) {
                                expected[r * viewShape[1] + c] = src[map.at(r, c)];
                            }
                        }
                    } else {
                        expected = new double[12];
                        for (int i = 0; i < 12; i++) {
                            expected[i] = src[i];
                        }
                    }
                    Compare.assertClose("", expected, releaseBaseFirst ? viewShape : new int[] {3, 4}, k.toDoubles(kept), kept.shape(),
                            DType.FLOAT32, OpRegistry.EXACT);
                } finally {
                    k.release(kept);
                    if (churn != null) {
                        k.release(churn);
                    }
                }
            }));
        }
    }
}
