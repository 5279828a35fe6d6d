package dev.vae.conformance;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.GradMode;
import dev.vae.api.Scope;
import dev.vae.api.Shapes;
import dev.vae.api.Tensor;
import dev.vae.api.random.Rng;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Materialises sample inputs on a backend (contiguous, permuted or sliced) and runs an op's
 * forward pass, its backward pass, and finite differences of it.
 */
@SuppressWarnings("try") // scopes and grad-mode guards are opened for their effect, not referenced
public final class Harness {
    private Harness() {
    }

    /** An op's result read back to the host. */
    public record Result(int[] shape, DType dtype, double[] values) {
    }

    /**
     * The values of every input as stored on the backend before any view is taken: the logical
     * values for contiguous inputs, the transposed values for permuted ones, and the values with a
     * row of NaN padding on each side for sliced ones.
     */
    public static final class Stored {
        final int[][] shapes;
        final double[][] values;

        Stored(int[][] shapes, double[][] values) {
            this.shapes = shapes;
            this.values = values;
        }

        /** @return a deep copy */
        Stored copy() {
            double[][] v = new double[values.length][];
            for (int i = 0; i < v.length; i++) {
                v[i] = values[i].clone();
            }
            return new Stored(shapes, v);
        }
    }

    /** Inputs on a backend: the leaves (what was created) and the views the op sees. */
    public static final class Inputs {
        final List<Tensor> leaves = new ArrayList<>();
        final List<Tensor> views = new ArrayList<>();
    }

