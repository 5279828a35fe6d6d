// Device kernels of the vae-backend-cuda module.
//
// Compiled to PTX by build-ptx.sh (virtual architecture compute_75, PTX ISA lowered to the version
// named there and validated with ptxas); the generated PTX is committed under
// src/main/resources/dev/vae/backend/cuda/vae_kernels.ptx and loaded at run time through the CUDA
// driver API (cuModuleLoadDataEx), so no CUDA runtime library is needed.
//
// Conventions shared with the Java side (CudaKernels, KernelEntry, OpCodes):
//  * every array is dense and row-major; strided access (broadcasting, permutes, slices, concat)
//    goes through a Layout passed by value: the iteration shape right-aligned in MAX_DIMS slots
//    and one stride vector (in elements, 0 for a broadcast dimension) per operand;
//  * element counts are below 2^31 (Shapes.sizeInt), loops run in 64-bit to avoid overflow;
//  * entry points are extern "C" with a _f32 / _f64 suffix for the element type;
//  * the op codes below are mirrored by dev.vae.backend.cuda.OpCodes (a test checks both agree).
//
// Outside nvcc (no __CUDACC__) the file is plain C++ apart from the CUDA built-ins, which
// src/test/c/fake_libcuda.cpp supplies to run these kernels on the CPU in tests.

#ifdef __CUDACC__
#include <math_constants.h>
#endif

#define MAX_DIMS 8
#define MAX_OPERANDS 3

// ------------------------------------------------------------------ unary op codes
#define U_NEG 0
#define U_EXP 1
#define U_LOG 2
#define U_LOG1P 3
#define U_EXPM1 4
#define U_SQRT 5
#define U_ABS 6
#define U_SIGN 7
#define U_TANH 8
#define U_SIGMOID 9
#define U_RELU 10
#define U_SOFTPLUS 11
#define U_SQUARE 12
#define U_RECIPROCAL 13

// ------------------------------------------------------------------ binary op codes
#define B_ADD 0
#define B_SUB 1
#define B_MUL 2
#define B_DIV 3
#define B_MAX 4
#define B_MIN 5
#define B_POW 6
#define B_GT 7
#define B_GE 8
#define B_LT 9
#define B_LE 10
#define B_EQ 11

// ------------------------------------------------------------------ reduction op codes
#define R_SUM 0
#define R_MAX 1

// Iteration space and operand strides, right-aligned: dimension d is live when
// d >= MAX_DIMS - rank. Layout of the 33 ints matches CudaKernels' packing.
struct Layout {
    int rank;
    int shape[MAX_DIMS];
    int stride[MAX_OPERANDS][MAX_DIMS];
};

// ------------------------------------------------------------------ type-generic math helpers

__device__ __forceinline__ float m_exp(float x) { return expf(x); }
__device__ __forceinline__ double m_exp(double x) { return exp(x); }
__device__ __forceinline__ float m_log(float x) { return logf(x); }
__device__ __forceinline__ double m_log(double x) { return log(x); }
__device__ __forceinline__ float m_log1p(float x) { return log1pf(x); }
__device__ __forceinline__ double m_log1p(double x) { return log1p(x); }
__device__ __forceinline__ float m_expm1(float x) { return expm1f(x); }
__device__ __forceinline__ double m_expm1(double x) { return expm1(x); }
__device__ __forceinline__ float m_sqrt(float x) { return sqrtf(x); }
__device__ __forceinline__ double m_sqrt(double x) { return sqrt(x); }
__device__ __forceinline__ float m_abs(float x) { return fabsf(x); }
__device__ __forceinline__ double m_abs(double x) { return fabs(x); }
__device__ __forceinline__ float m_tanh(float x) { return tanhf(x); }
__device__ __forceinline__ double m_tanh(double x) { return tanh(x); }
// float32 pow is evaluated in float64 and rounded, as the reference (Math.pow) does.
__device__ __forceinline__ float m_pow(float x, float y) { return (float) pow((double) x, (double) y); }
__device__ __forceinline__ double m_pow(double x, double y) { return pow(x, y); }
__device__ __forceinline__ bool m_isnan(float x) { return x != x; }
__device__ __forceinline__ bool m_isnan(double x) { return x != x; }
__device__ __forceinline__ bool m_signbit(float x) { return signbit(x); }
__device__ __forceinline__ bool m_signbit(double x) { return signbit(x); }
__device__ __forceinline__ bool m_isinf(float x) { return isinf(x); }
__device__ __forceinline__ bool m_isinf(double x) { return isinf(x); }

