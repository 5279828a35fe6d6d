package dev.vae.backend.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Proves, in fresh JVMs with empty DJL caches, that the backend loads PyTorch from the jars on the
 * class path without touching the network, and that a broken native set-up makes {@code probe()}
 * report a reason instead of throwing.
 */
class OfflineLoadTest {

    private final List<Path> temps = new ArrayList<>();

    @AfterEach
    void deleteTemps() throws IOException {
        for (Path t : temps) {
            try (Stream<Path> s = Files.walk(t)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void loadsFromTheClassPathJarsIntoAFreshCacheWithoutNetwork() throws Exception {
        Path engineCache = temp("djl-engine-cache");
        Path djlCache = temp("djl-cache");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ENGINE_CACHE_DIR", engineCache.toString());
        env.put("DJL_CACHE_DIR", djlCache.toString());
        Map<String, String> out = fork(env, "run");

        assertEquals("true", out.get("AVAILABLE"), out.toString());
        assertEquals("true", out.get("OFFLINE"), "the provider switched DJL offline by itself");
        assertEquals("0 []", out.get("NETWORK"), "no URL was opened");
        assertEquals("5.0,11.0,11.0,25.0", out.get("RESULT"));
        Path lib = Path.of(out.get("LIBTORCH")).toRealPath();
        assertTrue(lib.startsWith(engineCache.toRealPath()), "libtorch loaded from the fresh cache: " + lib);
        String torchCpu = System.mapLibraryName("torch_cpu");
        assertTrue(Files.isRegularFile(lib.resolve(torchCpu)), "extracted from the native jar");
        try (Stream<Path> s = Files.list(lib)) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().endsWith(System.mapLibraryName("djl_torch"))),
                    "JNI library extracted from pytorch-jni");
        }
        if (Files.exists(Path.of("/proc/self/maps"))) {
            String mapped = out.getOrDefault("MAPPED", "");
            assertTrue(mapped.contains(torchCpu) && mapped.contains(engineCache.toRealPath().toString()),
                    "the process maps the extracted " + torchCpu + ": " + mapped);
        }
        try (Stream<Path> s = Files.walk(djlCache)) {
            assertEquals(1, s.count(), "nothing written to the DJL model cache");
        }
    }

    @Test
    void aBrokenNativeLibraryMakesProbeReportAReason() throws Exception {
        Path fake = temp("fake-libtorch");
        Files.write(fake.resolve(System.mapLibraryName("torch")), "not a shared object".getBytes(StandardCharsets.US_ASCII));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PYTORCH_LIBRARY_PATH", fake.toString());
        env.put("ENGINE_CACHE_DIR", temp("djl-engine-cache").toString());
        Map<String, String> out = fork(env, "probe");

        assertEquals("false", out.get("AVAILABLE"), out.toString());
        assertTrue(out.get("REASON").contains("failed to load"), out.get("REASON"));
        assertEquals("false", out.get("AGAIN"));
        assertTrue(out.get("CREATE").startsWith("IllegalStateException"), out.get("CREATE"));
        assertEquals("0 []", out.get("NETWORK"));
    }

    @Test
    void aPytorchVersionThatWouldBeDownloadedIsRefused() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PYTORCH_VERSION", "1.13.1");
        env.put("ENGINE_CACHE_DIR", temp("djl-engine-cache").toString());
        Map<String, String> out = fork(env, "probe");

        assertEquals("false", out.get("AVAILABLE"), out.toString());
        assertTrue(out.get("REASON").contains("offline"), out.get("REASON"));
        assertTrue(out.get("CREATE").startsWith("IllegalStateException"), out.get("CREATE"));
        assertEquals("0 []", out.get("NETWORK"));
    }

    private Path temp(String prefix) throws IOException {
        Path p = Files.createTempDirectory(prefix);
        temps.add(p);
        return p;
    }

    /** Runs {@link ForkedProbe} in a new JVM and returns its KEY=value lines (repeated keys joined). */
    private static Map<String, String> fork(Map<String, String> env, String mode) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-cp", cp, "-Xmx256m",
                "-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=9",
                "-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=9",
                ForkedProbe.class.getName(), mode);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> e = pb.environment();
        for (String key : new String[] {"DJL_OFFLINE", "PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "ENGINE_CACHE_DIR",
            "DJL_CACHE_DIR", "PYTORCH_FLAVOR"}) {
            e.remove(key);
        }
        e.putAll(env);
        File log = File.createTempFile("forked-probe", ".log");
        pb.redirectOutput(log);
        try {
            Process p = pb.start();
            boolean done = p.waitFor(180, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            String text = Files.readString(log.toPath());
            assertTrue(done, "forked JVM timed out:\n" + text);
            assertEquals(0, p.exitValue(), "forked JVM failed:\n" + text);
            assertTrue(text.contains("DONE"), text);
            Map<String, String> out = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).matches("[A-Z]+")) {
                    out.merge(line.substring(0, eq), line.substring(eq + 1), (a, b) -> a + "\n" + b);
                }
            }
            assertFalse(out.isEmpty(), text);
            return out;
        } finally {
            Files.deleteIfExists(log.toPath());
        }
    }
}
