package dev.vae.backend.djl;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Properties;

/**
 * Loads the DJL PyTorch engine once per JVM, offline, from the native jars on the class path.
 *
 * <p>How DJL 0.36 finds PyTorch ({@code ai.djl.pytorch.jni.LibUtils}): unless
 * {@code PYTORCH_LIBRARY_PATH} names a directory holding {@code libtorch.so}, it reads
 * {@code native/lib/pytorch.properties} from the class path (shipped in
 * {@code pytorch-native-cpu-<version>-<classifier>.jar}); if that file is absent it downloads
 * PyTorch from {@code publish.djl.ai}. Found, it copies the libraries out of the jar into
 * {@code <engine cache>/pytorch/<version>-cpu-<classifier>/} and does the same for the JNI glue
 * {@code libdjl_torch.so} from {@code pytorch-jni-<pytorch>-<djl>.jar} (downloading it instead
 * when the jar is missing or of another version). The engine cache is {@code ENGINE_CACHE_DIR}
 * (environment variable or system property), else {@code DJL_CACHE_DIR}, else
 * {@code ~/.djl.ai}.
 *
 * <p>This class never lets that download happen: before the engine class is touched it sets
 * {@code ai.djl.offline=true} (DJL then throws instead of downloading, and also skips its
 * telemetry call) and {@code OPT_OUT_TRACKING=true}, and it refuses to load at all when the
 * class path lacks the matching native jars, so that the reason is reported instead.
 */
final class DjlRuntime {

    /** DJL's name of the PyTorch engine. */
    static final String ENGINE = "PyTorch";

    private static final String VERSIONS = "dev/vae/backend/djl/versions.properties";
    private static final String NATIVE_PROPERTIES = "native/lib/pytorch.properties";
    private static final String JNI_PROPERTIES = "jnilib/pytorch.properties";

    private static Engine engine;
    private static String failure;

    private DjlRuntime() {
    }

    /** @return the DJL version this backend was built against */
    static String expectedDjlVersion() {
        return builtVersions().getProperty("djl.version", "unknown");
    }

    /** @return the PyTorch version this backend was built against */
    static String expectedPytorchVersion() {
        return builtVersions().getProperty("pytorch.version", "unknown");
    }

    /**
     * Sets DJL's offline switches. Must run before any DJL class reads them; calling it again is
     * harmless.
     */
    static void configureOffline() {
        System.setProperty("ai.djl.offline", "true");
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    /**
     * Loads the engine if needed.
     *
     * @return the loaded PyTorch engine
     * @throws IllegalStateException with the reason if it cannot be loaded (now or earlier)
     */
    static synchronized Engine engine() {
        if (engine != null) {
            return engine;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        configureOffline();
        String missing = missingNatives();
        if (missing != null) {
            failure = missing;
            throw new IllegalStateException(failure);
        }
        try {
            Engine e = Engine.getEngine(ENGINE);
            // grad mode is off after PtEngine.newInstance; keep it so, whatever else ran before
            JniUtils.setGradMode(false);
            engine = e;
            return e;
        } catch (Throwable t) {
            failure = "DJL PyTorch engine failed to load: " + describe(t);
            throw new IllegalStateException(failure, t);
        }
    }

    /** @return the reason the engine failed to load, or null if it has not failed */
    static synchronized String failure() {
        return failure;
    }

    /** @return directory DJL loaded libtorch from (after {@link #engine()} succeeded) */
    static String libtorchPath() {
        return LibUtils.getLibtorchPath();
    }

    /**
     * The description names {@code OMP_WAIT_POLICY} because it matters a great deal: PyTorch's
     * libgomp reads it once when it loads, and with the default (spin-waiting) a 2-thread matmul
     * on a machine whose cores are busy with other processes ran at 3 GFLOP/s instead of 130 with
     * {@code PASSIVE}. Java cannot set it for the process; a launcher can.
     *
     * @param threads intra-op threads to report
     * @return a one-line description of library versions, device and threads
     */
    static String describe(int threads) {
        Engine e = engine();
        String wait = System.getenv("OMP_WAIT_POLICY");
        return "DJL " + Engine.getDjlVersion() + ", PyTorch " + e.getVersion()
                + " (CPU, libtorch from " + libtorchPath() + ", OMP_WAIT_POLICY "
                + (wait == null ? "unset" : wait) + "), device cpu, intra-op threads " + threads;
    }

    /**
     * Checks, without loading anything, that the class path holds what DJL needs to load offline.
     *
     * @return why loading would need a download, or null if it would not
     */
    static String missingNatives() {
        String pytorch = expectedPytorchVersion();
        String djl = expectedDjlVersion();
        String override = getEnvOrProperty("PYTORCH_VERSION");
        if (override != null && !override.isEmpty() && !override.startsWith(pytorch)) {
            return "PYTORCH_VERSION=" + override + " asks for a PyTorch other than the bundled " + pytorch
                    + ", which DJL would download; this backend runs offline only";
        }
        String libPath = getEnvOrProperty("PYTORCH_LIBRARY_PATH");
        if (libPath == null || libPath.isEmpty()) {
            Properties p = resource(NATIVE_PROPERTIES);
            if (p == null) {
                return "no PyTorch native library on the class path (" + NATIVE_PROPERTIES
                        + " missing): add ai.djl.pytorch:pytorch-native-cpu:" + pytorch
                        + " with this platform's classifier; this backend never downloads it";
            }
            String v = p.getProperty("version", "");
            if (!v.startsWith(pytorch)) {
                return "the PyTorch native jar on the class path has version " + v + ", expected " + pytorch;
            }
        }
        Properties jni = resource(JNI_PROPERTIES);
        String jniVersion = jni == null ? null : jni.getProperty("jni_version");
        if (jniVersion == null) {
            return "no DJL PyTorch JNI library on the class path (" + JNI_PROPERTIES
                    + " missing): add ai.djl.pytorch:pytorch-jni:" + pytorch + "-" + djl;
        }
        if (!jniVersion.startsWith(pytorch + "-" + djl)) {
            return "the DJL PyTorch JNI jar on the class path is " + jniVersion + ", expected " + pytorch + "-" + djl;
        }
        return null;
    }

    private static String getEnvOrProperty(String name) {
        String v = System.getenv(name);
        return v != null ? v : System.getProperty(name);
    }

    private static Properties resource(String name) {
        ClassLoader cl = DjlRuntime.class.getClassLoader();
        URL url = cl == null ? ClassLoader.getSystemResource(name) : cl.getResource(name);
        if (url == null) {
            return null;
        }
        try (InputStream in = url.openStream()) {
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException e) {
            return null;
        }
    }

    private static Properties builtVersions() {
        Properties p = resource(VERSIONS);
        if (p == null) {
            throw new UncheckedIOException(new IOException("resource " + VERSIONS + " missing from vae-backend-djl"));
        }
        return p;
    }

    /** @return the class and message of {@code t} and of its causes, on one line */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(c.getClass().getSimpleName());
            if (c.getMessage() != null) {
                sb.append(": ").append(c.getMessage().replace('\n', ' '));
            }
            if (sb.length() > 600) {
                break;
            }
        }
        return sb.toString();
    }
}