// Numerically stable softplus: max(x, 0) + log1p(exp(-|x|)); NaN stays NaN.
template <class T>
__device__ __forceinline__ T softplus(T x) {
    T pos = x > T(0) ? x : T(0);
    return pos + m_log1p(m_exp(-m_abs(x)));
}

// Sigmoid without overflow: only exp of a non-positive argument is ever taken.
template <class T>
__device__ __forceinline__ T sigmoid(T x) {
    if (x >= T(0)) {
        return T(1) / (T(1) + m_exp(-x));
    }
    T e = m_exp(x);  // also the NaN path: NaN >= 0 is false, exp(NaN) is NaN
    return e / (T(1) + e);
}

template <class T>
__device__ __forceinline__ T apply_unary(int op, T x) {
    switch (op) {
        case U_NEG: return -x;
        case U_EXP: return m_exp(x);
        case U_LOG: return m_log(x);
        case U_LOG1P: return m_log1p(x);
        case U_EXPM1: return m_expm1(x);
        case U_SQRT: return m_sqrt(x);
        case U_ABS: return m_abs(x);
        case U_SIGN: return x > T(0) ? T(1) : (x < T(0) ? T(-1) : x);  // +-0 and NaN pass through
        case U_TANH: return m_tanh(x);
        case U_SIGMOID: return sigmoid(x);
        case U_RELU: return (x > T(0) || m_isnan(x)) ? x : T(0);
        case U_SOFTPLUS: return softplus(x);
        case U_SQUARE: return x * x;
        case U_RECIPROCAL: return T(1) / x;
        default: return x;
    }
}

// max/min that propagate NaN and order -0 below +0 (as java.lang.Math does).
template <class T>
__device__ __forceinline__ T nan_max(T a, T b) {
    if (m_isnan(a) || m_isnan(b)) return a + b;
    if (a > b) return a;
    if (b > a) return b;
    return m_signbit(a) ? b : a;
}

template <class T>
__device__ __forceinline__ T nan_min(T a, T b) {
    if (m_isnan(a) || m_isnan(b)) return a + b;
    if (a < b) return a;
    if (b < a) return b;
    return m_signbit(a) ? a : b;
}

// a^b with java.lang.Math.pow's edge cases: NaN exponent gives NaN, |a| == 1 with an infinite
// exponent gives NaN (C's pow returns 1 for both).
template <class T>
__device__ __forceinline__ T java_pow(T a, T b) {
    if (m_isnan(b)) return b;
    if (m_abs(a) == T(1) && m_isinf(b)) return b - b;  // inf - inf: NaN
    return m_pow(a, b);
}

template <class T>
__device__ __forceinline__ T apply_binary(int op, T a, T b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_MAX: return nan_max(a, b);
        case B_MIN: return nan_min(a, b);
        case B_POW: return java_pow(a, b);
        case B_GT: return a > b ? T(1) : T(0);
        case B_GE: return a >= b ? T(1) : T(0);
        case B_LT: return a < b ? T(1) : T(0);
        case B_LE: return a <= b ? T(1) : T(0);
        case B_EQ: return a == b ? T(1) : T(0);
        default: return a;
    }
}

// Reductions accumulate in double: exact for MAX, more accurate for float32 SUM.
__device__ __forceinline__ double reduce_identity(int op) {
    return op == R_SUM ? 0.0 : -CUDART_INF;
}

