package dev.vae.conformance;

/** The conformance suite against the CUDA backend; skipped with the reason where there is no GPU. */
class CudaConformanceTest extends BackendConformanceSuite {
    CudaConformanceTest() {
        super("cuda");
    }
}
