package dev.vae.backend.cuda;

import java.util.Locale;

/**
 * What the driver reports about one device.
 *
 * @param index device ordinal
 * @param name marketing name, e.g. "NVIDIA H100 80GB HBM3"
 * @param totalMemory bytes of device memory
 * @param ccMajor compute capability, major
 * @param ccMinor compute capability, minor
 * @param multiprocessors number of streaming multiprocessors
 * @param driverVersion {@code cuDriverGetVersion}: {@code 1000*major + 10*minor} of the CUDA release
 *                      the driver supports
 */
record DeviceInfo(int index, String name, long totalMemory, int ccMajor, int ccMinor, int multiprocessors,
                  int driverVersion) {

    /** @return e.g. "NVIDIA H100 80GB HBM3 (device 0, 79.1 GiB, compute capability 9.0, 132 SMs), driver CUDA 12.4" */
    String describe() {
        return String.format(Locale.ROOT, "%s (device %d, %.1f GiB, compute capability %d.%d, %d SMs), driver CUDA %s",
                name, index, totalMemory / (double) (1L << 30), ccMajor, ccMinor, multiprocessors,
                PtxImage.formatCudaVersion(driverVersion));
    }
}
