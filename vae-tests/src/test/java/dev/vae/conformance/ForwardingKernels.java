package dev.vae.conformance;

import dev.vae.api.DType;
import dev.vae.api.spi.AdamHyper;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.Capability;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ReduceOp;
import dev.vae.api.spi.UnaryOp;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Kernels that forward every call, fused ones included, to another backend's kernels under a new
 * name. The suite's own tests subclass it to make deliberately broken backends (mutants).
 */
class ForwardingKernels implements Kernels {
    protected final Kernels d;
    private final String name;

    ForwardingKernels(Kernels delegate, String name) {
        this.d = delegate;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String deviceDescription() {
        return "mutant over " + d.deviceDescription();
    }

    @Override
    public Set<Capability> capabilities() {
        return d.capabilities();
    }

    @Override
    public DeviceArray fromFloats(float[] data, int[] shape) {
        return d.fromFloats(data, shape);
    }

    @Override
    public DeviceArray fromDoubles(double[] data, int[] shape) {
        return d.fromDoubles(data, shape);
    }

    @Override
    public DeviceArray full(int[] shape, DType dtype, double value) {
        return d.full(shape, dtype, value);
    }

    @Override
    public float[] toFloats(DeviceArray a) {
        return d.toFloats(a);
    }

    @Override
    public double[] toDoubles(DeviceArray a) {
        return d.toDoubles(a);
    }

    @Override
    public DeviceArray cast(DeviceArray a, DType dtype) {
        return d.cast(a, dtype);
    }

    @Override
    public DeviceArray reshape(DeviceArray a, int[] shape) {
        return d.reshape(a, shape);
    }

    @Override
    public DeviceArray permute(DeviceArray a, int[] axes) {
        return d.permute(a, axes);
    }

    @Override
    public DeviceArray slice(DeviceArray a, int axis, int start, int end) {
        return d.slice(a, axis, start, end);
    }

    @Override
    public DeviceArray concat(List<DeviceArray> parts, int axis) {
        return d.concat(parts, axis);
    }

    @Override
    public DeviceArray gatherRows(DeviceArray a, int[] rows) {
        return d.gatherRows(a, rows);
    }

    @Override
    public DeviceArray unary(UnaryOp op, DeviceArray a) {
        return d.unary(op, a);
    }

    @Override
    public DeviceArray binary(BinaryOp op, DeviceArray a, DeviceArray b) {
        return d.binary(op, a, b);
    }

    @Override
    public DeviceArray where(DeviceArray cond, DeviceArray a, DeviceArray b) {
        return d.where(cond, a, b);
    }

    @Override
    public DeviceArray reduce(ReduceOp op, DeviceArray a, int[] axes, boolean keepDims) {
        return d.reduce(op, a, axes, keepDims);
    }

    @Override
    public DeviceArray matmul(DeviceArray a, DeviceArray b, boolean transA, boolean transB) {
        return d.matmul(a, b, transA, transB);
    }

    @Override
    public void assign(DeviceArray target, DeviceArray source) {
        d.assign(target, source);
    }

    @Override
    public void release(DeviceArray a) {
        d.release(a);
    }

    @Override
    public OptionalLong deviceMemoryInUse() {
        return d.deviceMemoryInUse();
    }

    @Override
    public long liveArrays() {
        return d.liveArrays();
    }

    @Override
    public void close() {
        d.close();
    }

    @Override
    public DeviceArray scalar(BinaryOp op, DeviceArray a, double s) {
        return d.scalar(op, a, s);
    }

    @Override
    public DeviceArray linear(DeviceArray x, DeviceArray w, DeviceArray b) {
        return d.linear(x, w, b);
    }

    @Override
    public DeviceArray reluBackward(DeviceArray x, DeviceArray g) {
        return d.reluBackward(x, g);
    }

    @Override
    public DeviceArray bernoulliLogProb(DeviceArray logits, DeviceArray x) {
        return d.bernoulliLogProb(logits, x);
    }

    @Override
    public DeviceArray gaussianKlStdNormal(DeviceArray mu, DeviceArray logvar) {
        return d.gaussianKlStdNormal(mu, logvar);
    }

    @Override
    public DeviceArray logSumExp(DeviceArray a, int axis, boolean keepDims) {
        return d.logSumExp(a, axis, keepDims);
    }

    @Override
    public void adamStep(DeviceArray param, DeviceArray grad, DeviceArray m, DeviceArray v, AdamHyper h) {
        d.adamStep(param, grad, m, v, h);
    }

    @Override
    public DeviceArray philoxNormal(long seed, long stream, long counter, int[] shape, DType dtype) {
        return d.philoxNormal(seed, stream, counter, shape, dtype);
    }

    @Override
    public DeviceArray philoxUniform(long seed, long stream, long counter, int[] shape, DType dtype) {
        return d.philoxUniform(seed, stream, counter, shape, dtype);
    }

    /** @return a new array of {@code a}'s dtype holding {@code v} */
    protected DeviceArray upload(double[] v, int[] shape, DType dtype) {
        if (dtype == DType.FLOAT64) {
            return d.fromDoubles(v, shape);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return d.fromFloats(f, shape);
    }
}
