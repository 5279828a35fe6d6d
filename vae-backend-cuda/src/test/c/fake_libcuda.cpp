// A stand-in for the NVIDIA driver's libcuda.so.1, for tests on machines without a GPU.
//
// It answers the device queries of the CUDA backend's probe as configured by environment
// variables, and, when module loading is allowed, runs the module's kernels on the CPU: this file
// includes src/main/cuda/vae_kernels.cu itself, compiled as C++ with the CUDA built-ins emulated
// below (each block's threads are cooperative fibers that switch at __syncthreads, so shared
// memory, barriers and warp shuffles behave as on a device; blocks run one after another).
// "Device" memory is host memory. What this cannot show: the PTX JIT, the device math library
// (the host libm is used), and timing or concurrency effects of real hardware.
//
// JCuda's JNI library binds driver functions lazily, so only the functions the backend calls
// need to exist.
//
//   FAKE_CUDA_INIT            cuInit's result code (default 0)
//   FAKE_CUDA_DRIVER_VERSION  cuDriverGetVersion (default 12040)
//   FAKE_CUDA_DEVICES         cuDeviceGetCount (default 1)
//   FAKE_CUDA_CC              compute capability as 10*major+minor (default 90)
//   FAKE_CUDA_SMS             multiprocessor count (default 8)
//   FAKE_CUDA_MODULE_RESULT   cuModuleLoadData's result code (default 222, unsupported PTX
//                             version); 0 loads the emulated kernels

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

// ------------------------------------------------------------------ CUDA built-ins on the CPU

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(n)
#define __shared__ static
#define CUDART_INF INFINITY

struct uint3_ {
    unsigned int x, y, z;
};

static uint3_ threadIdx, blockIdx, blockDim, gridDim;

using std::min;

namespace emu {
struct Fiber {
    ucontext_t ctx;
    bool done;
};

const size_t STACK = 128 * 1024;
std::vector<Fiber> fibers;
std::vector<char *> stacks;
ucontext_t scheduler;
unsigned current;
const std::function<void()> *body;
double shuffle[1024];

void fiber_main() {
    (*body)();
    fibers[current].done = true;
    swapcontext(&fibers[current].ctx, &scheduler);
}

// Runs one block: every thread until it reaches a barrier or ends, then again, until all end.
void run_block(unsigned threads, const std::function<void()> &kernel) {
    while (fibers.size() < threads) {
        fibers.push_back(Fiber());
        stacks.push_back(static_cast<char *>(malloc(STACK)));
    }
    for (unsigned t = 0; t < threads; t++) {
        getcontext(&fibers[t].ctx);
        fibers[t].ctx.uc_stack.ss_sp = stacks[t];
        fibers[t].ctx.uc_stack.ss_size = STACK;
        fibers[t].ctx.uc_link = nullptr;
        makecontext(&fibers[t].ctx, fiber_main, 0);
        fibers[t].done = false;
    }
    body = &kernel;
    unsigned remaining = threads;
    while (remaining > 0) {
        for (unsigned t = 0; t < threads; t++) {
            if (fibers[t].done) continue;
            current = t;
            threadIdx.x = t % blockDim.x;
            threadIdx.y = (t / blockDim.x) % blockDim.y;
            threadIdx.z = t / (blockDim.x * blockDim.y);
            swapcontext(&scheduler, &fibers[t].ctx);
            if (fibers[t].done) remaining--;
        }
    }
}
}  // namespace emu

static void __syncthreads() { swapcontext(&emu::fibers[emu::current].ctx, &emu::scheduler); }

// Block-wide exchange; the kernels only shuffle in block-uniform control flow.
template <class T>
static T __shfl_xor_sync(unsigned int, T v, int laneMask) {
    unsigned int me = threadIdx.x;
    emu::shuffle[me] = (double) v;
    __syncthreads();
    T r = (T) emu::shuffle[me ^ (unsigned int) laneMask];
    __syncthreads();
    return r;
}

static unsigned int __umulhi(unsigned int a, unsigned int b) {
    return (unsigned int) (((unsigned long long) a * b) >> 32);
}

#include "../../main/cuda/vae_kernels.cu"

// ------------------------------------------------------------------ kernel table

namespace emu {
template <class... A, size_t... I>
void invoke(void (*f)(A...), void **p, std::index_sequence<I...>) {
    f(*static_cast<std::remove_cv_t<std::remove_reference_t<A>> *>(p[I])...);
}

template <class... A>
std::function<void(void **)> entry(void (*f)(A...)) {
    return [f](void **p) { invoke(f, p, std::index_sequence_for<A...>{}); };
}

#define KERNEL(name) {#name, entry(&name)}
#define TYPED(base) KERNEL(base##_f32), KERNEL(base##_f64)

const std::map<std::string, std::function<void(void **)>> &kernels() {
    static const std::map<std::string, std::function<void(void **)>> table = {
        TYPED(fill), TYPED(unary), TYPED(binary), TYPED(binary_scalar), TYPED(where), TYPED(copy),
        TYPED(gather_rows), TYPED(reduce_inner), TYPED(reduce_outer), TYPED(logsumexp_inner),
        TYPED(logsumexp_outer), TYPED(matmul), TYPED(bias_rows), TYPED(relu_backward), TYPED(bernoulli_log_prob),
        TYPED(gaussian_kl), TYPED(adam), TYPED(philox_uniform), TYPED(philox_normal),
        KERNEL(cast_f32_f64), KERNEL(cast_f64_f32),
    };
    return table;
}

int env_int(const char *name, int fallback) {
    const char *v = getenv(name);
    return v && *v ? atoi(v) : fallback;
}

int fake_context;
int fake_module;
}  // namespace emu

