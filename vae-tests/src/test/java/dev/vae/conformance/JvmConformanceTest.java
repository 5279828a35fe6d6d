package dev.vae.conformance;

/** The conformance suite against the pure-Java reference backend. */
class JvmConformanceTest extends BackendConformanceSuite {
    JvmConformanceTest() {
        super("jvm");
    }
}
