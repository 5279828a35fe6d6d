package dev.vae.backend.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds shared libraries the way the Linux dynamic loader would, without loading them: the
 * directories of {@code LD_LIBRARY_PATH}, the paths recorded in {@code /etc/ld.so.cache}, then the
 * usual system and NVIDIA container directories. The CUDA toolkit's {@code stubs} directories are
 * never accepted: their {@code libcuda.so} only makes linking possible and cannot run anything.
 */
final class NativeLibraries {
    /** The dynamic loader's cache, which lists every library in the configured directories. */
    static final Path LD_SO_CACHE = Path.of("/etc/ld.so.cache");

    /** Directories searched after {@code LD_LIBRARY_PATH} and the loader cache. */
    static final List<Path> STANDARD_DIRS = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu"),
            Path.of("/usr/lib/aarch64-linux-gnu"),
            Path.of("/lib/x86_64-linux-gnu"),
            Path.of("/usr/lib64"),
            Path.of("/lib64"),
            Path.of("/usr/lib"),
            Path.of("/lib"),
            Path.of("/usr/local/nvidia/lib64"),
            Path.of("/usr/local/nvidia/lib"),
            Path.of("/usr/lib/wsl/lib"),
            Path.of("/run/nvidia/driver/usr/lib/x86_64-linux-gnu"));

    private NativeLibraries() {
    }

    /** @return true on Linux, where the search applies (elsewhere JCuda's own loading decides) */
    static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }

    /**
     * Looks for {@code fileName} (e.g. {@code libcuda.so.1}) in this process's environment.
     *
     * @return the first match, if any
     */
    static Optional<Path> find(String fileName) {
        return find(fileName, System.getenv("LD_LIBRARY_PATH"), LD_SO_CACHE, STANDARD_DIRS);
    }

    /**
     * Looks for {@code fileName} in the given places, in order.
     *
     * @param ldLibraryPath colon-separated directories, may be null
     * @param ldSoCache the loader cache file (may not exist)
     * @param dirs further directories
     * @return the first regular, non-stub file found
     */
    static Optional<Path> find(String fileName, String ldLibraryPath, Path ldSoCache, List<Path> dirs) {
        Set<Path> candidates = new LinkedHashSet<>();
        if (ldLibraryPath != null) {
            for (String d : ldLibraryPath.split(":")) {
                if (!d.isBlank()) {
                    try {
                        candidates.add(Path.of(d.trim()).resolve(fileName));
                    } catch (InvalidPathException ignored) {
                        // an unusable entry is skipped, as the loader would
                    }
                }
            }
        }
        candidates.addAll(fromLoaderCache(fileName, ldSoCache));
        for (Path d : dirs) {
            candidates.add(d.resolve(fileName));
        }
        for (Path p : candidates) {
            if (!isStub(p) && Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** @return a short list of the places {@link #find(String)} searches, for messages */
    static String searchedPlaces() {
        return "LD_LIBRARY_PATH, " + LD_SO_CACHE + " and " + STANDARD_DIRS.get(0) + ", /usr/lib64, /usr/lib and "
                + "the NVIDIA container and WSL directories";
    }

    /**
     * The loader cache stores each library's absolute path as a NUL-terminated string; those
     * ending in {@code /fileName} are candidates. An unreadable or absent cache gives none.
     */
    static List<Path> fromLoaderCache(String fileName, Path ldSoCache) {
        List<Path> out = new ArrayList<>();
        byte[] bytes;
        try {
            if (ldSoCache == null || !Files.isRegularFile(ldSoCache) || Files.size(ldSoCache) > (64L << 20)) {
                return out;
            }
            bytes = Files.readAllBytes(ldSoCache);
        } catch (IOException | SecurityException e) {
            return out;
        }
        String suffix = "/" + fileName;
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == 0) {
                if (i - start > suffix.length() && bytes[start] == '/') {
                    String s = new String(bytes, start, i - start, StandardCharsets.ISO_8859_1);
                    if (s.endsWith(suffix)) {
                        try {
                            out.add(Path.of(s));
                        } catch (InvalidPathException ignored) {
                            // not a usable path
                        }
                    }
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static boolean isStub(Path p) {
        for (Path part : p) {
            if (part.toString().equals("stubs")) {
                return true;
            }
        }
        return false;
    }
}
