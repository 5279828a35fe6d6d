package dev.vae.backend.nd4j;

import com.sun.jna.NativeLibrary;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Process-wide ND4J state: the environment set before the natives load, the one-time
 * initialisation (shared by every probe and every kernel instance), thread settings and the
 * description of the native libraries.
 *
 * <p>Nothing here runs at class-loading time; {@link #initialize(long)} does the work once.
 */
final class Nd4jRuntime {
    /** System property: OpenMP wait policy to set before loading ({@code none} keeps the default). */
    static final String PROP_OMP_WAIT_POLICY = "vae.nd4j.ompWaitPolicy";
    /** System property: OpenBLAS core type, {@code auto} (default, from CPU flags) or {@code none}. */
    static final String PROP_OPENBLAS_CORETYPE = "vae.nd4j.openblasCoreType";
    /** System property: seconds {@code probe()} waits for the natives to load (default 120). */
    static final String PROP_PROBE_TIMEOUT = "vae.nd4j.probeTimeoutSeconds";

    private static final Object LOCK = new Object();
    private static FutureTask<Info> init;
    private static final List<String> ENV_NOTES = new ArrayList<>();

    private Nd4jRuntime() {
    }

    /** What was found when ND4J initialised. */
    record Info(String nd4jVersion, String platform, String blasVendor, String openblasConfig,
                String openblasCore, List<String> envNotes) {
    }

    /**
     * Initialises ND4J once per process (later calls return the cached outcome).
     *
     * @param timeoutMillis how long to wait for the natives; {@code <= 0} waits without limit
     * @return what was loaded
     * @throws IllegalStateException with the cause if ND4J cannot start or did not start in time
     */
    static Info initialize(long timeoutMillis) {
        FutureTask<Info> task;
        boolean start = false;
        synchronized (LOCK) {
            if (init == null) {
                init = new FutureTask<>(Nd4jRuntime::doInitialize);
                start = true;
            }
            task = init;
        }
        if (start) {
            Thread t = new Thread(task, "vae-nd4j");
            t.setDaemon(true);
            t.start();
        }
        try {
            return timeoutMillis > 0 ? task.get(timeoutMillis, TimeUnit.MILLISECONDS) : task.get();
        } catch (TimeoutException e) {
            throw new IllegalStateException("ND4J did not initialise within " + timeoutMillis / 1000.0 + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ND4J was initialising", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new IllegalStateException("ND4J failed to initialise: " + describe(c), c);
        }
    }

    /** @return the probe timeout in milliseconds, from {@value #PROP_PROBE_TIMEOUT} */
    static long probeTimeoutMillis() {
        String s = System.getProperty(PROP_PROBE_TIMEOUT, "120");
        try {
            return (long) (Double.parseDouble(s.trim()) * 1000);
        } catch (NumberFormatException e) {
            return 120_000L;
        }
    }

    /** @return a one-line explanation of a failure, including linkage errors' causes */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        Set<Throwable> seen = new HashSet<>();
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(c.getClass().getSimpleName());
            if (c.getMessage() != null) {
                String m = c.getMessage().strip();
                int nl = m.indexOf('\n');
                sb.append(": ").append(nl >= 0 ? m.substring(0, nl) : m);
            }
        }
        return sb.toString();
    }

    private static Info doInitialize() {
        quietLoggers();
        prepareEnvironment();
        Nd4j.getBackend();
        Nd4j.getMemoryManager().togglePeriodicGc(false);
        // one tiny operation proves that the natives work
        try (INDArray probe = Nd4j.createFromArray(1f, 2f)) {
            try (INDArray sum = probe.sum()) {
                if (sum.getFloat(0) != 3f) {
                    throw new IllegalStateException("ND4J self-test failed: 1 + 2 = " + sum.getFloat(0));
                }
            }
        }
        String vendor = String.valueOf(Nd4j.getExecutioner().getEnvironmentInformation().get("blas.vendor"));
        String config = openblasString("openblas_get_config");
        String core = openblasString("openblas_get_corename");
        List<String> notes;
        synchronized (ENV_NOTES) {
            notes = List.copyOf(ENV_NOTES);
        }
        return new Info(nd4jVersion(), nativePlatform(), vendor, config, core, notes);
    }

    /** Keeps ND4J's informational start-up messages out of stdout when slf4j-simple is the binding. */
    private static void quietLoggers() {
        for (String pkg : new String[] {"org.nd4j", "org.bytedeco", "oshi"}) {
            String key = "org.slf4j.simpleLogger.log." + pkg;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }

    /**
     * Sets {@code OMP_WAIT_POLICY} and {@code OPENBLAS_CORETYPE} in the process environment (through
     * the C library's {@code setenv}, so that the natives loaded next see them) unless already set.
     * Failures only leave a note: the backend works without them, just slower.
     */
    private static void prepareEnvironment() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            note("process environment left unchanged on Windows");
            return;
        }
        String wait = System.getProperty(PROP_OMP_WAIT_POLICY, "PASSIVE").trim();
        if (System.getenv("OMP_WAIT_POLICY") != null) {
            note("OMP_WAIT_POLICY=" + System.getenv("OMP_WAIT_POLICY"));
        } else if (!wait.isEmpty() && !wait.equalsIgnoreCase("none")) {
            setenv("OMP_WAIT_POLICY", wait);
        }
        String core = System.getProperty(PROP_OPENBLAS_CORETYPE, "auto").trim();
        if (System.getenv("OPENBLAS_CORETYPE") != null) {
            note("OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE") + " (from environment)");
        } else if (core.equalsIgnoreCase("auto")) {
            String chosen = coreTypeFromCpuFlags();
            if (chosen != null) {
                setenv("OPENBLAS_CORETYPE", chosen);
            }
        } else if (!core.isEmpty() && !core.equalsIgnoreCase("none")) {
            setenv("OPENBLAS_CORETYPE", core.toUpperCase(Locale.ROOT));
        }
    }

    private static void setenv(String name, String value) {
        try {
            NativeLibrary libc = NativeLibrary.getInstance("c");
            int rc = libc.getFunction("setenv").invokeInt(new Object[] {name, value, 0});
            note(rc == 0 ? name + "=" + value + " (set by vae-backend-nd4j)" : "setenv " + name + " failed");
        } catch (Throwable t) {
            note("could not set " + name + ": " + describe(t));
        }
    }

    /**
     * Picks the OpenBLAS kernel family that the CPU supports, on Linux x86-64 only (from
     * {@code /proc/cpuinfo}): OpenBLAS 0.3.19 falls back to SSE3 kernels ("Prescott") on CPUs newer
     * than it knows, which is about four times slower for matrix products.
     */
    static String coreTypeFromCpuFlags() {
        String arch = System.getProperty("os.arch", "");
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return null;
        }
        Path info = Path.of("/proc/cpuinfo");
        Set<String> flags = new HashSet<>();
        try {
            for (String line : Files.readAllLines(info, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("flags")) {
                    int colon = line.indexOf(':');
                    for (String f : line.substring(colon + 1).trim().split("\\s+")) {
                        flags.add(f);
                    }
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return coreTypeFor(flags);
    }

    /** @return the OpenBLAS core type for a set of Linux CPU flags, or null to keep its own choice */
    static String coreTypeFor(Set<String> flags) {
        if (flags.containsAll(List.of("avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"))) {
            return "SKYLAKEX";
        }
        if (flags.containsAll(List.of("avx2", "fma"))) {
            return "HASWELL";
        }
        if (flags.contains("avx")) {
            return "SANDYBRIDGE";
        }
        return null;
    }

    private static void note(String s) {
        synchronized (ENV_NOTES) {
            ENV_NOTES.add(s);
        }
    }

    /** Sets the threads of libnd4j (OpenMP and its own pool) and of OpenBLAS. */
    static void configureThreads(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /** @return the current thread counts as text */
    static String threadDescription() {
        int nd = Nd4j.getEnvironment().maxThreads();
        int blas = Nd4j.factory().blas().getMaxThreads();
        return nd == blas ? nd + " threads" : nd + " libnd4j threads, " + blas + " BLAS threads";
    }

    /** @return the one-line device description */
    static String description(Info info) {
        StringBuilder sb = new StringBuilder("ND4J ").append(info.nd4jVersion())
                .append(" (nd4j-native ").append(info.platform()).append(", CPU)");
        if (info.openblasConfig() != null) {
            sb.append(", ").append(info.openblasConfig().strip());
        } else {
            sb.append(", BLAS ").append(info.blasVendor());
        }
        if (info.openblasCore() != null) {
            sb.append(", OpenBLAS core ").append(info.openblasCore().strip());
        }
        sb.append(", ").append(threadDescription());
        for (String n : info.envNotes()) {
            sb.append(", ").append(n);
        }
        return sb.toString();
    }

    /** @return the platform directory libnd4j was loaded from, e.g. {@code linux-x86_64-avx512} */
    private static String nativePlatform() {
        try {
            String path = Loader.getLoadedLibraries().get("nd4jcpu");
            if (path != null) {
                File dir = new File(path).getParentFile();
                if (dir != null) {
                    return dir.getName();
                }
            }
        } catch (RuntimeException e) {
            // fall through
        }
        return Loader.getPlatform();
    }

    private static String nd4jVersion() {
        try (InputStream in = Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null) {
                    return v;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the manifest
        }
        String v = Nd4j.class.getPackage().getImplementationVersion();
        return v != null ? v : "(version unknown)";
    }

    /**
     * Calls a string-returning function of the OpenBLAS that ND4J uses: JavaCPP's
     * {@code openblas_nolapack} library (its {@code libopenblas_nolapack} carries the soname
     * {@code libopenblas.so.0} that libnd4j links to). Other OpenBLAS files JavaCPP lists are not
     * opened, as that could load a second copy. Returns null where this is impossible.
     */
    private static String openblasString(String function) {
        try {
            String path = null;
            for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
                if (e.getKey().startsWith("openblas_nolapack") && e.getValue() != null
                        && !new File(e.getValue()).getName().contains("jni")) {
                    path = e.getValue();
                }
            }
            if (path == null) {
                return null;
            }
            Object r = NativeLibrary.getInstance(path).getFunction(function).invokeString(new Object[0], false);
            return r == null ? null : r.toString();
        } catch (Throwable t) {
            return null;
        }
    }
}
