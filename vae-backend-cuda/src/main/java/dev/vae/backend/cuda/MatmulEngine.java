package dev.vae.backend.cuda;

import dev.vae.api.DType;
import jcuda.driver.CUdeviceptr;

/**
 * A row-major GEMM on device pointers: {@code C (m, n) = op(A) @ op(B) [+ bias]}, where
 * {@code op(A)} is (m, k) and {@code op(B)} is (k, n); a transposed operand is stored the other
 * way round ({@code A} as (k, m), {@code B} as (n, k)). Callers handle empty shapes and
 * {@code k == 0}: every dimension here is at least 1.
 */
interface MatmulEngine extends AutoCloseable {
    /** @return what runs, for the device description ("cuBLAS 12.4.5", "tiled PTX kernel") */
    String describe();

    /**
     * Queues the product on the default stream.
     *
     * @param bias row vector of length n added to every row, or null
     */
    void gemm(DType t, CUdeviceptr a, CUdeviceptr b, CUdeviceptr c, CUdeviceptr bias, int m, int n, int k,
              boolean transA, boolean transB);

    /** Releases the engine's resources. */
    @Override
    void close();
}
