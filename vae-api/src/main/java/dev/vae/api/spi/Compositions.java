package dev.vae.api.spi;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.random.Philox;

/**
 * Reference compositions of the fused kernels in terms of the required ones. They are the default
 * implementations of {@link Kernels}'s fused methods and the oracle the conformance suite checks a
 * backend's overrides against. Each releases the intermediates it creates.
 */
public final class Compositions {
    private Compositions() {
    }

    /** {@code op(a, s)} with {@code s} as a scalar array. */
    public static DeviceArray scalar(Kernels k, BinaryOp op, DeviceArray a, double s) {
        DeviceArray sa = k.full(new int[0], a.dtype(), s);
        try {
            return k.binary(op, a, sa);
        } finally {
            k.release(sa);
        }
    }

    /** {@code x @ w^T + b}; {@code b} may be null. */
    public static DeviceArray linear(Kernels k, DeviceArray x, DeviceArray w, DeviceArray b) {
        DeviceArray y = k.matmul(x, w, false, true);
        if (b == null) {
            return y;
        }
        try {
            return k.binary(BinaryOp.ADD, y, b);
        } finally {
            k.release(y);
        }
    }

    /** {@code g * (x > 0)} element-wise: the gradient of ReLU at {@code x}. */
    public static DeviceArray reluBackward(Kernels k, DeviceArray x, DeviceArray g) {
        DeviceArray positive = k.scalar(BinaryOp.GT, x, 0.0);
        try {
            return k.binary(BinaryOp.MUL, g, positive);
        } finally {
            k.release(positive);
        }
    }

    /** {@code x*l - softplus(l)} element-wise. */
    public static DeviceArray bernoulliLogProb(Kernels k, DeviceArray logits, DeviceArray x) {
        DeviceArray xl = k.binary(BinaryOp.MUL, x, logits);
        DeviceArray sp = k.unary(UnaryOp.SOFTPLUS, logits);
        try {
            return k.binary(BinaryOp.SUB, xl, sp);
        } finally {
            k.release(xl);
            k.release(sp);
        }
    }

    /** {@code 0.5*(e^lv + mu^2 - 1 - lv)} element-wise. */
    public static DeviceArray gaussianKlStdNormal(Kernels k, DeviceArray mu, DeviceArray logvar) {
        DeviceArray var = k.unary(UnaryOp.EXP, logvar);
        DeviceArray mu2 = k.unary(UnaryOp.SQUARE, mu);
        DeviceArray s1 = k.binary(BinaryOp.ADD, var, mu2);
        DeviceArray s2 = k.binary(BinaryOp.SUB, s1, logvar);
        DeviceArray s3 = k.scalar(BinaryOp.SUB, s2, 1.0);
        try {
            return k.scalar(BinaryOp.MUL, s3, 0.5);
        } finally {
            k.release(var);
            k.release(mu2);
            k.release(s1);
            k.release(s2);
            k.release(s3);
        }
    }

    /**
     * {@code m + log(sum(exp(a - m)))} with {@code m} the max along {@code axis}, replaced by 0
     * where it is infinite so that all -inf slices give -inf rather than NaN.
     */
    public static DeviceArray logSumExp(Kernels k, DeviceArray a, int axis, boolean keepDims) {
        int[] ax = {Shapes.axis(axis, a.shape().length)};
        DeviceArray m = k.reduce(ReduceOp.MAX, a, ax, true);
        DeviceArray absM = k.unary(UnaryOp.ABS, m);
        DeviceArray finite = k.scalar(BinaryOp.LT, absM, Double.POSITIVE_INFINITY);
        DeviceArray zero = k.full(new int[0], a.dtype(), 0.0);
        DeviceArray mSafe = k.where(finite, m, zero);
        DeviceArray shifted = k.binary(BinaryOp.SUB, a, mSafe);
        DeviceArray e = k.unary(UnaryOp.EXP, shifted);
        DeviceArray s = k.reduce(ReduceOp.SUM, e, ax, true);
        DeviceArray ls = k.unary(UnaryOp.LOG, s);
        DeviceArray r = k.binary(BinaryOp.ADD, ls, mSafe);
        try {
            if (keepDims) {
                return r;
            }
            DeviceArray out = k.reshape(r, Shapes.reduced(a.shape(), ax, false));
            k.release(r);
            return out;
        } finally {
            for (DeviceArray t : new DeviceArray[] {m, absM, finite, zero, mSafe, shifted, e, s, ls}) {
                k.release(t);
            }
        }
    }

