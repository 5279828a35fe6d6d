package dev.vae.backend.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The libcuda.so.1 search, on fake directory trees. */
class NativeLibrariesTest {

    @TempDir
    Path tmp;

    private Path touch(String rel) throws IOException {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {0x7f, 'E', 'L', 'F'});
        return p;
    }

    @Test
    void findsInLdLibraryPathFirst() throws IOException {
        Path a = touch("a/libcuda.so.1");
        touch("b/libcuda.so.1");
        String path = tmp.resolve("missing") + ":" + tmp.resolve("a") + "::" + tmp.resolve("b");
        assertEquals(Optional.of(a), NativeLibraries.find("libcuda.so.1", path, null, List.of()));
    }

    @Test
    void ignoresToolkitStubs() throws IOException {
        touch("cuda/lib64/stubs/libcuda.so.1");
        Path real = touch("driver/libcuda.so.1");
        String path = tmp.resolve("cuda/lib64/stubs").toString();
        assertEquals(Optional.of(real), NativeLibraries.find("libcuda.so.1", path, null, List.of(tmp.resolve("driver"))));
        assertEquals(Optional.empty(), NativeLibraries.find("libcuda.so.1", path, null, List.of()));
    }

    @Test
    void readsPathsFromTheLoaderCache() throws IOException {
        Path lib = touch("usr/lib/x86_64-linux-gnu/libcuda.so.1");
        ByteArrayOutputStream cache = new ByteArrayOutputStream();
        cache.write("glibc-ld.so.cache1.1".getBytes(StandardCharsets.US_ASCII));
        for (String s : new String[] {"libm.so.6", "/lib/x86_64-linux-gnu/libm.so.6", "libcuda.so.1", lib.toString(),
                "/nowhere/libcuda.so.1"}) {
            cache.write(s.getBytes(StandardCharsets.US_ASCII));
            cache.write(0);
        }
        Path cacheFile = tmp.resolve("ld.so.cache");
        Files.write(cacheFile, cache.toByteArray());
        assertEquals(List.of(lib, Path.of("/nowhere/libcuda.so.1")), NativeLibraries.fromLoaderCache("libcuda.so.1", cacheFile));
        assertEquals(Optional.of(lib), NativeLibraries.find("libcuda.so.1", null, cacheFile, List.of()));
    }

    @Test
    void absentEverywhereIsEmpty() {
        assertEquals(Optional.empty(), NativeLibraries.find("libcuda.so.1", tmp.toString(), tmp.resolve("no-cache"),
                List.of(tmp.resolve("lib"))));
    }

    @Test
    void searchedPlacesNameTheLoaderCache() {
        assertTrue(NativeLibraries.searchedPlaces().contains("ld.so.cache"));
    }
}