__device__ __forceinline__ double reduce_combine(int op, double acc, double x) {
    if (op == R_SUM) return acc + x;
    return (m_isnan(x) || x > acc) ? x : acc;  // a NaN accumulator stays NaN
}

// Offsets of element i of the iteration space in each of NOPS operands.
template <int NOPS>
__device__ __forceinline__ void locate(const Layout& L, unsigned int i, unsigned int* off) {
#pragma unroll
    for (int k = 0; k < NOPS; k++) off[k] = 0;
#pragma unroll
    for (int d = MAX_DIMS - 1; d >= 0; d--) {
        if (d >= MAX_DIMS - L.rank) {
            unsigned int s = (unsigned int) L.shape[d];
            unsigned int c = i % s;
            i /= s;
#pragma unroll
            for (int k = 0; k < NOPS; k++) off[k] += c * (unsigned int) L.stride[k][d];
        }
    }
}

#define GRID_STRIDE_LOOP(i, n) \
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < (n); \
         i += (long long) blockDim.x * gridDim.x)

// ------------------------------------------------------------------ element-wise implementations

template <class T>
__device__ void fill_impl(T* out, long long n, T v) {
    GRID_STRIDE_LOOP(i, n) out[i] = v;
}

template <class T>
__device__ void unary_impl(int op, const T* in, T* out, long long n) {
    GRID_STRIDE_LOOP(i, n) out[i] = apply_unary(op, in[i]);
}

template <class T>
__device__ void binary_impl(int op, const T* a, const T* b, T* out, long long n, const Layout& L) {
    GRID_STRIDE_LOOP(i, n) {
        unsigned int off[2];
        locate<2>(L, (unsigned int) i, off);
        out[i] = apply_binary(op, a[off[0]], b[off[1]]);
    }
}

template <class T>
__device__ void binary_scalar_impl(int op, const T* a, T s, T* out, long long n) {
    GRID_STRIDE_LOOP(i, n) out[i] = apply_binary(op, a[i], s);
}

template <class T>
__device__ void where_impl(const T* c, const T* a, const T* b, T* out, long long n, const Layout& L) {
    GRID_STRIDE_LOOP(i, n) {
        unsigned int off[3];
        locate<3>(L, (unsigned int) i, off);
        out[i] = c[off[0]] != T(0) ? a[off[1]] : b[off[2]];
    }
}

// Strided copy: operand 0 is the source, operand 1 the destination (permute, slice, concat).
template <class T>
__device__ void copy_impl(const T* in, T* out, long long n, const Layout& L) {
    GRID_STRIDE_LOOP(i, n) {
        unsigned int off[2];
        locate<2>(L, (unsigned int) i, off);
        out[off[1]] = in[off[0]];
    }
}

template <class T>
__device__ void gather_rows_impl(const T* in, const int* rows, T* out, long long n, long long rowLen) {
    GRID_STRIDE_LOOP(i, n) {
        long long r = i / rowLen;
        long long c = i - r * rowLen;
        out[i] = in[(long long) rows[r] * rowLen + c];
    }
}

template <class T>
__device__ void relu_backward_impl(const T* x, const T* g, T* out, long long n) {
    GRID_STRIDE_LOOP(i, n) {
        // g * step(x), a multiplication so that inf or NaN in g gives NaN where x <= 0
        out[i] = g[i] * (x[i] > T(0) ? T(1) : T(0));
    }
}

template <class T>
__device__ void bernoulli_log_prob_impl(const T* logits, const T* x, T* out, long long n) {
    GRID_STRIDE_LOOP(i, n) {
        T l = logits[i];
        out[i] = x[i] * l - softplus(l);
    }
}

template <class T>
__device__ void gaussian_kl_impl(const T* mu, const T* logvar, T* out, long long n) {
    GRID_STRIDE_LOOP(i, n) {
        T m = mu[i];
        T lv = logvar[i];
        out[i] = T(0.5) * (((m_exp(lv) + m * m) - lv) - T(1));
    }
}

