package dev.vae.backend.cuda;

import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.ReduceOp;
import dev.vae.api.spi.UnaryOp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Host-side checks of the bundled PTX and of the contract between the Java code and the .cu
 * source: every entry point the Java code launches exists, the op codes agree, the layout struct
 * has the size the Java side packs.
 */
class PtxImageTest {

    static Path moduleDir() {
        return Path.of(System.getProperty("vae.cuda.moduleDir", "."));
    }

    @Test
    void bundledPtxDefinesEveryLaunchedEntryPoint() {
        PtxImage ptx = PtxImage.bundled();
        TreeSet<String> missing = new TreeSet<>(KernelEntry.symbols());
        missing.removeAll(ptx.entries());
        assertTrue(missing.isEmpty(), "entry points missing from the PTX: " + missing);
        assertEquals(KernelEntry.symbols().size(), ptx.entries().size(),
                "PTX entries not launched by the Java code: " + ptx.entries());
    }

    @Test
    void bundledPtxTargetsBroadlyLoadableIsa() {
        PtxImage ptx = PtxImage.bundled();
        assertEquals("sm_75", ptx.target());
        assertEquals("7.0", ptx.isa());
        assertEquals(11000, ptx.requiredDriverVersion());
        assertEquals(75, ptx.requiredComputeCapability());
        assertTrue(ptx.toolkit().isPresent(), "nvcc's header line is kept for the freshness check");
        byte[] b = ptx.nulTerminatedBytes();
        assertEquals(0, b[b.length - 1]);
    }

    @Test
    void isaToDriverVersionTable() {
        assertEquals(10000, PtxImage.requiredDriverVersion(6, 3));
        assertEquals(10020, PtxImage.requiredDriverVersion(6, 5));
        assertEquals(11000, PtxImage.requiredDriverVersion(7, 0));
        assertEquals(11080, PtxImage.requiredDriverVersion(7, 8));
        assertEquals(12000, PtxImage.requiredDriverVersion(8, 0));
        assertEquals(12050, PtxImage.requiredDriverVersion(8, 5));
        assertEquals(12080, PtxImage.requiredDriverVersion(8, 7));
        assertEquals(12090, PtxImage.requiredDriverVersion(8, 8));
        assertEquals(13000, PtxImage.requiredDriverVersion(9, 0));
        assertEquals("12.4", PtxImage.formatCudaVersion(12040));
        assertEquals("13.0", PtxImage.formatCudaVersion(13000));
    }

    @Test
    void parsesHeaderAndEntries() {
        String text = "//\n// Cuda compilation tools, release 13.0, V13.0.88\n//\n\n.version 7.0\n.target sm_75\n"
                + ".address_size 64\n\n.visible .entry foo_f32(\n\t.param .u64 p\n)\n{\n\tret;\n}\n"
                + ".entry bar(\n)\n{\n\tret;\n}\n";
        PtxImage p = PtxImage.parse(text);
        assertEquals("7.0", p.isa());
        assertEquals("sm_75", p.target());
        assertEquals(java.util.Set.of("foo_f32", "bar"), p.entries());
        assertEquals("Cuda compilation tools, release 13.0, V13.0.88", p.toolkit().orElseThrow());
    }

    @Test
    void driverTooOldMessageNamesTheIsa() {
        String m = CudaProbe.driverTooOld(10020, PtxImage.bundled());
        assertTrue(m.startsWith("driver too old for PTX ISA 7.0"), m);
        assertTrue(m.contains("10.2") && m.contains("11.0"), m);
    }

    /** The #define op codes of vae_kernels.cu agree with OpCodes for every enum constant. */
    @Test
    void opCodesMatchTheCudaSource() throws IOException {
        String cu = Files.readString(moduleDir().resolve("src/main/cuda/vae_kernels.cu"));
        Map<String, Integer> defines = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^#define (\\w+) (\\d+)\\s*$").matcher(cu);
        while (m.find()) {
            defines.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        for (UnaryOp op : UnaryOp.values()) {
            assertEquals(defines.get("U_" + op.name()), OpCodes.unary(op), "U_" + op.name());
        }
        for (BinaryOp op : BinaryOp.values()) {
            assertEquals(defines.get("B_" + op.name()), OpCodes.binary(op), "B_" + op.name());
        }
        for (ReduceOp op : ReduceOp.values()) {
            assertEquals(defines.get("R_" + op.name()), OpCodes.reduce(op), "R_" + op.name());
        }
        assertEquals(defines.get("MAX_DIMS"), OpCodes.MAX_DIMS);
        assertEquals(defines.get("MAX_OPERANDS"), OpCodes.MAX_OPERANDS);
    }

    /** The by-value Layout parameter in the PTX has exactly the bytes StridedLayout packs. */
    @Test
    void layoutStructSizeMatchesPacking() {
        String text = PtxImage.bundled().text();
        for (String kernel : new String[] {"binary_f32", "where_f64", "copy_f32"}) {
            Matcher m = Pattern.compile("\\.param \\.align 4 \\.b8 " + kernel + "_param_\\d+\\[(\\d+)\\]").matcher(text);
            assertTrue(m.find(), "no struct parameter in " + kernel);
            assertEquals(StridedLayout.PACKED_INTS * 4, Integer.parseInt(m.group(1)), kernel);
        }
    }
}
