package dev.vae.backend.cuda;

import dev.vae.api.DType;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasStatus;

/**
 * Matmul through cuBLAS (JCublas2), used only when its native library and {@link #LIBRARY} load.
 * Row-major C = op(A) op(B) is computed as the column-major C^T = op(B)^T op(A)^T, so no
 * operand is ever copied. With a bias, C is first filled with the bias rows and the product
 * accumulated onto it (beta = 1).
 */
final class CublasMatmul implements MatmulEngine {
    /** The cuBLAS library JCublas2 12.0.0 links against. */
    static final String LIBRARY = "libcublas.so.12";

    private final CudaModule cu;
    private final cublasHandle handle;
    private final String version;
    private boolean closed;

    private CublasMatmul(CudaModule cu, cublasHandle handle, String version) {
        this.cu = cu;
        this.handle = handle;
        this.version = version;
    }

    /**
     * Tries to start cuBLAS on the current context.
     *
     * @param whyNot receives the reason when it cannot
     * @return the engine, or null
     */
    static CublasMatmul tryCreate(CudaModule cu, StringBuilder whyNot) {
        if (NativeLibraries.isLinux() && NativeLibraries.find(LIBRARY).isEmpty()) {
            whyNot.append("no ").append(LIBRARY).append(" on the library path");
            return null;
        }
        try {
            JCublas2.setExceptionsEnabled(false);
        } catch (Throwable t) {
            whyNot.append("JCublas2 failed to load: ").append(t.getClass().getSimpleName()).append(": ")
                    .append(t.getMessage());
            return null;
        }
        try {
            cublasHandle h = new cublasHandle();
            int rc = JCublas2.cublasCreate(h);
            if (rc != cublasStatus.CUBLAS_STATUS_SUCCESS) {
                whyNot.append("cublasCreate failed: ").append(cublasStatus.stringFor(rc));
                return null;
            }
            int[] v = new int[1];
            String version = "cuBLAS";
            if (JCublas2.cublasGetVersion(h, v) == cublasStatus.CUBLAS_STATUS_SUCCESS) {
                version = "cuBLAS " + v[0] / 10000 + "." + (v[0] / 100) % 100 + "." + v[0] % 100;
            }
            return new CublasMatmul(cu, h, version);
        } catch (Throwable t) {
            whyNot.append("cuBLAS failed to start: ").append(t);
            return null;
        }
    }

    @Override
    public String describe() {
        return version;
    }

    @Override
    public void gemm(DType t, CUdeviceptr a, CUdeviceptr b, CUdeviceptr c, CUdeviceptr bias, int m, int n, int k,
                     boolean transA, boolean transB) {
        if (bias != null) {
            long total = (long) m * n;
            cu.launch(KernelEntry.BIAS_ROWS, t, cu.blocksFor(total), 1, CudaModule.THREADS, bias, c, total, n);
        }
        double betaValue = bias != null ? 1 : 0;
        int opA = transA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int opB = transB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        int rc;
        if (t == DType.FLOAT64) {
            rc = JCublas2.cublasDgemm(handle, opB, opA, n, m, k, Pointer.to(new double[] {1}), b, ldb, a, lda,
                    Pointer.to(new double[] {betaValue}), c, n);
        } else {
            rc = JCublas2.cublasSgemm(handle, opB, opA, n, m, k, Pointer.to(new float[] {1}), b, ldb, a, lda,
                    Pointer.to(new float[] {(float) betaValue}), c, n);
        }
        if (rc != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new IllegalStateException("cuBLAS gemm (" + m + "x" + k + " @ " + k + "x" + n + ", " + t.label()
                    + ") failed: " + cublasStatus.stringFor(rc));
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            JCublas2.cublasDestroy(handle);
        }
    }
}