template <class T>
__device__ void adam_impl(T* p, const T* g, T* m, T* v, long long n, double lr, double beta1,
                          double beta2, double eps, double bc1, double bc2, double wd) {
    const T b1 = (T) beta1, omb1 = (T) (1.0 - beta1);
    const T b2 = (T) beta2, omb2 = (T) (1.0 - beta2);
    const T c1 = (T) bc1, c2 = (T) bc2, e = (T) eps, step = (T) lr;
    const T decay = (T) (1.0 - lr * wd);
    GRID_STRIDE_LOOP(i, n) {
        T gi = g[i];
        T mi = b1 * m[i] + omb1 * gi;
        T vi = b2 * v[i] + omb2 * (gi * gi);
        T upd = step * ((mi / c1) / (m_sqrt(vi / c2) + e));
        T pi = wd == 0.0 ? p[i] : p[i] * decay;
        m[i] = mi;
        v[i] = vi;
        p[i] = pi - upd;
    }
}

// ------------------------------------------------------------------ reductions

// Reduction of contiguous rows: item w = (o, c) reduces in[o*R + r] for r in segment c of
// length segLen; tpr threads (32 or 256, blockDim.x == 256) cooperate on one item.
template <class T>
__device__ void reduce_inner_impl(int op, const T* in, T* out, int O, int R, int segs, int segLen,
                                  int tpr) {
    __shared__ double partial[8];
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int member = threadIdx.x % tpr;
    const int group = threadIdx.x / tpr;
    const int groupsPerBlock = blockDim.x / tpr;
    const long long items = (long long) O * segs;
    for (long long base = (long long) blockIdx.x * groupsPerBlock; base < items;
         base += (long long) gridDim.x * groupsPerBlock) {
        const long long w = base + group;
        double acc = reduce_identity(op);
        if (w < items) {
            const long long o = w / segs;
            const long long c = w - o * segs;
            const long long r0 = c * segLen;
            const long long r1 = min((long long) R, r0 + segLen);
            const T* row = in + o * R;
            for (long long r = r0 + member; r < r1; r += tpr) acc = reduce_combine(op, acc, (double) row[r]);
        }
#pragma unroll
        for (int off = 16; off > 0; off >>= 1) {
            acc = reduce_combine(op, acc, __shfl_xor_sync(0xffffffffu, acc, off));
        }
        if (tpr == 32) {
            if (lane == 0 && w < items) out[w] = (T) acc;
        } else {
            if (lane == 0) partial[warp] = acc;
            __syncthreads();
            if (threadIdx.x == 0) {
                double total = partial[0];
                for (int k = 1; k < 8; k++) total = reduce_combine(op, total, partial[k]);
                if (w < items) out[w] = (T) total;
            }
            __syncthreads();
        }
    }
}

// Reduction of the middle axis of an (O, R, I) block: item (o, c, i) reduces
// in[(o*R + r)*I + i] for r in segment c; one thread per item, reads coalesced along i.
template <class T>
__device__ void reduce_outer_impl(int op, const T* in, T* out, int O, int R, int I, int segs,
                                  int segLen) {
    const long long total = (long long) O * segs * I;
    GRID_STRIDE_LOOP(t, total) {
        const long long q = t / I;
        const long long i = t - q * I;
        const long long o = q / segs;
        const long long c = q - o * segs;
        const long long r0 = c * segLen;
        const long long r1 = min((long long) R, r0 + segLen);
        const T* p = in + o * R * I + i;
        double acc = reduce_identity(op);
        for (long long r = r0; r < r1; r++) acc = reduce_combine(op, acc, (double) p[r * I]);
        out[t] = (T) acc;
    }
}

