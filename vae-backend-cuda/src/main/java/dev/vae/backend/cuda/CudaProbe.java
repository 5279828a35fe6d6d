package dev.vae.backend.cuda;

import dev.vae.api.spi.ProbeResult;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds out whether, and on which device, the backend can run, in an order that touches native
 * code only once it is known to be there: first {@code libcuda.so.1} on disk, then JCuda's JNI
 * library, {@code cuInit}, the driver version against the PTX ISA of the bundled kernels, the
 * device count and the device's compute capability. Every failure becomes a one-line reason;
 * nothing here throws.
 */
final class CudaProbe {
    /** System property: milliseconds {@link #probe()} waits for the driver before giving up. */
    static final String TIMEOUT_PROPERTY = "vae.cuda.probeTimeoutMillis";
    /** System property: device ordinal the provider probes and creates on by default. */
    static final String DEVICE_PROPERTY = "vae.cuda.device";

    private static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
    private static final Object LOCK = new Object();
    private static final Object JCUDA_LOCK = new Object();
    private static ProbeResult cached;
    private static boolean jcudaAttempted;
    private static String jcudaFailure;

    private CudaProbe() {
    }

    /**
     * Outcome of {@link #inspect}: the device, or why there is none.
     *
     * @param device the device when usable, else null
     * @param failure the reason when not usable, else empty
     */
    record Outcome(DeviceInfo device, String failure) {
        static Outcome failed(String reason) {
            return new Outcome(null, reason);
        }

        /** @return true when {@link #device()} is usable */
        boolean ok() {
            return device != null;
        }
    }

    /**
     * The provider's probe: {@link #inspect} on the default device, run once per JVM on a daemon
     * thread and abandoned after {@value #DEFAULT_TIMEOUT_MILLIS} ms (or {@link #TIMEOUT_PROPERTY})
     * so that a wedged driver cannot hang discovery.
     */
    static ProbeResult probe() {
        synchronized (LOCK) {
            if (cached == null) {
                cached = probeOnce();
            }
            return cached;
        }
    }

    private static ProbeResult probeOnce() {
        try {
            int device = defaultDevice();
            long timeout = Long.getLong(TIMEOUT_PROPERTY, DEFAULT_TIMEOUT_MILLIS);
            return withTimeout(() -> inspect(device), timeout);
        } catch (Throwable t) {
            return ProbeResult.unavailable("CUDA probe failed: " + t);
        }
    }

