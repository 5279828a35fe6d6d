package dev.vae.backend.cuda;

import dev.vae.api.DType;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUjit_option;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.driver.JITOptions;

import java.util.HashMap;
import java.util.Map;

/**
 * A device's primary context with the module's PTX loaded: resolves every {@link KernelEntry},
 * launches kernels on the context's default (legacy) stream and hands out raw device memory.
 * Using the primary context lets cuBLAS, which works through the CUDA runtime, share it.
 */
final class CudaModule implements AutoCloseable {
    /** Threads per block of every element-wise and reduction kernel. */
    static final int THREADS = 256;
    /** A null device pointer argument (the kernels test for it, e.g. a missing bias). */
    static final CUdeviceptr NULL = new CUdeviceptr();

    private final DeviceInfo info;
    private final PtxImage ptx;
    private final CUdevice device;
    private final CUcontext context;
    private final CUmodule module;
    private final Map<String, CUfunction> functions;
    private final int maxBlocks;
    private boolean closed;

    private CudaModule(DeviceInfo info, PtxImage ptx, CUdevice device, CUcontext context, CUmodule module,
                       Map<String, CUfunction> functions) {
        this.info = info;
        this.ptx = ptx;
        this.device = device;
        this.context = context;
        this.module = module;
        this.functions = functions;
        this.maxBlocks = Math.max(1, info.multiprocessors()) * 16;
    }

    /**
     * Retains the device's primary context, makes it current and loads the PTX.
     *
     * @throws IllegalStateException naming the cause, e.g. "driver too old for PTX ISA 7.0 ..."
     */
    static CudaModule open(DeviceInfo info, PtxImage ptx) {
        CUdevice dev = new CUdevice();
        Cuda.check(JCudaDriver.cuDeviceGet(dev, info.index()), "cuDeviceGet(" + info.index() + ")");
        CUcontext ctx = new CUcontext();
        Cuda.check(JCudaDriver.cuDevicePrimaryCtxRetain(ctx, dev), "cuDevicePrimaryCtxRetain(device " + info.index() + ")");
        CUmodule module = null;
        try {
            Cuda.check(JCudaDriver.cuCtxSetCurrent(ctx), "cuCtxSetCurrent");
            module = load(info, ptx);
            Map<String, CUfunction> fns = new HashMap<>();
            for (String symbol : KernelEntry.symbols()) {
                CUfunction f = new CUfunction();
                int rc = JCudaDriver.cuModuleGetFunction(f, module, symbol);
                if (rc != CUresult.CUDA_SUCCESS) {
                    throw new IllegalStateException("kernel " + symbol + " is missing from the bundled PTX: " + Cuda.name(rc));
                }
                fns.put(symbol, f);
            }
            return new CudaModule(info, ptx, dev, ctx, module, fns);
        } catch (RuntimeException | Error e) {
            if (module != null) {
                JCudaDriver.cuModuleUnload(module);
            }
            JCudaDriver.cuDevicePrimaryCtxRelease(dev);
            throw e;
        }
    }

    private static CUmodule load(DeviceInfo info, PtxImage ptx) {
        byte[] image = ptx.nulTerminatedBytes();
        CUmodule module = new CUmodule();
        int rc = JCudaDriver.cuModuleLoadData(module, image);
        if (rc == CUresult.CUDA_SUCCESS) {
            return module;
        }
        if (rc == CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION) {
            throw new IllegalStateException(CudaProbe.driverTooOld(info.driverVersion(), ptx)
                    + " (cuModuleLoadData: " + Cuda.name(rc) + ")");
        }
        throw new IllegalStateException("cannot load the kernels (PTX ISA " + ptx.isa() + " for " + ptx.target()
                + ") on " + info.name() + ": cuModuleLoadData: " + Cuda.name(rc) + jitErrorLog(image));
    }