// log(sum(exp(x))) with the maximum shifted out (replaced by 0 when it is not finite, so an
// all -inf or empty row gives -inf and +inf gives +inf); same item scheme as reduce_inner.
template <class T>
__device__ void logsumexp_inner_impl(const T* in, T* out, int O, int R, int tpr) {
    __shared__ double partial[8];
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int member = threadIdx.x % tpr;
    const int group = threadIdx.x / tpr;
    const int groupsPerBlock = blockDim.x / tpr;
    for (long long base = (long long) blockIdx.x * groupsPerBlock; base < O;
         base += (long long) gridDim.x * groupsPerBlock) {
        const long long w = base + group;
        const bool live = w < O;
        const T* row = in + (live ? w : 0) * (long long) R;
        double m = -CUDART_INF;
        if (live) {
            for (int r = member; r < R; r += tpr) m = reduce_combine(R_MAX, m, (double) row[r]);
        }
#pragma unroll
        for (int off = 16; off > 0; off >>= 1) m = reduce_combine(R_MAX, m, __shfl_xor_sync(0xffffffffu, m, off));
        if (tpr != 32) {
            if (lane == 0) partial[warp] = m;
            __syncthreads();
            m = partial[0];
            for (int k = 1; k < 8; k++) m = reduce_combine(R_MAX, m, partial[k]);
            __syncthreads();
        }
        const T shift = isfinite(m) ? (T) m : T(0);
        double s = 0.0;
        if (live) {
            for (int r = member; r < R; r += tpr) s += (double) m_exp(row[r] - shift);
        }
#pragma unroll
        for (int off = 16; off > 0; off >>= 1) s += __shfl_xor_sync(0xffffffffu, s, off);
        if (tpr != 32) {
            if (lane == 0) partial[warp] = s;
            __syncthreads();
            s = 0.0;
            for (int k = 0; k < 8; k++) s += partial[k];
            __syncthreads();
        }
        if (live && member == 0) out[w] = (T) (log(s) + (double) shift);
    }
}

template <class T>
__device__ void logsumexp_outer_impl(const T* in, T* out, int O, int R, int I) {
    const long long total = (long long) O * I;
    GRID_STRIDE_LOOP(t, total) {
        const long long o = t / I;
        const long long i = t - o * I;
        const T* p = in + o * R * (long long) I + i;
        double m = -CUDART_INF;
        for (long long r = 0; r < R; r++) m = reduce_combine(R_MAX, m, (double) p[r * I]);
        const T shift = isfinite(m) ? (T) m : T(0);
        double s = 0.0;
        for (long long r = 0; r < R; r++) s += (double) m_exp(p[r * I] - shift);
        out[t] = (T) (log(s) + (double) shift);
    }
}

// ------------------------------------------------------------------ matrix product

#define TILE_M 64
#define TILE_N 64
#define TILE_K 16