    /**
     * Runs {@code query} on a daemon thread and waits at most {@code timeoutMillis} for it; a
     * query that does not return in time is abandoned (the thread cannot keep the JVM alive).
     *
     * @return the probe result built from the outcome, or an unavailable result saying what happened
     */
    static ProbeResult withTimeout(Callable<Outcome> query, long timeoutMillis) {
        FutureTask<Outcome> task = new FutureTask<>(query);
        Thread t = new Thread(task, "vae-cuda-probe");
        t.setDaemon(true);
        t.start();
        Outcome o;
        try {
            o = task.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return ProbeResult.unavailable("the CUDA driver did not answer within " + timeoutMillis
                    + " ms (cuInit or the device query hung)");
        } catch (ExecutionException e) {
            return ProbeResult.unavailable("CUDA probe failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.unavailable("CUDA probe interrupted");
        }
        if (o == null || !o.ok()) {
            return ProbeResult.unavailable(o == null ? "CUDA probe returned nothing" : o.failure());
        }
        return ProbeResult.available(o.device().describe() + "; JCuda " + jcudaVersion() + "; kernels "
                + ptxSummary() + "; matmul: " + matmulHint());
    }

    /** @return the device ordinal from {@link #DEVICE_PROPERTY}, 0 when unset or not a number */
    static int defaultDevice() {
        try {
            return Math.max(0, Integer.parseInt(System.getProperty(DEVICE_PROPERTY, "0").trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Queries the driver about device {@code index}. Never throws.
     *
     * @return the device, or the reason it cannot be used
     */
    static Outcome inspect(int index) {
        try {
            if (NativeLibraries.isLinux()) {
                Optional<?> lib = NativeLibraries.find("libcuda.so.1");
                if (lib.isEmpty()) {
                    return Outcome.failed("no libcuda.so.1 found (searched " + NativeLibraries.searchedPlaces()
                            + "): the NVIDIA driver is not installed");
                }
            }
            String loadFailure = loadJCuda();
            if (loadFailure != null) {
                return Outcome.failed(loadFailure);
            }
            int rc = JCudaDriver.cuInit(0);
            if (rc != CUresult.CUDA_SUCCESS) {
                return Outcome.failed(initFailure(rc));
            }
            int[] version = new int[1];
            rc = JCudaDriver.cuDriverGetVersion(version);
            if (rc != CUresult.CUDA_SUCCESS) {
                return Outcome.failed("cuDriverGetVersion failed: " + Cuda.name(rc));
            }
            PtxImage ptx = PtxImage.bundled();
            if (version[0] < ptx.requiredDriverVersion()) {
                return Outcome.failed(driverTooOld(version[0], ptx));
            }
            int[] count = new int[1];
            rc = JCudaDriver.cuDeviceGetCount(count);
            if (rc != CUresult.CUDA_SUCCESS) {
                return Outcome.failed("cuDeviceGetCount failed: " + Cuda.name(rc));
            }
            if (count[0] == 0) {
                return Outcome.failed("no CUDA device (the driver reports 0 devices)");
            }
            if (index >= count[0]) {
                return Outcome.failed("CUDA device " + index + " requested but only " + count[0] + " present");
            }
            CUdevice dev = new CUdevice();
            Cuda.check(JCudaDriver.cuDeviceGet(dev, index), "cuDeviceGet(" + index + ")");
            byte[] name = new byte[256];
            Cuda.check(JCudaDriver.cuDeviceGetName(name, name.length, dev), "cuDeviceGetName");
            long[] mem = new long[1];
            Cuda.check(JCudaDriver.cuDeviceTotalMem(mem, dev), "cuDeviceTotalMem");
            int major = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
            int minor = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
            int sms = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
            DeviceInfo info = new DeviceInfo(index, cString(name), mem[0], major, minor, sms, version[0]);
            int needed = ptx.requiredComputeCapability();
            if (10 * major + minor < needed) {
                return Outcome.failed("CUDA device " + index + " (" + info.name() + ") has compute capability "
                        + major + "." + minor + "; the kernels (" + ptx.target() + ") need " + needed / 10 + "."
                        + needed % 10 + " or newer");
            }
            return new Outcome(info, "");
        } catch (Throwable t) {
            return Outcome.failed("CUDA probe failed: " + describe(t));
        }
    }

    /**
     * Loads JCuda's driver JNI library (through the class initialiser of {@link JCudaDriver}) once
     * per JVM; a failure is remembered, since the class cannot be initialised a second time.
     *
     * @return null when loaded, else the reason in one line
     */
    private static String loadJCuda() {
        synchronized (JCUDA_LOCK) {
            if (!jcudaAttempted) {
                jcudaAttempted = true;
                try {
                    JCudaDriver.setExceptionsEnabled(false);
                } catch (Throwable t) {
                    jcudaFailure = "the JCuda driver library failed to load: " + nativeLoadSummary(t);
                }
            }
            return jcudaFailure;
        }
    }

    /**
     * JCuda's load errors carry nested stack traces in their message; the dynamic loader's own
     * complaint (the last "UnsatisfiedLinkError: ..." line) is what says why.
     */
    static String nativeLoadSummary(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        String best = null;
        for (String line : m.split("\\R")) {
            int i = line.indexOf("UnsatisfiedLinkError: ");
            if (i >= 0) {
                best = line.substring(i + "UnsatisfiedLinkError: ".length()).trim();
            }
        }
        if (best == null) {
            best = m.split("\\R", 2)[0].trim();
        }
        return best;
    }

    /** @return the reason for a {@code cuInit} failure */
    static String initFailure(int rc) {
        if (rc == CUresult.CUDA_ERROR_NO_DEVICE) {
            return "no CUDA device (cuInit: " + Cuda.name(rc) + ")";
        }
        if (rc == CUresult.CUDA_ERROR_SYSTEM_DRIVER_MISMATCH) {
            return "the NVIDIA kernel module and libcuda.so.1 are of different driver versions (cuInit: "
                    + Cuda.name(rc) + "); reboot or reinstall the driver";
        }
        if (rc == CUresult.CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE) {
            return "driver too old: the CUDA forward-compatibility libcuda.so.1 does not support this GPU (cuInit: "
                    + Cuda.name(rc) + ")";
        }
        if (rc == CUresult.CUDA_ERROR_STUB_LIBRARY) {
            return "libcuda.so.1 is the CUDA toolkit's stub library, not an NVIDIA driver (cuInit: "
                    + Cuda.name(rc) + ")";
        }
        return "cuInit failed: " + Cuda.name(rc);
    }

    /** @return the reason given when the driver cannot load PTX of the bundled ISA version */
    static String driverTooOld(int driverVersion, PtxImage ptx) {
        return "driver too old for PTX ISA " + ptx.isa() + ": the driver supports CUDA "
                + PtxImage.formatCudaVersion(driverVersion) + ", PTX ISA " + ptx.isa() + " needs CUDA "
                + PtxImage.formatCudaVersion(ptx.requiredDriverVersion()) + " or newer";
    }

    private static int attribute(CUdevice dev, int attribute) {
        int[] v = new int[1];
        Cuda.check(JCudaDriver.cuDeviceGetAttribute(v, attribute, dev), "cuDeviceGetAttribute(" + attribute + ")");
        return v[0];
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8).trim();
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** @return JCuda's version string, e.g. "12.0.0" */
    static String jcudaVersion() {
        try {
            return jcuda.JCudaVersion.get();
        } catch (Throwable t) {
            return "(unknown version)";
        }
    }

    /** @return e.g. "PTX ISA 7.0 for sm_75" */
    static String ptxSummary() {
        PtxImage ptx = PtxImage.bundled();
        return "PTX ISA " + ptx.isa() + " for " + ptx.target();
    }

    private static String matmulHint() {
        if (!NativeLibraries.isLinux()) {
            return "cuBLAS if JCublas2 loads, otherwise the tiled PTX kernel";
        }
        return NativeLibraries.find(CublasMatmul.LIBRARY)
                .map(p -> "cuBLAS if JCublas2 loads (" + p + "), otherwise the tiled PTX kernel")
                .orElse("tiled PTX kernel (no " + CublasMatmul.LIBRARY + " on the library path)");
    }
}
