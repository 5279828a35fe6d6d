/*
 * A stand-in for the NVIDIA driver's libcuda.so.1, for tests on machines without a GPU: it answers
 * the device queries the CUDA backend's probe makes and refuses to load modules, as configured by
 * environment variables. JCuda's JNI library binds driver functions lazily, so only the functions
 * the exercised paths call need to exist.
 *
 *   FAKE_CUDA_INIT            cuInit's result code (default 0)
 *   FAKE_CUDA_DRIVER_VERSION  cuDriverGetVersion (default 12040)
 *   FAKE_CUDA_DEVICES         cuDeviceGetCount (default 1)
 *   FAKE_CUDA_CC              compute capability as 10*major+minor (default 90)
 *   FAKE_CUDA_MODULE_RESULT   cuModuleLoadData's result code (default 222, unsupported PTX version)
 */
#include <stdlib.h>
#include <string.h>
#include <stddef.h>

static int env_int(const char *name, int fallback) {
    const char *v = getenv(name);
    return v && *v ? atoi(v) : fallback;
}

int cuInit(unsigned int flags) { (void) flags; return env_int("FAKE_CUDA_INIT", 0); }

int cuDriverGetVersion(int *v) { *v = env_int("FAKE_CUDA_DRIVER_VERSION", 12040); return 0; }

int cuDeviceGetCount(int *n) { *n = env_int("FAKE_CUDA_DEVICES", 1); return 0; }

int cuDeviceGet(int *dev, int ordinal) {
    if (ordinal < 0 || ordinal >= env_int("FAKE_CUDA_DEVICES", 1)) return 101; /* CUDA_ERROR_INVALID_DEVICE */
    *dev = ordinal;
    return 0;
}

int cuDeviceGetName(char *name, int len, int dev) {
    (void) dev;
    strncpy(name, "Fake GPU", (size_t) len);
    if (len > 0) name[len - 1] = 0;
    return 0;
}

int cuDeviceTotalMem_v2(size_t *bytes, int dev) { (void) dev; *bytes = (size_t) 16 << 30; return 0; }

int cuDeviceGetAttribute(int *v, int attribute, int dev) {
    (void) dev;
    int cc = env_int("FAKE_CUDA_CC", 90);
    switch (attribute) {
        case 16: *v = 8; return 0;           /* multiprocessor count */
        case 75: *v = cc / 10; return 0;     /* compute capability major */
        case 76: *v = cc % 10; return 0;     /* compute capability minor */
        default: *v = 0; return 0;
    }
}

static int fake_context;

int cuDevicePrimaryCtxRetain(void **ctx, int dev) { (void) dev; *ctx = &fake_context; return 0; }

int cuDevicePrimaryCtxRelease_v2(int dev) { (void) dev; return 0; }

int cuCtxSetCurrent(void *ctx) { (void) ctx; return 0; }

int cuModuleLoadData(void **module, const void *image) {
    (void) image;
    *module = NULL;
    return env_int("FAKE_CUDA_MODULE_RESULT", 222);
}

/* The JIT-log retry: writes a recognisable log into CU_JIT_ERROR_LOG_BUFFER (option 5). */
int cuModuleLoadDataEx(void **module, const void *image, unsigned int n, int *options, void **values) {
    (void) image;
    size_t size = 0;
    for (unsigned int i = 0; i < n; i++) {
        if (options[i] == 6) size = (size_t) (unsigned int) (size_t) values[i];
    }
    for (unsigned int i = 0; i < n; i++) {
        if (options[i] == 5 && size > 0) {
            strncpy((char *) values[i], "ptxas fatal: fake JIT failure", size);
            ((char *) values[i])[size - 1] = 0;
        }
    }
    *module = NULL;
    return env_int("FAKE_CUDA_MODULE_RESULT", 222);
}

int cuModuleUnload(void *module) { (void) module; return 0; }