// C (M, N) = op(A) (M, K) @ op(B) (K, N) [+ bias (N)], all row-major; op transposes when the
// flag is set (A stored (K, M), B stored (N, K)). 256 threads per block, each computing a 4x4
// register tile of a 64x64 output tile; K is consumed in shared-memory slabs of 16.
template <class T>
__device__ void matmul_impl(const T* A, const T* B, T* C, const T* bias, int M, int N, int K,
                            int transA, int transB) {
    __shared__ T As[TILE_K][TILE_M + 1];
    __shared__ T Bs[TILE_K][TILE_N + 1];
    const int tid = threadIdx.x;
    const int tx = tid % 16;
    const int ty = tid / 16;
    const int tilesM = (M + TILE_M - 1) / TILE_M;
    const int tilesN = (N + TILE_N - 1) / TILE_N;
    for (int bm = blockIdx.y; bm < tilesM; bm += gridDim.y) {
        for (int bn = blockIdx.x; bn < tilesN; bn += gridDim.x) {
            const int row0 = bm * TILE_M;
            const int col0 = bn * TILE_N;
            T acc[4][4];
#pragma unroll
            for (int r = 0; r < 4; r++)
#pragma unroll
                for (int c = 0; c < 4; c++) acc[r][c] = T(0);
            for (int k0 = 0; k0 < K; k0 += TILE_K) {
#pragma unroll
                for (int q = 0; q < TILE_M * TILE_K / 256; q++) {
                    const int l = tid + 256 * q;
                    int i, kk;
                    if (transA) {
                        kk = l / TILE_M;
                        i = l % TILE_M;
                    } else {
                        i = l / TILE_K;
                        kk = l % TILE_K;
                    }
                    const int gi = row0 + i;
                    const int gk = k0 + kk;
                    T val = T(0);
                    if (gi < M && gk < K) {
                        val = transA ? A[(long long) gk * M + gi] : A[(long long) gi * K + gk];
                    }
                    As[kk][i] = val;
                }
#pragma unroll
                for (int q = 0; q < TILE_K * TILE_N / 256; q++) {
                    const int l = tid + 256 * q;
                    int j, kk;
                    if (transB) {
                        j = l / TILE_K;
                        kk = l % TILE_K;
                    } else {
                        kk = l / TILE_N;
                        j = l % TILE_N;
                    }
                    const int gj = col0 + j;
                    const int gk = k0 + kk;
                    T val = T(0);
                    if (gj < N && gk < K) {
                        val = transB ? B[(long long) gj * K + gk] : B[(long long) gk * N + gj];
                    }
                    Bs[kk][j] = val;
                }
                __syncthreads();
#pragma unroll
                for (int kk = 0; kk < TILE_K; kk++) {
                    T a[4], b[4];
#pragma unroll
                    for (int r = 0; r < 4; r++) a[r] = As[kk][ty + 16 * r];
#pragma unroll
                    for (int c = 0; c < 4; c++) b[c] = Bs[kk][tx + 16 * c];
#pragma unroll
                    for (int r = 0; r < 4; r++)
#pragma unroll
                        for (int c = 0; c < 4; c++) acc[r][c] += a[r] * b[c];
                }
                __syncthreads();
            }
#pragma unroll
            for (int r = 0; r < 4; r++) {
                const int gi = row0 + ty + 16 * r;
                if (gi >= M) continue;
#pragma unroll
                for (int c = 0; c < 4; c++) {
                    const int gj = col0 + tx + 16 * c;
                    if (gj < N) {
                        C[(long long) gi * N + gj] = bias != nullptr ? acc[r][c] + bias[gj] : acc[r][c];
                    }
                }
            }
        }
    }
}

// out (M, N) = bias broadcast over rows; the cuBLAS path of the fused linear kernel then
// accumulates the product onto it (beta = 1).
template <class T>
__device__ void bias_rows_impl(const T* bias, T* out, long long n, int N) {
    GRID_STRIDE_LOOP(i, n) out[i] = bias[i % N];
}

// ------------------------------------------------------------------ Philox4x32-10

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u
#define TWO_PI 6.283185307179586

