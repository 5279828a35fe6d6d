package dev.vae.backend.cuda;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The probe and create() through JCuda's real JNI library against a stand-in libcuda.so.1
 * (src/test/c/fake_libcuda.cpp), each scenario in a fresh JVM: the reasons a user sees for a
 * missing device, an old driver, an old GPU, and a driver that refuses the PTX. Linux only;
 * skipped without a C++ compiler.
 */
class FakeDriverTest {
    @TempDir
    static Path tmp;

    static Path lib;

    @BeforeAll
    static void buildFakeDriver() throws IOException, InterruptedException {
        assumeTrue(NativeLibraries.isLinux(), "the stand-in driver is a Linux shared library");
        Path dir = Path.of(System.getProperty("vae.cuda.fakeDriverDir", tmp.toString()));
        Path script = PtxImageTest.moduleDir().resolve("src/test/c/build-fake-libcuda.sh");
        Process p = new ProcessBuilder("bash", script.toString(), dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "build-fake-libcuda.sh did not finish");
        assertEquals(0, p.exitValue(), "build-fake-libcuda.sh failed:\n" + out);
        assumeTrue(Files.isRegularFile(dir.resolve("libcuda.so.1")), "the stand-in driver was not built: " + out.trim());
        lib = dir;
    }

    /** @return the PROBE and CREATE lines of a child JVM run with the fake driver and {@code env} */
    private static String[] run(Map<String, String> env) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.add(FakeDriverMain.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LD_LIBRARY_PATH", lib.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "child JVM did not finish");
        assertEquals(0, p.exitValue(), "child JVM failed:\n" + out);
        String probe = null;
        String create = null;
        for (String line : out.split("\\R")) {
            if (line.startsWith("PROBE ")) {
                probe = line.substring(6);
            } else if (line.startsWith("CREATE ")) {
                create = line.substring(7);
            }
        }
        assertTrue(probe != null && create != null, "unexpected child output:\n" + out);
        return new String[] {probe, create};
    }

    @Test
    void noDeviceAtInit() throws Exception {
        String[] r = run(Map.of("FAKE_CUDA_INIT", "100"));
        assertTrue(r[0].startsWith("false|no CUDA device (cuInit: CUDA_ERROR_NO_DEVICE (100))"), r[0]);
        assertTrue(r[1].contains("CUDA backend unavailable: no CUDA device"), r[1]);
    }

    @Test
    void zeroDevices() throws Exception {
        String[] r = run(Map.of("FAKE_CUDA_DEVICES", "0"));
        assertTrue(r[0].startsWith("false|no CUDA device (the driver reports 0 devices)"), r[0]);
    }

    @Test
    void stubLibrary() throws Exception {
        String[] r = run(Map.of("FAKE_CUDA_INIT", "34"));
        assertTrue(r[0].contains("stub library"), r[0]);
    }

    @Test
    void driverTooOldForThePtx() throws Exception {
        String[] r = run(Map.of("FAKE_CUDA_DRIVER_VERSION", "10020"));
        assertTrue(r[0].startsWith("false|driver too old for PTX ISA 7.0: the driver supports CUDA 10.2, PTX ISA 7.0 "
                + "needs CUDA 11.0 or newer"), r[0]);
        assertTrue(r[1].contains("driver too old for PTX ISA 7.0"), r[1]);
    }

    @Test
    void gpuTooOld() throws Exception {
        String[] r = run(Map.of("FAKE_CUDA_CC", "70"));
        assertTrue(r[0].contains("has compute capability 7.0; the kernels (sm_75) need 7.5 or newer"), r[0]);
    }

    @Test
    void availableDeviceIsDescribedAndAPtxRefusalExplained() throws Exception {
        String[] r = run(Map.of());
        assertTrue(r[0].startsWith("true||Fake GPU (device 0, 16.0 GiB, compute capability 9.0, 8 SMs), driver CUDA 12.4; "
                + "JCuda 12.0.0; kernels PTX ISA 7.0 for sm_75; matmul: "), r[0]);
        assertTrue(r[1].startsWith("IllegalStateException: CUDA backend unavailable: driver too old for PTX ISA 7.0"), r[1]);
        assertTrue(r[1].contains("CUDA_ERROR_UNSUPPORTED_PTX_VERSION (222)"), r[1]);
    }

    @Test
    void jitFailureCarriesTheJitLog() throws Exception {
        String[] r = run(Map.of("FAKE_CUDA_MODULE_RESULT", "218"));
        assertTrue(r[1].contains("cuModuleLoadData: CUDA_ERROR_INVALID_PTX (218)"), r[1]);
        assertTrue(r[1].contains("JIT log: ptxas fatal: fake JIT failure"), r[1]);
    }
}