    /** @return {@code v} rounded to {@code dtype} element by element (a copy) */
    public static double[] round(double[] v, DType dtype) {
        double[] r = v.clone();
        if (dtype == DType.FLOAT32) {
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) r[i];
            }
        }
        return r;
    }

    /** @return the deterministic seed of sample {@code index} of {@code op} */
    public static long seed(String op, int index) {
        return 0x5EEDL * 1_000_003L + op.hashCode() * 131L + index;
    }

    /** @return the logical values of the sample's inputs, rounded to {@code dtype} */
    public static double[][] logical(SampleInput s, long seed, DType dtype) {
        double[][] raw = s.generate(seed);
        for (int i = 0; i < raw.length; i++) {
            raw[i] = round(raw[i], dtype);
        }
        return raw;
    }

    /** @return the stored form of logical input values for the sample's layouts */
    public static Stored store(SampleInput s, double[][] logical) {
        int n = s.inputs().size();
        int[][] shapes = new int[n][];
        double[][] vals = new double[n][];
        for (int i = 0; i < n; i++) {
            InputSpec spec = s.inputs().get(i);
            int[] shape = spec.shape();
            double[] v = logical[i];
            switch (spec.layout()) {
                case PERMUTED: {
                    int r = shape.length;
                    int[] rev = new int[r];
                    for (int d = 0; d < r; d++) {
                        rev[d] = shape[r - 1 - d];
                    }
                    double[] st = new double[v.length];
                    int[] lstr = Shapes.strides(shape);
                    int[] sstr = Shapes.strides(rev);
                    int[] idx = new int[r];
                    for (int flat = 0; flat < v.length; flat++) {
                        int rem = flat;
                        int off = 0;
                        for (int d = 0; d < r; d++) {
                            idx[d] = rem / lstr[d];
                            rem -= idx[d] * lstr[d];
                        }
                        for (int d = 0; d < r; d++) {
                            off += idx[r - 1 - d] * sstr[d];
                        }
                        st[off] = v[flat];
                    }
                    shapes[i] = rev;
                    vals[i] = st;
                    break;
                }
                case SLICED: {
                    int[] padded = shape.clone();
                    padded[0] += 2;
                    int row = Shapes.sizeInt(Arrays.copyOfRange(shape, 1, shape.length));
                    double[] st = new double[Shapes.sizeInt(padded)];
                    Arrays.fill(st, Double.NaN);
                    System.arraycopy(v, 0, st, row, v.length);
                    shapes[i] = padded;
                    vals[i] = st;
                    break;
                }
                default:
                    shapes[i] = shape.clone();
                    vals[i] = v.clone();
            }
        }
        return new Stored(shapes, vals);
    }

    /**
     * Creates the sample's inputs on {@code b} in {@code dtype}, inside the current scope.
     *
     * @param grad whether the leaves of differentiated inputs require gradients
     */
    public static Inputs build(Backend b, DType dtype, SampleInput s, Stored st, boolean grad) {
        Inputs in = new Inputs();
        for (int i = 0; i < s.inputs().size(); i++) {
            InputSpec spec = s.inputs().get(i);
            Tensor leaf = b.tensor(st.values[i], dtype, st.shapes[i]);
            if (grad && spec.grad()) {
                leaf.requiresGrad(true);
            }
            Tensor view;
            switch (spec.layout()) {
                case PERMUTED: {
                    int r = spec.shape().length;
                    int[] axes = new int[r];
                    for (int d = 0; d < r; d++) {
                        axes[d] = r - 1 - d;
                    }
                    view = leaf.permute(axes);
                    break;
                }
                case SLICED:
                    view = leaf.slice(0, 1, spec.shape()[0] + 1);
                    break;
                default:
                    view = leaf;
            }
            in.leaves.add(leaf);
            in.views.add(view);
        }
        return in;
    }

    /**
     * Runs the op's forward pass on {@code b} (gradients off, inside a scope) and reads the result.
     *
     * @param logical when not null, the inputs are read back afterwards and must still hold these
     *                values (kernels must not modify their inputs)
     */
    public static Result forward(Backend b, OpInfo op, SampleInput s, DType dtype, Stored st, double[][] logical) {
        try (Scope scope = Scope.open(); GradMode.Guard g = GradMode.disable()) {
            Inputs in = build(b, dtype, s, st, false);
            OpInfo.Context ctx = new OpInfo.Context(b, dtype, s.args());
            Result r;
            if (op.tensorOp() != null) {
                Tensor out = op.tensorOp().apply(in.views, ctx);
                r = new Result(out.shape(), out.dtype(), out.toDoubles());
            } else {
                Kernels k = b.kernels();
                List<DeviceArray> arrays = new ArrayList<>();
                for (Tensor t : in.views) {
                    arrays.add(t.array());
                }
                DeviceArray out = op.kernelOp().apply(k, arrays, ctx);
                try {
                    r = new Result(out.shape().clone(), out.dtype(), k.toDoubles(out));
                } finally {
                    k.release(out);
                }
            }
            if (logical != null) {
                for (int i = 0; i < in.views.size(); i++) {
                    double[] now = in.views.get(i).toDoubles();
                    if (!sameBits(now, logical[i])) {
                        throw new AssertionError("modified input " + i + " " + s.inputs().get(i).describe()
                                + " (kernels must not write to their inputs)");
                    }
                }
            }
            return r;
        }
    }

    private static boolean sameBits(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!(a[i] == b[i] || (Double.isNaN(a[i]) && Double.isNaN(b[i])))) {
                return false;
            }
        }
        return true;
    }

    /** @return loss weights for an output of {@code n} elements: float32-representable, |w| in [0.5, 1.5] */
    public static double[] weights(long seed, int n) {
        double[] w = Values.awayFromZero(-1.5, 1.5, 0.5).generate(n, new Rng(seed, 99, 0));
        return round(w, DType.FLOAT32);
    }

    /**
     * Runs forward and backward of {@code loss = sum(op(inputs) * w)} and returns d loss / d leaf
     * for every input (null for inputs that are not differentiated), in stored order.
     *
     * @throws AssertionError if the op records no gradient although an input requires one
     */
    public static double[][] gradients(Backend b, OpInfo op, SampleInput s, DType dtype, Stored st, double[] w) {
        try (Scope scope = Scope.open(); GradMode.Guard g = GradMode.enable()) {
            Inputs in = build(b, dtype, s, st, true);
            OpInfo.Context ctx = new OpInfo.Context(b, dtype, s.args());
            Tensor out = op.tensorOp().apply(in.views, ctx);
            double[][] grads = new double[in.leaves.size()][];
            try {
                if (!out.requiresGrad()) {
                    throw new AssertionError("the result records no gradient although its inputs require one");
                }
                Tensor wt = b.tensor(w, out.dtype(), out.shape());
                Tensor loss = out.mul(wt).sum();
                loss.backward();
                for (int i = 0; i < in.leaves.size(); i++) {
                    if (!s.inputs().get(i).grad()) {
                        continue;
                    }
                    Tensor leaf = in.leaves.get(i);
                    Tensor gr = leaf.grad();
                    if (gr == null) {
                        grads[i] = new double[st.values[i].length];
                    } else {
                        if (!Arrays.equals(gr.shape(), leaf.shape())) {
                            throw new AssertionError("gradient of input " + i + " has shape " + Shapes.format(gr.shape())
                                    + ", expected " + Shapes.format(leaf.shape()));
                        }
                        grads[i] = gr.toDoubles();
                    }
                }
            } finally {
                for (Tensor leaf : in.leaves) {
                    leaf.zeroGrad();
                }
            }
            return grads;
        }
    }

    /**
     * Central finite differences of {@code loss = sum(op(inputs) * w)} in float64 on {@code b},
     * with respect to every stored element of every differentiated input (NaN padding excluded).
     */
    public static double[][] finiteDifferences(Backend b, OpInfo op, SampleInput s, Stored st, double[] w) {
        Stored work = st.copy();
        double[][] out = new double[st.values.length][];
        for (int i = 0; i < st.values.length; i++) {
            if (!s.inputs().get(i).grad()) {
                continue;
            }
            double[] v = work.values[i];
            out[i] = new double[v.length];
            for (int j = 0; j < v.length; j++) {
                double x = v[j];
                if (Double.isNaN(x)) {
                    continue;
                }
                double h = 1e-6 * Math.max(1, Math.abs(x));
                double xp = x + h;
                double xm = x - h;
                v[j] = xp;
                double fp = loss(b, op, s, work, w);
                v[j] = xm;
                double fm = loss(b, op, s, work, w);
                v[j] = x;
                out[i][j] = (fp - fm) / (xp - xm);
            }
        }
        return out;
    }

    private static double loss(Backend b, OpInfo op, SampleInput s, Stored st, double[] w) {
        double[] y = forward(b, op, s, DType.FLOAT64, st, null).values();
        double acc = 0;
        for (int i = 0; i < y.length; i++) {
            acc += y[i] * w[i];
        }
        return acc;
    }
}