// Block `index` of stream (seed, stream): the mapping of dev.vae.api.random.Philox.
__device__ __forceinline__ void philox_block(unsigned long long seed, unsigned long long stream,
                                             unsigned long long index, unsigned int* w) {
    unsigned int c0 = (unsigned int) index;
    unsigned int c1 = (unsigned int) (index >> 32);
    unsigned int c2 = (unsigned int) stream;
    unsigned int c3 = (unsigned int) (stream >> 32);
    unsigned int k0 = (unsigned int) seed;
    unsigned int k1 = (unsigned int) (seed >> 32);
#pragma unroll
    for (int round = 0; round < 10; round++) {
        const unsigned int hi0 = __umulhi(PHILOX_M0, c0);
        const unsigned int lo0 = PHILOX_M0 * c0;
        const unsigned int hi1 = __umulhi(PHILOX_M1, c2);
        const unsigned int lo1 = PHILOX_M1 * c2;
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    w[0] = c0;
    w[1] = c1;
    w[2] = c2;
    w[3] = c3;
}

// ((w >>> 9) + 0.5) * 2^-23: exact in float32, strictly inside (0, 1).
__device__ __forceinline__ float uniform_float(unsigned int w) {
    return ((float) (w >> 9) + 0.5f) * 1.1920928955078125e-7f;
}

// (((hi << 32 | lo) >>> 12) + 0.5) * 2^-52: exact in float64, strictly inside (0, 1).
__device__ __forceinline__ double uniform_double(unsigned int hi, unsigned int lo) {
    const unsigned long long bits = ((unsigned long long) hi << 32) | lo;
    return ((double) (bits >> 12) + 0.5) * 2.220446049250313e-16;
}

// ------------------------------------------------------------------ extern "C" entry points

#define TYPED_ENTRIES(T, S)                                                                        \
    extern "C" __global__ void fill_##S(T* out, long long n, T v) { fill_impl<T>(out, n, v); }     \
    extern "C" __global__ void unary_##S(int op, const T* in, T* out, long long n) {               \
        unary_impl<T>(op, in, out, n);                                                             \
    }                                                                                              \
    extern "C" __global__ void binary_##S(int op, const T* a, const T* b, T* out, long long n,     \
                                          Layout L) {                                              \
        binary_impl<T>(op, a, b, out, n, L);                                                       \
    }                                                                                              \
    extern "C" __global__ void binary_scalar_##S(int op, const T* a, T s, T* out, long long n) {  \
        binary_scalar_impl<T>(op, a, s, out, n);                                                   \
    }                                                                                              \
    extern "C" __global__ void where_##S(const T* c, const T* a, const T* b, T* out, long long n, \
                                         Layout L) {                                               \
        where_impl<T>(c, a, b, out, n, L);                                                         \
    }                                                                                              \
    extern "C" __global__ void copy_##S(const T* in, T* out, long long n, Layout L) {              \
        copy_impl<T>(in, out, n, L);                                                               \
    }                                                                                              \
    extern "C" __global__ void gather_rows_##S(const T* in, const int* rows, T* out, long long n,  \
                                               long long rowLen) {                                 \
        gather_rows_impl<T>(in, rows, out, n, rowLen);                                             \
    }                                                                                              \
    extern "C" __global__ void reduce_inner_##S(int op, const T* in, T* out, int O, int R,         \
                                                int segs, int segLen, int tpr) {                   \
        reduce_inner_impl<T>(op, in, out, O, R, segs, segLen, tpr);                                \
    }                                                                                              \
    extern "C" __global__ void reduce_outer_##S(int op, const T* in, T* out, int O, int R, int I,  \
                                                int segs, int segLen) {                            \
        reduce_outer_impl<T>(op, in, out, O, R, I, segs, segLen);                                  \
    }                                                                                              \
    extern "C" __global__ void logsumexp_inner_##S(const T* in, T* out, int O, int R, int tpr) {   \
        logsumexp_inner_impl<T>(in, out, O, R, tpr);                                               \
    }                                                                                              \
    extern "C" __global__ void logsumexp_outer_##S(const T* in, T* out, int O, int R, int I) {     \
        logsumexp_outer_impl<T>(in, out, O, R, I);                                                 \
    }                                                                                              \
    extern "C" __global__ void __launch_bounds__(256)                                              \
        matmul_##S(const T* A, const T* B, T* C, const T* bias, int M, int N, int K, int transA,   \
                   int transB) {                                                                   \
        matmul_impl<T>(A, B, C, bias, M, N, K, transA, transB);                                    \
    }                                                                                              \
    extern "C" __global__ void bias_rows_##S(const T* bias, T* out, long long n, int N) {          \
        bias_rows_impl<T>(bias, out, n, N);                                                        \
    }                                                                                              \
    extern "C" __global__ void relu_backward_##S(const T* x, const T* g, T* out, long long n) {    \
        relu_backward_impl<T>(x, g, out, n);                                                       \
    }                                                                                              \
    extern "C" __global__ void bernoulli_log_prob_##S(const T* logits, const T* x, T* out,         \
                                                      long long n) {                               \
        bernoulli_log_prob_impl<T>(logits, x, out, n);                                             \
    }                                                                                              \
    extern "C" __global__ void gaussian_kl_##S(const T* mu, const T* logvar, T* out,               \
                                               long long n) {                                      \
        gaussian_kl_impl<T>(mu, logvar, out, n);                                                   \
    }                                                                                              \
    extern "C" __global__ void adam_##S(T* p, const T* g, T* m, T* v, long long n, double lr,      \
                                        double beta1, double beta2, double eps, double bc1,        \
                                        double bc2, double wd) {                                   \
        adam_impl<T>(p, g, m, v, n, lr, beta1, beta2, eps, bc1, bc2, wd);                          \
    }

