package dev.vae.conformance;

/** The conformance suite against the ND4J backend; skipped with the reason where its natives cannot load. */
class Nd4jConformanceTest extends BackendConformanceSuite {
    Nd4jConformanceTest() {
        super("nd4j");
    }
}