    /** One Adam(W) step in place; see {@link Kernels#adamStep}. */
    public static void adamStep(Kernels k, DeviceArray p, DeviceArray g, DeviceArray m, DeviceArray v, AdamHyper h) {
        DeviceArray m1 = k.scalar(BinaryOp.MUL, m, h.beta1());
        DeviceArray g1 = k.scalar(BinaryOp.MUL, g, 1 - h.beta1());
        DeviceArray mNew = k.binary(BinaryOp.ADD, m1, g1);
        DeviceArray v1 = k.scalar(BinaryOp.MUL, v, h.beta2());
        DeviceArray gg = k.unary(UnaryOp.SQUARE, g);
        DeviceArray g2 = k.scalar(BinaryOp.MUL, gg, 1 - h.beta2());
        DeviceArray vNew = k.binary(BinaryOp.ADD, v1, g2);
        DeviceArray mHat = k.scalar(BinaryOp.DIV, mNew, h.biasCorrection1());
        DeviceArray vHat = k.scalar(BinaryOp.DIV, vNew, h.biasCorrection2());
        DeviceArray den0 = k.unary(UnaryOp.SQRT, vHat);
        DeviceArray den = k.scalar(BinaryOp.ADD, den0, h.eps());
        DeviceArray ratio = k.binary(BinaryOp.DIV, mHat, den);
        DeviceArray upd = k.scalar(BinaryOp.MUL, ratio, h.lr());
        DeviceArray decayed = h.weightDecay() == 0 ? null : k.scalar(BinaryOp.MUL, p, 1 - h.lr() * h.weightDecay());
        DeviceArray pNew = k.binary(BinaryOp.SUB, decayed == null ? p : decayed, upd);
        k.assign(m, mNew);
        k.assign(v, vNew);
        k.assign(p, pNew);
        for (DeviceArray t : new DeviceArray[] {m1, g1, mNew, v1, gg, g2, vNew, mHat, vHat, den0, den, ratio, upd, pNew}) {
            k.release(t);
        }
        if (decayed != null) {
            k.release(decayed);
        }
    }

    /** Host-generated Philox normals uploaded to the backend. */
    public static DeviceArray philoxNormal(Kernels k, long seed, long stream, long counter, int[] shape, DType dtype) {
        int n = Shapes.sizeInt(shape);
        if (dtype == DType.FLOAT64) {
            double[] d = new double[n];
            Philox.normalDoubles(seed, stream, counter, d, 0, n);
            return k.fromDoubles(d, shape);
        }
        float[] f = new float[n];
        Philox.normalFloats(seed, stream, counter, f, 0, n);
        return k.fromFloats(f, shape);
    }

    /** Host-generated Philox uniforms uploaded to the backend. */
    public static DeviceArray philoxUniform(Kernels k, long seed, long stream, long counter, int[] shape, DType dtype) {
        int n = Shapes.sizeInt(shape);
        if (dtype == DType.FLOAT64) {
            double[] d = new double[n];
            Philox.uniformDoubles(seed, stream, counter, d, 0, n);
            return k.fromDoubles(d, shape);
        }
        float[] f = new float[n];
        Philox.uniformFloats(seed, stream, counter, f, 0, n);
        return k.fromFloats(f, shape);
    }
}