TYPED_ENTRIES(float, f32)
TYPED_ENTRIES(double, f64)

extern "C" __global__ void cast_f32_f64(const float* in, double* out, long long n) {
    GRID_STRIDE_LOOP(i, n) out[i] = (double) in[i];
}

extern "C" __global__ void cast_f64_f32(const double* in, float* out, long long n) {
    GRID_STRIDE_LOOP(i, n) out[i] = (float) in[i];
}

// Element i is word i % 4 of block counter + i / 4.
extern "C" __global__ void philox_uniform_f32(float* out, long long n, unsigned long long seed,
                                              unsigned long long stream, unsigned long long counter) {
    const long long blocks = (n + 3) / 4;
    GRID_STRIDE_LOOP(b, blocks) {
        unsigned int w[4];
        philox_block(seed, stream, counter + (unsigned long long) b, w);
#pragma unroll
        for (int j = 0; j < 4; j++) {
            if (4 * b + j < n) out[4 * b + j] = uniform_float(w[j]);
        }
    }
}

// Element i is pair i % 2 ((w0, w1) or (w2, w3)) of block counter + i / 2.
extern "C" __global__ void philox_uniform_f64(double* out, long long n, unsigned long long seed,
                                              unsigned long long stream, unsigned long long counter) {
    const long long blocks = (n + 1) / 2;
    GRID_STRIDE_LOOP(b, blocks) {
        unsigned int w[4];
        philox_block(seed, stream, counter + (unsigned long long) b, w);
        out[2 * b] = uniform_double(w[0], w[1]);
        if (2 * b + 1 < n) out[2 * b + 1] = uniform_double(w[2], w[3]);
    }
}

// Box-Muller in float64 from the float32 uniforms (u0, u1) and (u2, u3), lanes cos, sin, cos,
// sin, rounded to float32.
extern "C" __global__ void philox_normal_f32(float* out, long long n, unsigned long long seed,
                                             unsigned long long stream, unsigned long long counter) {
    const long long blocks = (n + 3) / 4;
    GRID_STRIDE_LOOP(b, blocks) {
        unsigned int w[4];
        philox_block(seed, stream, counter + (unsigned long long) b, w);
        const double r0 = sqrt(-2.0 * log((double) uniform_float(w[0])));
        const double t0 = TWO_PI * (double) uniform_float(w[1]);
        const double r1 = sqrt(-2.0 * log((double) uniform_float(w[2])));
        const double t1 = TWO_PI * (double) uniform_float(w[3]);
        const double v[4] = {r0 * cos(t0), r0 * sin(t0), r1 * cos(t1), r1 * sin(t1)};
#pragma unroll
        for (int j = 0; j < 4; j++) {
            if (4 * b + j < n) out[4 * b + j] = (float) v[j];
        }
    }
}

// Box-Muller in float64 from the float64 uniforms (w0, w1) and (w2, w3): lanes cos, sin.
extern "C" __global__ void philox_normal_f64(double* out, long long n, unsigned long long seed,
                                             unsigned long long stream, unsigned long long counter) {
    const long long blocks = (n + 1) / 2;
    GRID_STRIDE_LOOP(b, blocks) {
        unsigned int w[4];
        philox_block(seed, stream, counter + (unsigned long long) b, w);
        const double r = sqrt(-2.0 * log(uniform_double(w[0], w[1])));
        const double t = TWO_PI * uniform_double(w[2], w[3]);
        out[2 * b] = r * cos(t);
        if (2 * b + 1 < n) out[2 * b + 1] = r * sin(t);
    }
}
