package dev.vae.backend.cuda;

import dev.vae.api.DType;
import jcuda.driver.CUdeviceptr;

/**
 * The module's own matmul kernel: 64x64 output tiles, 16-deep shared-memory slabs of both
 * operands, 4x4 outputs per thread, transposes handled while loading tiles and the bias added in
 * the epilogue. The fallback whenever cuBLAS is not available.
 */
final class TiledMatmul implements MatmulEngine {
    private static final int TILE = 64;
    private static final int MAX_GRID = 65535;

    private final CudaModule cu;

    TiledMatmul(CudaModule cu) {
        this.cu = cu;
    }

    @Override
    public String describe() {
        return "tiled PTX kernel";
    }

    @Override
    public void gemm(DType t, CUdeviceptr a, CUdeviceptr b, CUdeviceptr c, CUdeviceptr bias, int m, int n, int k,
                     boolean transA, boolean transB) {
        int tilesM = (m + TILE - 1) / TILE;
        int tilesN = (n + TILE - 1) / TILE;
        cu.launch(KernelEntry.MATMUL, t, Math.min(tilesN, MAX_GRID), Math.min(tilesM, MAX_GRID), CudaModule.THREADS,
                a, b, c, bias, m, n, k, transA ? 1 : 0, transB ? 1 : 0);
    }

    @Override
    public void close() {
    }
}
