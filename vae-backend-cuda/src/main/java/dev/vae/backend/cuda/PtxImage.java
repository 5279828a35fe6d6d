package dev.vae.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The module's PTX (resource {@code dev/vae/backend/cuda/vae_kernels.ptx}, generated from
 * {@code src/main/cuda/vae_kernels.cu} by {@code build-ptx.sh}) and what its header says: the PTX
 * ISA version, which decides the oldest driver that can load it, the target architecture and the
 * entry points. Parsing is plain text work and needs no GPU.
 */
final class PtxImage {
    /** Class-path location of the committed PTX. */
    static final String RESOURCE = "/dev/vae/backend/cuda/vae_kernels.ptx";

    private static final Pattern VERSION = Pattern.compile("(?m)^\\.version (\\d+)\\.(\\d+)\\s*$");
    private static final Pattern TARGET = Pattern.compile("(?m)^\\.target (\\S+)\\s*$");
    private static final Pattern ENTRY = Pattern.compile("(?m)^(?:\\.visible\\s+|\\.weak\\s+)?\\.entry\\s+([A-Za-z_][A-Za-z0-9_$]*)\\s*\\(");
    private static final Pattern TOOLKIT = Pattern.compile("(?m)^//\\s*(Cuda compilation tools, release .*)$");

    private static volatile PtxImage bundled;

    private final String text;
    private final int isaMajor;
    private final int isaMinor;
    private final String target;
    private final Set<String> entries;
    private final String toolkit;

    private PtxImage(String text, int isaMajor, int isaMinor, String target, Set<String> entries, String toolkit) {
        this.text = text;
        this.isaMajor = isaMajor;
        this.isaMinor = isaMinor;
        this.target = target;
        this.entries = entries;
        this.toolkit = toolkit;
    }

    /**
     * @return the PTX bundled with this module, read once
     * @throws IllegalStateException if the resource is missing or has no {@code .version} line
     */
    static PtxImage bundled() {
        PtxImage b = bundled;
        if (b == null) {
            synchronized (PtxImage.class) {
                b = bundled;
                if (b == null) {
                    b = parse(readResource());
                    bundled = b;
                }
            }
        }
        return b;
    }

    private static String readResource() {
        try (InputStream in = PtxImage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("PTX resource " + RESOURCE + " is missing from the vae-backend-cuda jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read PTX resource " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses PTX text.
     *
     * @throws IllegalStateException if there is no {@code .version} line
     */
    static PtxImage parse(String text) {
        Matcher v = VERSION.matcher(text);
        if (!v.find()) {
            throw new IllegalStateException("PTX has no .version line");
        }
        Matcher t = TARGET.matcher(text);
        String target = t.find() ? t.group(1) : "";
        Set<String> entries = new LinkedHashSet<>();
        Matcher e = ENTRY.matcher(text);
        while (e.find()) {
            entries.add(e.group(1));
        }
        Matcher k = TOOLKIT.matcher(text);
        String toolkit = k.find() ? k.group(1).trim() : "";
        return new PtxImage(text, Integer.parseInt(v.group(1)), Integer.parseInt(v.group(2)), target,
                Collections.unmodifiableSet(entries), toolkit);
    }

    /** @return the PTX text as bytes with the terminating NUL the driver expects */
    byte[] nulTerminatedBytes() {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    /** @return the PTX text */
    String text() {
        return text;
    }

    /** @return the PTX ISA version, e.g. {@code "7.0"} */
    String isa() {
        return isaMajor + "." + isaMinor;
    }

    /** @return the {@code .target} architecture, e.g. {@code "sm_75"} */
    String target() {
        return target;
    }

    /** @return the names of the {@code .entry} functions */
    Set<String> entries() {
        return entries;
    }

    /** @return the "Cuda compilation tools, release ..." line nvcc wrote, if present */
    Optional<String> toolkit() {
        return toolkit.isEmpty() ? Optional.empty() : Optional.of(toolkit);
    }

    /** @return the oldest driver API version ({@code 1000*major + 10*minor}) that loads this ISA */
    int requiredDriverVersion() {
        return requiredDriverVersion(isaMajor, isaMinor);
    }

    /** @return the compute capability {@code 10*major + minor} the target needs, 0 if unknown */
    int requiredComputeCapability() {
        if (target.startsWith("sm_")) {
            String digits = target.substring(3).replaceAll("[^0-9].*$", "");
            if (!digits.isEmpty()) {
                return Integer.parseInt(digits);
            }
        }
        return 0;
    }

    /**
     * The CUDA release that introduced a PTX ISA version, as a driver API version number
     * ({@code cuDriverGetVersion}): a driver loads PTX of its own release's ISA or older.
     *
     * @return e.g. 11000 for ISA 7.0, 12000 for ISA 8.0, 13000 for ISA 9.0
     */
    static int requiredDriverVersion(int major, int minor) {
        switch (major) {
            case 6:
                // 6.0: CUDA 9.0, 6.1: 9.1, 6.2: 9.2, 6.3: 10.0, 6.4: 10.1, 6.5: 10.2
                return minor <= 2 ? 9000 + 10 * minor : 10000 + 10 * (minor - 3);
            case 7:
                return 11000 + 10 * minor;
            case 8:
                // 8.0 to 8.5: CUDA 12.0 to 12.5; 8.6: 12.7, 8.7: 12.8, 8.8: 12.9
                return minor <= 5 ? 12000 + 10 * minor : 12010 + 10 * minor;
            default:
                if (major < 6) {
                    return 1000 * Math.max(major + 3, 1) + 10 * minor;
                }
                // 9.x: CUDA 13.x, and so on for later releases
                return 1000 * (major + 4) + 10 * minor;
        }
    }

    /** @return {@code 12040} formatted as {@code "12.4"} */
    static String formatCudaVersion(int driverVersion) {
        return (driverVersion / 1000) + "." + (driverVersion % 1000) / 10;
    }
}