    /** Loads the image again with a JIT error log buffer, to say what the JIT compiler disliked. */
    private static String jitErrorLog(byte[] image) {
        try {
            byte[] log = new byte[16 * 1024];
            JITOptions options = new JITOptions();
            options.putBytes(CUjit_option.CU_JIT_ERROR_LOG_BUFFER, log);
            options.putInt(CUjit_option.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES, log.length);
            CUmodule retry = new CUmodule();
            int rc = JCudaDriver.cuModuleLoadDataJIT(retry, Pointer.to(image), options);
            if (rc == CUresult.CUDA_SUCCESS) {
                JCudaDriver.cuModuleUnload(retry);
                return "";
            }
            String s = options.getString(CUjit_option.CU_JIT_ERROR_LOG_BUFFER);
            return s == null || s.isBlank() ? "" : "; JIT log: " + s.trim();
        } catch (RuntimeException | LinkageError e) {
            return "";
        }
    }

    /** @return the device */
    DeviceInfo info() {
        return info;
    }

    /** @return the loaded PTX */
    PtxImage ptx() {
        return ptx;
    }

    /** Binds the context to the calling thread (kernels may be called from different threads). */
    void makeCurrent() {
        Cuda.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    /** @return the grid size for a grid-stride loop over {@code n} items */
    int blocksFor(long n) {
        long b = (n + THREADS - 1) / THREADS;
        return (int) Math.max(1, Math.min(b, maxBlocks));
    }

    /** @return the largest grid the element-wise launches use */
    int maxBlocks() {
        return maxBlocks;
    }

    /** @return the number of streaming multiprocessors */
    int multiprocessors() {
        return Math.max(1, info.multiprocessors());
    }

    /**
     * Launches {@code entry} for element type {@code t} on the default stream; does not wait.
     *
     * @param args kernel arguments in order: {@link CUdeviceptr} (or null for a null pointer),
     *             {@link Integer}, {@link Long}, {@link Float}, {@link Double}, or {@code int[]} for a
     *             struct passed by value
     */
    void launch(KernelEntry entry, DType t, int gridX, int gridY, int blockX, Object... args) {
        String symbol = entry.symbol(t);
        CUfunction f = functions.get(symbol);
        if (f == null) {
            throw new IllegalStateException("kernel " + symbol + " not loaded");
        }
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            params[i] = param(args[i]);
        }
        int rc = JCudaDriver.cuLaunchKernel(f, gridX, gridY, 1, blockX, 1, 1, 0, null, Pointer.to(params), null);
        if (rc != CUresult.CUDA_SUCCESS) {
            throw new IllegalStateException("CUDA launch of " + symbol + " (grid " + gridX + "x" + gridY + ", block "
                    + blockX + ") failed: " + Cuda.name(rc));
        }
    }

    private static Pointer param(Object a) {
        if (a == null) {
            return Pointer.to(NULL);
        }
        if (a instanceof CUdeviceptr p) {
            return Pointer.to(p);
        }
        if (a instanceof Integer v) {
            return Pointer.to(new int[] {v});
        }
        if (a instanceof Long v) {
            return Pointer.to(new long[] {v});
        }
        if (a instanceof Float v) {
            return Pointer.to(new float[] {v});
        }
        if (a instanceof Double v) {
            return Pointer.to(new double[] {v});
        }
        if (a instanceof int[] v) {
            return Pointer.to(v);
        }
        throw new IllegalArgumentException("unsupported kernel argument " + a.getClass().getName());
    }

    /** @return a new device block of {@code bytes}, or null when the device is out of memory */
    CUdeviceptr allocateRaw(long bytes) {
        CUdeviceptr p = new CUdeviceptr();
        int rc = JCudaDriver.cuMemAlloc(p, bytes);
        if (rc == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            return null;
        }
        Cuda.check(rc, "cuMemAlloc(" + bytes + " bytes)");
        return p;
    }

    /** Frees a block from {@link #allocateRaw}. */
    void freeRaw(CUdeviceptr p) {
        Cuda.check(JCudaDriver.cuMemFree(p), "cuMemFree");
    }

    /** Waits for all queued work; only for tests and diagnostics. */
    void synchronize() {
        Cuda.check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");
    }

    /** Unloads the module and releases the primary context. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        JCudaDriver.cuCtxSetCurrent(context);
        JCudaDriver.cuModuleUnload(module);
        JCudaDriver.cuDevicePrimaryCtxRelease(device);
    }
}
