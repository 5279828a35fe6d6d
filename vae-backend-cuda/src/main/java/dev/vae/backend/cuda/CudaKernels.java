package dev.vae.backend.cuda;

import dev.vae.api.DType;
import dev.vae.api.Shapes;
import dev.vae.api.spi.AdamHyper;
import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.Capability;
import dev.vae.api.spi.Compositions;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ReduceOp;
import dev.vae.api.spi.UnaryOp;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The CUDA backend: every kernel of {@link Kernels} as PTX launched through the JCuda driver API,
 * on one device's primary context and its default stream. Work is queued without waiting; the
 * host blocks only in {@link #toFloats} and {@link #toDoubles} (and the synchronous host-to-device
 * copies of {@link #fromFloats}, {@link #fromDoubles} and {@link #gatherRows}'s indices).
 *
 * <p>Arrays are dense and row-major; broadcasting, permutes, slices and concatenation read and
 * write through stride vectors. Memory comes from a {@link CachingAllocator}; {@link #release}
 * returns it to the cache and {@link #close} frees everything. float32 and float64 are supported
 * by every kernel. The fused kernels (linear, Bernoulli log-likelihood, Gaussian KL, log-sum-exp,
 * Adam, Philox uniforms and normals generated on the device) override the compositions.
 *
 * <p>Options of the {@link BackendConfig}: {@code device} (ordinal, default 0 or the
 * {@code vae.cuda.device} system property) and {@code matmul} ({@code auto}: cuBLAS when
 * {@code libcublas.so.12} loads, else the tiled kernel; {@code tiled}; {@code cublas}: fail
 * without it).
 */
public final class CudaKernels implements Kernels {
    /** Backend name, same as the provider's. */
    public static final String NAME = "cuda";

    private static final int THREADS = CudaModule.THREADS;

    private final CudaModule cu;
    private final CachingAllocator<CUdeviceptr> alloc;
    private final MatmulEngine matmul;
    private final String description;
    private long live;
    private boolean closed;

    private CudaKernels(CudaModule cu, MatmulEngine matmul, String matmulNote) {
        this.cu = cu;
        this.matmul = matmul;
        this.alloc = new CachingAllocator<>(new CachingAllocator.RawMemory<>() {
            @Override
            public CUdeviceptr allocate(long bytes) {
                return cu.allocateRaw(bytes);
            }

            @Override
            public void free(CUdeviceptr pointer) {
                cu.freeRaw(pointer);
            }
        });
        this.description = cu.info().describe() + "; JCuda " + CudaProbe.jcudaVersion() + "; kernels PTX ISA "
                + cu.ptx().isa() + " for " + cu.ptx().target() + "; matmul: " + matmul.describe() + matmulNote;
    }

    /**
     * Opens the backend on the configured device.
     *
     * @throws IllegalStateException with the reason when CUDA cannot be used
     */
    static CudaKernels open(BackendConfig config) {
        Map<String, String> options = config.options();
        int device = parseDevice(options.get("device"));
        String mode = options.getOrDefault("matmul", "auto").trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("tiled") && !mode.equals("cublas")) {
            throw new IllegalArgumentException("cuda option matmul=" + mode + " is not one of auto, tiled, cublas");
        }
        CudaProbe.Outcome o = CudaProbe.inspect(device);
        if (!o.ok()) {
            throw new IllegalStateException("CUDA backend unavailable: " + o.failure());
        }
        CudaModule cu;
        try {
            cu = CudaModule.open(o.device(), PtxImage.bundled());
        } catch (IllegalStateException e) {
            throw new IllegalStateException("CUDA backend unavailable: " + e.getMessage(), e);
        } catch (Throwable t) {
            throw new IllegalStateException("CUDA backend unavailable: " + t, t);
        }
        try {
            MatmulEngine engine;
            String note = "";
            if (mode.equals("tiled")) {
                engine = new TiledMatmul(cu);
            } else {
                StringBuilder whyNot = new StringBuilder();
                engine = CublasMatmul.tryCreate(cu, whyNot);
                if (engine == null) {
                    if (mode.equals("cublas")) {
                        throw new IllegalStateException("cuda option matmul=cublas, but cuBLAS is unavailable: " + whyNot);
                    }
                    engine = new TiledMatmul(cu);
                    note = " (cuBLAS unavailable: " + whyNot + ")";
                }
            }
            return new CudaKernels(cu, engine, note);
        } catch (RuntimeException | Error e) {
            cu.close();
            throw e;
        }
    }

    private static int parseDevice(String s) {
        if (s == null || s.isBlank()) {
            return CudaProbe.defaultDevice();
        }
        try {
            int d = Integer.parseInt(s.trim());
            if (d < 0) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cuda option device=" + s + " is not a device ordinal (0, 1, ...)");
        }
    }

    // ------------------------------------------------------------------------------ identity

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String deviceDescription() {
        return description;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.FLOAT64, Capability.IN_PLACE, Capability.NATIVE_MEMORY);
    }

    // ------------------------------------------------------------------------------ helpers

    private void enter() {
        if (closed) {
            throw new IllegalStateException("the cuda backend is closed");
        }
        cu.makeCurrent();
    }

    private CudaArray arr(DeviceArray a) {
        if (!(a instanceof CudaArray c) || c.owner != this) {
            throw new IllegalArgumentException("not an array of this cuda backend: " + a);
        }
        if (c.released) {
            throw new IllegalStateException("use of a released array: " + c);
        }
        return c;
    }

    private CudaArray allocate(int[] shape, DType t) {
        int n = Shapes.sizeInt(shape);
        CudaArray.Storage s = new CudaArray.Storage(n == 0 ? null : alloc.allocate((long) n * t.byteSize()));
        CudaArray a = new CudaArray(this, shape.clone(), t, s);
        live++;
        return a;
    }

    private CudaArray view(CudaArray a, int[] shape) {
        a.storage.refs++;
        live++;
        return new CudaArray(this, shape.clone(), a.dtype(), a.storage);
    }

    /** Gives {@code a} a storage nobody else sees, copying the contents if {@code keep}. */
    private void ensureExclusive(CudaArray a, boolean keep) {
        if (a.storage.refs <= 1 || a.storage.block == null) {
            return;
        }
        CudaArray.Storage fresh = new CudaArray.Storage(alloc.allocate(a.bytes()));
        if (keep) {
            Cuda.check(JCudaDriver.cuMemcpyDtoDAsync(fresh.block.pointer(), a.ptr(), a.bytes(), null), "cuMemcpyDtoDAsync");
        }
        a.storage.refs--;
        a.storage = fresh;
    }

    private static void requireSameDtype(CudaArray... as) {
        for (CudaArray x : as) {
            if (x.dtype() != as[0].dtype()) {
                throw new IllegalArgumentException("operands have different dtypes: " + Arrays.toString(as));
            }
        }
    }

    private static void requireSameShape(String op, CudaArray... as) {
        for (CudaArray x : as) {
            if (!Arrays.equals(x.shape(), as[0].shape())) {
                throw new IllegalArgumentException(op + ": operands must have the same shape, got " + Arrays.toString(as));
            }
        }
    }

    private static Object scalarArg(DType t, double v) {
        return t == DType.FLOAT64 ? (Object) v : (Object) (float) v;
    }

    /** Strided copy of a layout: operand 0 read from {@code src}, operand 1 written to {@code dst}. */
    private void copyStrided(DType t, CUdeviceptr src, CUdeviceptr dst, StridedLayout layout) {
        int es = t.byteSize();
        for (StridedLayout.Chunk c : layout.chunks()) {
            cu.launch(KernelEntry.COPY, t, cu.blocksFor(c.count()), 1, THREADS,
                    offset(src, c.offsets()[0] * es), offset(dst, c.offsets()[1] * es), c.count(), c.packed());
        }
    }

    private static CUdeviceptr offset(CUdeviceptr p, long bytes) {
        return bytes == 0 ? p : p.withByteOffset(bytes);
    }

    // ------------------------------------------------------------------------------ creation and transfer

    @Override
    public DeviceArray fromFloats(float[] data, int[] shape) {
        enter();
        int n = Shapes.sizeInt(Shapes.validate(shape));
        if (data.length != n) {
            throw new IllegalArgumentException(data.length + " floats given for shape " + Shapes.format(shape));
        }
        CudaArray out = allocate(shape, DType.FLOAT32);
        if (n > 0) {
            Cuda.check(JCudaDriver.cuMemcpyHtoD(out.ptr(), Pointer.to(data), out.bytes()), "cuMemcpyHtoD");
        }
        return out;
    }

    @Override
    public DeviceArray fromDoubles(double[] data, int[] shape) {
        enter();
        int n = Shapes.sizeInt(Shapes.validate(shape));
        if (data.length != n) {
            throw new IllegalArgumentException(data.length + " doubles given for shape " + Shapes.format(shape));
        }
        CudaArray out = allocate(shape, DType.FLOAT64);
        if (n > 0) {
            Cuda.check(JCudaDriver.cuMemcpyHtoD(out.ptr(), Pointer.to(data), out.bytes()), "cuMemcpyHtoD");
        }
        return out;
    }

    @Override
    public DeviceArray full(int[] shape, DType dtype, double value) {
        enter();
        CudaArray out = allocate(Shapes.validate(shape), dtype);
        if (out.size() > 0) {
            cu.launch(KernelEntry.FILL, dtype, cu.blocksFor(out.size()), 1, THREADS, out.ptr(), (long) out.size(),
                    scalarArg(dtype, value));
        }
        return out;
    }

    @Override
    public float[] toFloats(DeviceArray a) {
        enter();
        CudaArray x = arr(a);
        float[] out = new float[x.size()];
        if (x.size() == 0) {
            return out;
        }
        if (x.dtype() == DType.FLOAT32) {
            Cuda.check(JCudaDriver.cuMemcpyDtoH(Pointer.to(out), x.ptr(), x.bytes()), "cuMemcpyDtoH");
        } else {
            double[] d = new double[x.size()];
            Cuda.check(JCudaDriver.cuMemcpyDtoH(Pointer.to(d), x.ptr(), x.bytes()), "cuMemcpyDtoH");
            for (int i = 0; i < d.length; i++) {
                out[i] = (float) d[i];
            }
        }
        return out;
    }

    @Override
    public double[] toDoubles(DeviceArray a) {
        enter();
        CudaArray x = arr(a);
        double[] out = new double[x.size()];
        if (x.size() == 0) {
            return out;
        }
        if (x.dtype() == DType.FLOAT64) {
            Cuda.check(JCudaDriver.cuMemcpyDtoH(Pointer.to(out), x.ptr(), x.bytes()), "cuMemcpyDtoH");
        } else {
            float[] f = new float[x.size()];
            Cuda.check(JCudaDriver.cuMemcpyDtoH(Pointer.to(f), x.ptr(), x.bytes()), "cuMemcpyDtoH");
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
        }
        return out;
    }

    @Override
    public DeviceArray cast(DeviceArray a, DType dtype) {
        enter();
        CudaArray x = arr(a);
        if (x.dtype() == dtype) {
            return view(x, x.shape());
        }
        CudaArray out = allocate(x.shape(), dtype);
        if (x.size() > 0) {
            KernelEntry e = dtype == DType.FLOAT64 ? KernelEntry.CAST_F32_F64 : KernelEntry.CAST_F64_F32;
            cu.launch(e, dtype, cu.blocksFor(x.size()), 1, THREADS, x.ptr(), out.ptr(), (long) x.size());
        }
        return out;
    }

    // ------------------------------------------------------------------------------ movement

    @Override
    public DeviceArray reshape(DeviceArray a, int[] shape) {
        enter();
        CudaArray x = arr(a);
        if (Shapes.size(Shapes.validate(shape)) != x.size()) {
            throw new IllegalArgumentException("cannot reshape " + Shapes.format(x.shape()) + " to " + Shapes.format(shape));
        }
        return view(x, shape);
    }

    @Override
    public DeviceArray permute(DeviceArray a, int[] axes) {
        enter();
        CudaArray x = arr(a);
        int r = x.shape().length;
        if (axes.length != r) {
            throw new IllegalArgumentException("permutation " + Arrays.toString(axes) + " for rank " + r);
        }
        boolean[] seen = new boolean[r];
        boolean identity = true;
        for (int i = 0; i < r; i++) {
            if (axes[i] < 0 || axes[i] >= r || seen[axes[i]]) {
                throw new IllegalArgumentException(Arrays.toString(axes) + " is not a permutation of " + r + " axes");
            }
            seen[axes[i]] = true;
            identity &= axes[i] == i;
        }
        int[] outShape = new int[r];
        int[] inStrides = StridedLayout.contiguousStrides(x.shape());
        int[] src = new int[r];
        for (int i = 0; i < r; i++) {
            outShape[i] = x.shape()[axes[i]];
            src[i] = inStrides[axes[i]];
        }
        if (identity) {
            return view(x, outShape);
        }
        CudaArray out = allocate(outShape, x.dtype());
        if (out.size() > 0) {
            copyStrided(x.dtype(), x.ptr(), out.ptr(),
                    StridedLayout.of(outShape, src, StridedLayout.contiguousStrides(outShape)));
        }
        return out;
    }

    @Override
    public DeviceArray slice(DeviceArray a, int axis, int start, int end) {
        enter();
        CudaArray x = arr(a);
        int r = x.shape().length;
        int ax = Shapes.axis(axis, r);
        int dim = x.shape()[ax];
        if (start < 0 || start > end || end > dim) {
            throw new IllegalArgumentException("slice [" + start + ", " + end + ") of axis " + ax + " with size " + dim);
        }
        if (start == 0 && end == dim) {
            return view(x, x.shape());
        }
        int[] outShape = x.shape().clone();
        outShape[ax] = end - start;
        CudaArray out = allocate(outShape, x.dtype());
        if (out.size() > 0) {
            int[] inStrides = StridedLayout.contiguousStrides(x.shape());
            copyStrided(x.dtype(), x.ptr((long) start * inStrides[ax]), out.ptr(),
                    StridedLayout.of(outShape, inStrides, StridedLayout.contiguousStrides(outShape)));
        }
        return out;
    }

    @Override
    public DeviceArray concat(List<DeviceArray> parts, int axis) {
        enter();
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat of no arrays");
        }
        CudaArray first = arr(parts.get(0));
        int r = first.shape().length;
        int ax = Shapes.axis(axis, r);
        CudaArray[] xs = new CudaArray[parts.size()];
        long total = 0;
        for (int i = 0; i < xs.length; i++) {
            xs[i] = arr(parts.get(i));
            int[] s = xs[i].shape();
            boolean fits = s.length == r && xs[i].dtype() == first.dtype();
            for (int d = 0; d < r && fits; d++) {
                fits = d == ax || s[d] == first.shape()[d];
            }
            if (!fits) {
                throw new IllegalArgumentException("concat along axis " + ax + ": " + xs[i] + " does not fit " + first);
            }
            total += s[ax];
        }
        int[] outShape = first.shape().clone();
        outShape[ax] = Math.toIntExact(total);
        CudaArray out = allocate(outShape, first.dtype());
        if (out.size() == 0) {
            return out;
        }
        int[] outStrides = StridedLayout.contiguousStrides(outShape);
        long at = 0;
        for (CudaArray x : xs) {
            if (x.size() > 0) {
                copyStrided(x.dtype(), x.ptr(), out.ptr(at * outStrides[ax]),
                        StridedLayout.of(x.shape(), StridedLayout.contiguousStrides(x.shape()), outStrides));
            }
            at += x.shape()[ax];
        }
        return out;
    }

    @Override
    public DeviceArray gatherRows(DeviceArray a, int[] rows) {
        enter();
        CudaArray x = arr(a);
        if (x.shape().length == 0) {
            throw new IllegalArgumentException("gatherRows of a scalar");
        }
        int nRows = x.shape()[0];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= nRows) {
                throw new IllegalArgumentException("row index " + rows[i] + " at position " + i + " is out of range for "
                        + nRows + " rows");
            }
        }
        int[] outShape = x.shape().clone();
        outShape[0] = rows.length;
        long rowLen = 1;
        for (int d = 1; d < x.shape().length; d++) {
            rowLen *= x.shape()[d];
        }
        CudaArray out = allocate(outShape, x.dtype());
        if (out.size() == 0) {
            return out;
        }
        CachingAllocator.Block<CUdeviceptr> idx = alloc.allocate(4L * rows.length);
        try {
            Cuda.check(JCudaDriver.cuMemcpyHtoD(idx.pointer(), Pointer.to(rows), 4L * rows.length), "cuMemcpyHtoD");
            cu.launch(KernelEntry.GATHER_ROWS, x.dtype(), cu.blocksFor(out.size()), 1, THREADS, x.ptr(), idx.pointer(),
                    out.ptr(), (long) out.size(), rowLen);
        } finally {
            alloc.free(idx);
        }
        return out;
    }

    // ------------------------------------------------------------------------------ element-wise

    @Override
    public DeviceArray unary(UnaryOp op, DeviceArray a) {
        enter();
        CudaArray x = arr(a);
        CudaArray out = allocate(x.shape(), x.dtype());
        if (x.size() > 0) {
            cu.launch(KernelEntry.UNARY, x.dtype(), cu.blocksFor(x.size()), 1, THREADS, OpCodes.unary(op), x.ptr(),
                    out.ptr(), (long) x.size());
        }
        return out;
    }

    @Override
    public DeviceArray binary(BinaryOp op, DeviceArray a, DeviceArray b) {
        enter();
        CudaArray x = arr(a);
        CudaArray y = arr(b);
        requireSameDtype(x, y);
        int[] outShape = Shapes.broadcast(x.shape(), y.shape());
        CudaArray out = allocate(outShape, x.dtype());
        if (out.size() == 0) {
            return out;
        }
        StridedLayout layout = StridedLayout.of(outShape, StridedLayout.broadcastStrides(x.shape(), outShape),
                StridedLayout.broadcastStrides(y.shape(), outShape));
        int es = x.dtype().byteSize();
        int code = OpCodes.binary(op);
        for (StridedLayout.Chunk c : layout.chunks()) {
            cu.launch(KernelEntry.BINARY, x.dtype(), cu.blocksFor(c.count()), 1, THREADS, code,
                    offset(x.ptr(), c.offsets()[0] * es), offset(y.ptr(), c.offsets()[1] * es),
                    offset(out.ptr(), c.linearOffset() * es), c.count(), c.packed());
        }
        return out;
    }

    @Override
    public DeviceArray where(DeviceArray cond, DeviceArray a, DeviceArray b) {
        enter();
        CudaArray c = arr(cond);
        CudaArray x = arr(a);
        CudaArray y = arr(b);
        requireSameDtype(c, x, y);
        int[] outShape = Shapes.broadcast(Shapes.broadcast(c.shape(), x.shape()), y.shape());
        CudaArray out = allocate(outShape, x.dtype());
        if (out.size() == 0) {
            return out;
        }
        StridedLayout layout = StridedLayout.of(outShape, StridedLayout.broadcastStrides(c.shape(), outShape),
                StridedLayout.broadcastStrides(x.shape(), outShape), StridedLayout.broadcastStrides(y.shape(), outShape));
        int es = x.dtype().byteSize();
        for (StridedLayout.Chunk ch : layout.chunks()) {
            cu.launch(KernelEntry.WHERE, x.dtype(), cu.blocksFor(ch.count()), 1, THREADS,
                    offset(c.ptr(), ch.offsets()[0] * es), offset(x.ptr(), ch.offsets()[1] * es),
                    offset(y.ptr(), ch.offsets()[2] * es), offset(out.ptr(), ch.linearOffset() * es), ch.count(),
                    ch.packed());
        }
        return out;
    }

    // ------------------------------------------------------------------------------ reductions and matmul

    @Override
    public DeviceArray reduce(ReduceOp op, DeviceArray a, int[] axes, boolean keepDims) {
        enter();
        CudaArray x = arr(a);
        if (axes.length == 0) {
            return view(x, x.shape());
        }
        int[] ax = Shapes.axes(axes, x.shape().length);
        int[] outShape = Shapes.reduced(x.shape(), ax, keepDims);
        CudaArray out = allocate(outShape, x.dtype());
        if (out.size() == 0) {
            return out;
        }
        ReducePlan plan = ReducePlan.of(x.shape(), ax);
        int code = OpCodes.reduce(op);
        if (plan.reduced() == 0) {
            double identity = op == ReduceOp.SUM ? 0.0 : Double.NEGATIVE_INFINITY;
            cu.launch(KernelEntry.FILL, x.dtype(), cu.blocksFor(out.size()), 1, THREADS, out.ptr(), (long) out.size(),
                    scalarArg(x.dtype(), identity));
            return out;
        }
        CudaArray src = x;
        if (plan.permutation() != null) {
            src = (CudaArray) permute(x, plan.permutation());
        }
        try {
            reduceInto(code, x.dtype(), src.ptr(), out.ptr(), (int) plan.outer(), (int) plan.reduced(),
                    (int) plan.inner());
        } finally {
            if (src != x) {
                release(src);
            }
        }
        return out;
    }

    /**
     * Reduces the middle axis of an (outer, reduced, inner) block into {@code out}. When too few
     * items would keep the device busy, the reduced axis is cut into segments whose partial
     * results are reduced by a second pass.
     */
    private void reduceInto(int code, DType t, CUdeviceptr in, CUdeviceptr out, int outer, int reduced, int inner) {
        long target = (long) cu.multiprocessors() * 2048;
        if (inner == 1) {
            int tpr = reduced >= 1024 ? THREADS : 32;
            ReducePlan.Segments s = ReducePlan.segments((long) outer * tpr, reduced, target, 16384, 4096);
            if (s.count() > 1) {
                CachingAllocator.Block<CUdeviceptr> tmp = alloc.allocate((long) outer * s.count() * t.byteSize());
                try {
                    launchInner(code, t, in, tmp.pointer(), outer, reduced, s.count(), s.length(), tpr);
                    reduceInto(code, t, tmp.pointer(), out, outer, s.count(), 1);
                } finally {
                    alloc.free(tmp);
                }
                return;
            }
            launchInner(code, t, in, out, outer, reduced, 1, reduced, tpr);
        } else {
            long items = (long) outer * inner;
            ReducePlan.Segments s = ReducePlan.segments(items, reduced, target, 256, 64);
            if (s.count() > 1) {
                CachingAllocator.Block<CUdeviceptr> tmp = alloc.allocate(items * s.count() * t.byteSize());
                try {
                    cu.launch(KernelEntry.REDUCE_OUTER, t, cu.blocksFor(items * s.count()), 1, THREADS, code, in,
                            tmp.pointer(), outer, reduced, inner, s.count(), s.length());
                    reduceInto(code, t, tmp.pointer(), out, outer, s.count(), inner);
                } finally {
                    alloc.free(tmp);
                }
                return;
            }
            cu.launch(KernelEntry.REDUCE_OUTER, t, cu.blocksFor(items), 1, THREADS, code, in, out, outer, reduced, inner,
                    1, reduced);
        }
    }

    private void launchInner(int code, DType t, CUdeviceptr in, CUdeviceptr out, int outer, int reduced, int segs,
                             int segLen, int tpr) {
        long items = (long) outer * segs;
        int groupsPerBlock = THREADS / tpr;
        int grid = (int) Math.max(1, Math.min(ceilDiv(items, groupsPerBlock), cu.maxBlocks()));
        cu.launch(KernelEntry.REDUCE_INNER, t, grid, 1, THREADS, code, in, out, outer, reduced, segs, segLen, tpr);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    @Override
    public DeviceArray matmul(DeviceArray a, DeviceArray b, boolean transA, boolean transB) {
        enter();
        return gemm(arr(a), arr(b), null, transA, transB);
    }

    private CudaArray gemm(CudaArray x, CudaArray y, CudaArray bias, boolean transA, boolean transB) {
        if (x.shape().length != 2 || y.shape().length != 2) {
            throw new IllegalArgumentException("matmul needs 2-D operands, got " + x + " and " + y);
        }
        requireSameDtype(x, y);
        int m = transA ? x.shape()[1] : x.shape()[0];
        int k = transA ? x.shape()[0] : x.shape()[1];
        int kb = transB ? y.shape()[1] : y.shape()[0];
        int n = transB ? y.shape()[0] : y.shape()[1];
        if (k != kb) {
            throw new IllegalArgumentException("matmul inner dimensions differ: " + x + (transA ? "^T" : "") + " @ " + y
                    + (transB ? "^T" : ""));
        }
        if (bias != null && (bias.shape().length != 1 || bias.shape()[0] != n || bias.dtype() != x.dtype())) {
            throw new IllegalArgumentException("bias " + bias + " does not match " + n + " outputs");
        }
        DType t = x.dtype();
        CudaArray out = allocate(new int[] {m, n}, t);
        if (out.size() == 0) {
            return out;
        }
        if (k == 0) {
            long total = out.size();
            if (bias != null) {
                cu.launch(KernelEntry.BIAS_ROWS, t, cu.blocksFor(total), 1, THREADS, bias.ptr(), out.ptr(), total, n);
            } else {
                cu.launch(KernelEntry.FILL, t, cu.blocksFor(total), 1, THREADS, out.ptr(), total, scalarArg(t, 0));
            }
            return out;
        }
        matmul.gemm(t, x.ptr(), y.ptr(), out.ptr(), bias == null ? null : bias.ptr(), m, n, k, transA, transB);
        return out;
    }

    // ------------------------------------------------------------------------------ in-place and memory

    @Override
    public void assign(DeviceArray target, DeviceArray source) {
        enter();
        CudaArray t = arr(target);
        CudaArray s = arr(source);
        if (!Arrays.equals(t.shape(), s.shape()) || t.dtype() != s.dtype()) {
            throw new IllegalArgumentException("assign of " + s + " to " + t + ": shapes and dtypes must match");
        }
        if (t.storage == s.storage || t.size() == 0) {
            return;
        }
        ensureExclusive(t, false);
        Cuda.check(JCudaDriver.cuMemcpyDtoDAsync(t.ptr(), s.ptr(), t.bytes(), null), "cuMemcpyDtoDAsync");
    }

    @Override
    public void release(DeviceArray a) {
        if (!(a instanceof CudaArray c) || c.owner != this) {
            throw new IllegalArgumentException("not an array of this cuda backend: " + a);
        }
        if (c.released) {
            return;
        }
        c.released = true;
        live--;
        if (closed) {
            return;
        }
        if (--c.storage.refs == 0 && c.storage.block != null) {
            alloc.free(c.storage.block);
        }
    }

    @Override
    public long liveArrays() {
        return live;
    }

    /** Frees every device block (live or cached), cuBLAS, the module and the context reference. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            cu.makeCurrent();
            matmul.close();
            alloc.close();
        } finally {
            cu.close();
        }
    }

    /** @return bytes in device blocks held by live arrays (for diagnostics and tests) */
    long liveBytes() {
        return alloc.liveBytes();
    }

    /** {@inheritDoc} The caching allocator's bytes in blocks held by live arrays (size classes included). */
    @Override
    public OptionalLong deviceMemoryInUse() {
        return OptionalLong.of(alloc.liveBytes());
    }

    /** @return bytes held in the allocator's free lists (for diagnostics and tests) */
    long cachedBytes() {
        return alloc.cachedBytes();
    }

    /** @return raw cuMemAlloc calls so far (for diagnostics and tests) */
    long rawAllocations() {
        return alloc.rawAllocations();
    }

    /** Waits for all queued work (for tests and diagnostics). */
    void synchronize() {
        enter();
        cu.synchronize();
    }

    // ------------------------------------------------------------------------------ fused

    @Override
    public DeviceArray scalar(BinaryOp op, DeviceArray a, double s) {
        enter();
        CudaArray x = arr(a);
        CudaArray out = allocate(x.shape(), x.dtype());
        if (x.size() > 0) {
            cu.launch(KernelEntry.BINARY_SCALAR, x.dtype(), cu.blocksFor(x.size()), 1, THREADS, OpCodes.binary(op),
                    x.ptr(), scalarArg(x.dtype(), s), out.ptr(), (long) x.size());
        }
        return out;
    }

    @Override
    public DeviceArray linear(DeviceArray x, DeviceArray w, DeviceArray b) {
        enter();
        CudaArray in = arr(x);
        CudaArray weight = arr(w);
        CudaArray bias = b == null ? null : arr(b);
        if (in.shape().length != 2 || weight.shape().length != 2 || in.shape()[1] != weight.shape()[1]) {
            throw new IllegalArgumentException("linear: x " + in + " and w " + weight + " do not fit (x @ w^T)");
        }
        return gemm(in, weight, bias, false, true);
    }

    @Override
    public DeviceArray reluBackward(DeviceArray x, DeviceArray g) {
        enter();
        CudaArray xa = arr(x);
        CudaArray ga = arr(g);
        if (!Arrays.equals(xa.shape(), ga.shape())) {
            return Compositions.reluBackward(this, x, g);
        }
        requireSameDtype(xa, ga);
        CudaArray out = allocate(ga.shape(), ga.dtype());
        if (ga.size() > 0) {
            cu.launch(KernelEntry.RELU_BACKWARD, ga.dtype(), cu.blocksFor(ga.size()), 1, THREADS, xa.ptr(), ga.ptr(),
                    out.ptr(), (long) ga.size());
        }
        return out;
    }

    @Override
    public DeviceArray bernoulliLogProb(DeviceArray logits, DeviceArray x) {
        enter();
        CudaArray l = arr(logits);
        CudaArray t = arr(x);
        if (!Arrays.equals(l.shape(), t.shape())) {
            return Compositions.bernoulliLogProb(this, logits, x);
        }
        requireSameDtype(l, t);
        CudaArray out = allocate(l.shape(), l.dtype());
        if (l.size() > 0) {
            cu.launch(KernelEntry.BERNOULLI_LOG_PROB, l.dtype(), cu.blocksFor(l.size()), 1, THREADS, l.ptr(), t.ptr(),
                    out.ptr(), (long) l.size());
        }
        return out;
    }

    @Override
    public DeviceArray gaussianKlStdNormal(DeviceArray mu, DeviceArray logvar) {
        enter();
        CudaArray m = arr(mu);
        CudaArray lv = arr(logvar);
        if (!Arrays.equals(m.shape(), lv.shape())) {
            return Compositions.gaussianKlStdNormal(this, mu, logvar);
        }
        requireSameDtype(m, lv);
        CudaArray out = allocate(m.shape(), m.dtype());
        if (m.size() > 0) {
            cu.launch(KernelEntry.GAUSSIAN_KL, m.dtype(), cu.blocksFor(m.size()), 1, THREADS, m.ptr(), lv.ptr(),
                    out.ptr(), (long) m.size());
        }
        return out;
    }

    @Override
    public DeviceArray logSumExp(DeviceArray a, int axis, boolean keepDims) {
        enter();
        CudaArray x = arr(a);
        int[] shape = x.shape();
        int ax = Shapes.axis(axis, shape.length);
        long outer = 1;
        long inner = 1;
        for (int d = 0; d < ax; d++) {
            outer *= shape[d];
        }
        for (int d = ax + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int reduced = shape[ax];
        CudaArray out = allocate(Shapes.reduced(shape, new int[] {ax}, keepDims), x.dtype());
        if (out.size() == 0) {
            return out;
        }
        DType t = x.dtype();
        if (reduced == 0) {
            cu.launch(KernelEntry.FILL, t, cu.blocksFor(out.size()), 1, THREADS, out.ptr(), (long) out.size(),
                    scalarArg(t, Double.NEGATIVE_INFINITY));
        } else if (inner == 1) {
            int tpr = reduced >= 1024 ? THREADS : 32;
            int grid = (int) Math.max(1, Math.min(ceilDiv(outer, THREADS / tpr), cu.maxBlocks()));
            cu.launch(KernelEntry.LOGSUMEXP_INNER, t, grid, 1, THREADS, x.ptr(), out.ptr(), (int) outer, reduced, tpr);
        } else {
            cu.launch(KernelEntry.LOGSUMEXP_OUTER, t, cu.blocksFor(outer * inner), 1, THREADS, x.ptr(), out.ptr(),
                    (int) outer, reduced, (int) inner);
        }
        return out;
    }

    @Override
    public void adamStep(DeviceArray param, DeviceArray grad, DeviceArray m, DeviceArray v, AdamHyper h) {
        enter();
        CudaArray p = arr(param);
        CudaArray g = arr(grad);
        CudaArray m1 = arr(m);
        CudaArray v1 = arr(v);
        requireSameShape("adamStep", p, g, m1, v1);
        requireSameDtype(p, g, m1, v1);
        if (p.size() == 0) {
            return;
        }
        ensureExclusive(p, true);
        ensureExclusive(m1, true);
        ensureExclusive(v1, true);
        cu.launch(KernelEntry.ADAM, p.dtype(), cu.blocksFor(p.size()), 1, THREADS, p.ptr(), g.ptr(), m1.ptr(), v1.ptr(),
                (long) p.size(), h.lr(), h.beta1(), h.beta2(), h.eps(), h.biasCorrection1(), h.biasCorrection2(),
                h.weightDecay());
    }

    @Override
    public DeviceArray philoxNormal(long seed, long stream, long counter, int[] shape, DType dtype) {
        return philox(KernelEntry.PHILOX_NORMAL, seed, stream, counter, shape, dtype);
    }

    @Override
    public DeviceArray philoxUniform(long seed, long stream, long counter, int[] shape, DType dtype) {
        return philox(KernelEntry.PHILOX_UNIFORM, seed, stream, counter, shape, dtype);
    }

    private DeviceArray philox(KernelEntry e, long seed, long stream, long counter, int[] shape, DType dtype) {
        enter();
        CudaArray out = allocate(Shapes.validate(shape), dtype);
        int n = out.size();
        if (n > 0) {
            long blocks = (n + (dtype == DType.FLOAT64 ? 1L : 3L)) / (dtype == DType.FLOAT64 ? 2 : 4);
            cu.launch(e, dtype, cu.blocksFor(blocks), 1, THREADS, out.ptr(), (long) n, seed, stream, counter);
        }
        return out;
    }

    @Override
    public String toString() {
        return "CudaKernels[" + description + "]";
    }
}