// ------------------------------------------------------------------ driver API

extern "C" {

int cuInit(unsigned int) { return emu::env_int("FAKE_CUDA_INIT", 0); }

int cuDriverGetVersion(int *v) {
    *v = emu::env_int("FAKE_CUDA_DRIVER_VERSION", 12040);
    return 0;
}

int cuDeviceGetCount(int *n) {
    *n = emu::env_int("FAKE_CUDA_DEVICES", 1);
    return 0;
}

int cuDeviceGet(int *dev, int ordinal) {
    if (ordinal < 0 || ordinal >= emu::env_int("FAKE_CUDA_DEVICES", 1)) return 101;  // CUDA_ERROR_INVALID_DEVICE
    *dev = ordinal;
    return 0;
}

int cuDeviceGetName(char *name, int len, int) {
    if (len <= 0) return 1;
    strncpy(name, "Fake GPU", (size_t) len);
    name[len - 1] = 0;
    return 0;
}

int cuDeviceTotalMem_v2(size_t *bytes, int) {
    *bytes = (size_t) 16 << 30;
    return 0;
}

int cuDeviceGetAttribute(int *v, int attribute, int) {
    int cc = emu::env_int("FAKE_CUDA_CC", 90);
    switch (attribute) {
        case 16: *v = emu::env_int("FAKE_CUDA_SMS", 8); return 0;  // multiprocessor count
        case 75: *v = cc / 10; return 0;                            // compute capability major
        case 76: *v = cc % 10; return 0;                            // compute capability minor
        default: *v = 0; return 0;
    }
}

int cuDevicePrimaryCtxRetain(void **ctx, int) {
    *ctx = &emu::fake_context;
    return 0;
}

int cuDevicePrimaryCtxRelease_v2(int) { return 0; }

int cuCtxSetCurrent(void *) { return 0; }

int cuCtxSynchronize() { return 0; }

int cuModuleLoadData(void **module, const void *) {
    int rc = emu::env_int("FAKE_CUDA_MODULE_RESULT", 222);
    *module = rc == 0 ? &emu::fake_module : nullptr;
    return rc;
}

// The JIT-log retry: a recognisable log in CU_JIT_ERROR_LOG_BUFFER (option 5, size in option 6).
int cuModuleLoadDataEx(void **module, const void *image, unsigned int n, int *options, void **values) {
    size_t size = 0;
    for (unsigned int i = 0; i < n; i++) {
        if (options[i] == 6) size = (size_t) (unsigned int) (size_t) values[i];
    }
    for (unsigned int i = 0; i < n; i++) {
        if (options[i] == 5 && size > 0) {
            strncpy(static_cast<char *>(values[i]), "ptxas fatal: fake JIT failure", size);
            static_cast<char *>(values[i])[size - 1] = 0;
        }
    }
    return cuModuleLoadData(module, image);
}

int cuModuleUnload(void *) { return 0; }

int cuModuleGetFunction(const void **function, void *, const char *name) {
    auto it = emu::kernels().find(name);
    if (it == emu::kernels().end()) return 500;  // CUDA_ERROR_NOT_FOUND
    *function = &it->second;
    return 0;
}

int cuLaunchKernel(const void *function, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx,
                   unsigned int by, unsigned int bz, unsigned int, void *, void **params, void **) {
    if (function == nullptr || gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0
        || bx * by * bz > 1024) {
        return 1;  // CUDA_ERROR_INVALID_VALUE
    }
    const auto &entry = *static_cast<const std::function<void(void **)> *>(function);
    gridDim = {gx, gy, gz};
    blockDim = {bx, by, bz};
    const std::function<void()> kernel = [&entry, params]() { entry(params); };
    for (unsigned int z = 0; z < gz; z++) {
        for (unsigned int y = 0; y < gy; y++) {
            for (unsigned int x = 0; x < gx; x++) {
                blockIdx = {x, y, z};
                emu::run_block(bx * by * bz, kernel);
            }
        }
    }
    return 0;
}

int cuMemAlloc_v2(unsigned long long *ptr, size_t bytes) {
    void *p = aligned_alloc(256, (bytes + 255) / 256 * 256);
    if (p == nullptr) return 2;  // CUDA_ERROR_OUT_OF_MEMORY
    *ptr = (unsigned long long) (size_t) p;
    return 0;
}

int cuMemFree_v2(unsigned long long ptr) {
    free((void *) (size_t) ptr);
    return 0;
}

int cuMemcpyHtoD_v2(unsigned long long dst, const void *src, size_t bytes) {
    memcpy((void *) (size_t) dst, src, bytes);
    return 0;
}

int cuMemcpyDtoH_v2(void *dst, unsigned long long src, size_t bytes) {
    memcpy(dst, (const void *) (size_t) src, bytes);
    return 0;
}

int cuMemcpyDtoDAsync_v2(unsigned long long dst, unsigned long long src, size_t bytes, void *) {
    memmove((void *) (size_t) dst, (const void *) (size_t) src, bytes);
    return 0;
}

}  // extern "C"
