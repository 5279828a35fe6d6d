package dev.vae.backend.jvm;

/**
 * Whether the Java Vector API kernels ({@link VectorMatMul}, {@link VectorLoops}) may be used. They
 * need the incubator module {@code jdk.incubator.vector}, which a JVM resolves only when started
 * with {@code --add-modules jdk.incubator.vector} (the {@code vae} launcher and the test forks
 * pass it). Without it the backend runs its scalar loops; classes that link against the module
 * are then never loaded. Setting the system property {@code vae.jvm.vector=false} forces the
 * scalar loops.
 */
final class VectorSupport {
    private VectorSupport() {
    }

    /** True when the incubator module is present and the vector kernels work on this JVM. */
    static final boolean AVAILABLE = detect();

    private static boolean detect() {
        if (!Boolean.parseBoolean(System.getProperty("vae.jvm.vector", "true"))) {
            return false;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorLoops.selfTest();
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /** @return how the vector kernels are configured, or that the scalar loops run */
    static String describe() {
        return AVAILABLE ? "Vector API, " + VectorMatMul.describe() : "scalar loops (no jdk.incubator.vector)";
    }
}
