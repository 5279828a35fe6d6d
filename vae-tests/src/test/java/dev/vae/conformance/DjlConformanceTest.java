package dev.vae.conformance;

/** The conformance suite against the DJL (PyTorch engine) backend; skipped with the reason where it cannot run. */
class DjlConformanceTest extends BackendConformanceSuite {
    DjlConformanceTest() {
        super("djl");
    }
}
