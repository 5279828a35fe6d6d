package dev.vae.backend.cuda;

import jcuda.driver.CUresult;

/**
 * Result-code checking for JCuda driver calls. JCuda's own exceptions stay disabled so that every
 * failure is reported here with the call that failed and the driver's error name.
 */
final class Cuda {
    private Cuda() {
    }

    /**
     * @param rc a {@code CUresult} code
     * @param call what was called, with its arguments where they help ("cuMemAlloc(4096 bytes)")
     * @throws IllegalStateException unless {@code rc} is {@code CUDA_SUCCESS}
     */
    static void check(int rc, String call) {
        if (rc != CUresult.CUDA_SUCCESS) {
            throw new IllegalStateException("CUDA " + call + " failed: " + name(rc));
        }
    }

    /** @return the driver's name of a result code with its number, e.g. "CUDA_ERROR_NO_DEVICE (100)" */
    static String name(int rc) {
        String s;
        try {
            s = CUresult.stringFor(rc);
        } catch (RuntimeException e) {
            s = "CUresult";
        }
        return s + " (" + rc + ")";
    }
}
