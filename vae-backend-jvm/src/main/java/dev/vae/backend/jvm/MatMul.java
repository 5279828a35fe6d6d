package dev.vae.backend.jvm;

/**
 * Cache-blocked, multi-threaded matrix product {@code C = op(A) op(B) (+ bias)} for float32 and
 * float64.
 *
 * <h2>Layout</h2>
 * {@code op(A)} is brought to row-major (m, k) (transposed into a scratch buffer when
 * {@code transA}); {@code op(B)} is packed as k separate row arrays of length n ({@code bRows[p][j]
 * = op(B)[p][j]}), and every task accumulates its rows of C in per-worker row arrays. The
 * micro-kernel updates one row segment of C with four rows of B at a time:
 * {@code c[j] = fma(a3, b3[j], fma(a2, b2[j], fma(a1, b1[j], fma(a0, b0[j], c[j]))))}. Every array
 * in that loop is indexed by the same expression, which is what lets C2 (JDK 17) vectorise it
 * (it gives up when operands of one loop have different invariant offsets). The (k, n) panel of
 * B being used is sized to stay in L1 ({@code KC x NC}) and is reused by all rows of a task.
 *
 * <h2>Determinism</h2>
 * Every element of C is the sequential fused multiply-add chain
 * {@code c = fma(a[i][p], b[p][j], c)} for {@code p = 0..k-1} starting from 0 (the bias, if any,
 * is added once at the end). That chain does not depend on blocking, transposition flags or the
 * number of threads, so results are bit-identical across thread counts.
 *
 * <p>When {@link VectorSupport#AVAILABLE}, the product runs on {@link VectorMatMul} (packed panels,
 * a register-blocked Vector API micro-kernel), which computes the same chain and is therefore
 * bit-identical to the scalar loops here, which remain the fallback for JVMs started without
 * {@code jdk.incubator.vector} (and for products whose packed panels would not fit in a Java
 * array).
 */
final class MatMul {
    /** k-depth of a B panel, float32. */
    private static final int KC_F = 16;
    /** k-depth of a B panel, float64 (same bytes as float32). */
    private static final int KC_D = 8;
    /** Widest column chunk of a task. */
    private static final int NC_MAX = 512;
    /** Most rows of C in one task. */
    private static final int MB_MAX = 64;
    /** Fewest rows of C in one task when splitting for threads. */
    private static final int MB_MIN = 8;
    /** Multiply-adds below which the product runs on the calling thread. */
    private static final long PARALLEL_FLOPS = 1L << 18;
    /**
     * Multiply-adds below which the Vector API product runs on the calling thread: it is about
     * twice as fast per multiply-add, and its two parallel phases (pack, compute) cost more than
     * they save below a few million (measured on 2 shared cores: a 128x400x20 product takes 20 to
     * 40 us on one thread, and 30 to 85 us on two).
     */
    private static final long VECTOR_PARALLEL_FLOPS = 1L << 22;
    /** Scratch buffers larger than this (elements) are not kept between calls. */
    private static final long KEEP_LIMIT = 1L << 22;

    private final Parallel par;
    /** The Vector API product, or null for the scalar loops below. */
    private final VectorMatMul vec;
    private float[][] bRowsF = new float[0][];
    private double[][] bRowsD = new double[0][];
    private float[] aPackF = new float[0];
    private double[] aPackD = new double[0];
    private final float[][][] cRowsF;
    private final double[][][] cRowsD;

    MatMul(Parallel par) {
        this(par, VectorSupport.AVAILABLE);
    }

    /**
     * @param vector whether to use {@link VectorMatMul}; only when {@link VectorSupport#AVAILABLE}
     */
    MatMul(Parallel par, boolean vector) {
        this.par = par;
        this.vec = vector ? new VectorMatMul(par) : null;
        this.cRowsF = new float[par.threads()][][];
        this.cRowsD = new double[par.threads()][][];
    }

    /** Task split of an (m, n) output. */
    private static final class Tiling {
        final int mb;
        final int nc;
        final int rowBlocks;
        final int colBlocks;

        Tiling(int m, int n, int k, int threads) {
            int colChunks = Math.max(1, (n + NC_MAX - 1) / NC_MAX);
            int ncw = (n + colChunks - 1) / colChunks;
            int mbw = Math.min(MB_MAX, Math.max(1, m));
            boolean parallel = threads > 1 && (long) m * n * k >= PARALLEL_FLOPS;
            if (parallel) {
                int want = 2 * threads;
                while (((m + mbw - 1) / mbw) * colChunks < want && mbw > MB_MIN) {
                    mbw = Math.max(MB_MIN, mbw / 2);
                }
                while (((m + mbw - 1) / mbw) * colChunks < want && ncw > 64) {
                    colChunks++;
                    ncw = (n + colChunks - 1) / colChunks;
                }
            }
            this.mb = mbw;
            this.nc = ncw;
            this.rowBlocks = (m + mbw - 1) / mbw;
            this.colBlocks = (n + ncw - 1) / ncw;
        }
    }

    /**
     * float32 product into {@code out} (row-major (m, n), fully overwritten).
     *
     * @param a A as stored: (m, k) row-major, or (k, m) if {@code transA}
     * @param b B as stored: (k, n) row-major, or (n, k) if {@code transB}
     * @param bias length-n row added to every row of C, or null
     */
    void multiply(float[] a, float[] b, int m, int n, int k, boolean transA, boolean transB, float[] bias, float[] out) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                if (bias != null) {
                    System.arraycopy(bias, 0, out, i * n, n);
                } else {
                    java.util.Arrays.fill(out, i * n, i * n + n, 0f);
                }
            }
            return;
        }
        boolean big = (long) m * n * k >= PARALLEL_FLOPS;
        if (vec != null && VectorMatMul.fits(m, n, k)) {
            vec.multiply(a, b, m, n, k, transA, transB, bias, out, (long) m * n * k >= VECTOR_PARALLEL_FLOPS);
            return;
        }
        float[] am = transA ? packTransposedF(a, k, m, big) : a;
        float[][] br = packRowsF(b, k, n, transB, big);
        Tiling t = new Tiling(m, n, k, par.threads());
        int tasks = t.rowBlocks * t.colBlocks;
        par.run(big ? tasks : 1, (task, w) -> {
            int from = big ? task : 0;
            int to = big ? task + 1 : tasks;
            for (int q = from; q < to; q++) {
                int rb = q / t.colBlocks;
                int cb = q % t.colBlocks;
                int i0 = rb * t.mb;
                int i1 = Math.min(m, i0 + t.mb);
                int j0 = cb * t.nc;
                int j1 = Math.min(n, j0 + t.nc);
                float[][] cr = cRowsF(w, t.mb, n);
                for (int i = i0; i < i1; i++) {
                    java.util.Arrays.fill(cr[i - i0], j0, j1, 0f);
                }
                for (int pc = 0; pc < k; pc += KC_F) {
                    int pe = Math.min(k, pc + KC_F);
                    for (int i = i0; i < i1; i++) {
                        kernelF(am, i * k, br, cr[i - i0], pc, pe, j0, j1);
                    }
                }
                for (int i = i0; i < i1; i++) {
                    float[] c = cr[i - i0];
                    int o = i * n;
                    if (bias == null) {
                        System.arraycopy(c, j0, out, o + j0, j1 - j0);
                    } else {
                        for (int j = j0; j < j1; j++) {
                            out[o + j] = c[j] + bias[j];
                        }
                    }
                }
            }
        });
    }

    /** float64 twin of {@link #multiply(float[], float[], int, int, int, boolean, boolean, float[], float[])}. */
    void multiply(double[] a, double[] b, int m, int n, int k, boolean transA, boolean transB, double[] bias, double[] out) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                if (bias != null) {
                    System.arraycopy(bias, 0, out, i * n, n);
                } else {
                    java.util.Arrays.fill(out, i * n, i * n + n, 0.0);
                }
            }
            return;
        }
        boolean big = (long) m * n * k >= PARALLEL_FLOPS;
        if (vec != null && VectorMatMul.fits(m, n, k)) {
            vec.multiply(a, b, m, n, k, transA, transB, bias, out, (long) m * n * k >= VECTOR_PARALLEL_FLOPS);
            return;
        }
        double[] am = transA ? packTransposedD(a, k, m, big) : a;
        double[][] br = packRowsD(b, k, n, transB, big);
        Tiling t = new Tiling(m, n, k, par.threads());
        int tasks = t.rowBlocks * t.colBlocks;
        par.run(big ? tasks : 1, (task, w) -> {
            int from = big ? task : 0;
            int to = big ? task + 1 : tasks;
            for (int q = from; q < to; q++) {
                int rb = q / t.colBlocks;
                int cb = q % t.colBlocks;
                int i0 = rb * t.mb;
                int i1 = Math.min(m, i0 + t.mb);
                int j0 = cb * t.nc;
                int j1 = Math.min(n, j0 + t.nc);
                double[][] cr = cRowsD(w, t.mb, n);
                for (int i = i0; i < i1; i++) {
                    java.util.Arrays.fill(cr[i - i0], j0, j1, 0.0);
                }
                for (int pc = 0; pc < k; pc += KC_D) {
                    int pe = Math.min(k, pc + KC_D);
                    for (int i = i0; i < i1; i++) {
                        kernelD(am, i * k, br, cr[i - i0], pc, pe, j0, j1);
                    }
                }
                for (int i = i0; i < i1; i++) {
                    double[] c = cr[i - i0];
                    int o = i * n;
                    if (bias == null) {
                        System.arraycopy(c, j0, out, o + j0, j1 - j0);
                    } else {
                        for (int j = j0; j < j1; j++) {
                            out[o + j] = c[j] + bias[j];
                        }
                    }
                }
            }
        });
    }

    /**
     * {@code c[j] += sum_p a[ai+p] * b[p][j]} for {@code p in [pc, pe)}, {@code j in [j0, j1)},
     * as a sequential fma chain over p.
     */
    private static void kernelF(float[] a, int ai, float[][] b, float[] c, int pc, int pe, int j0, int j1) {
        int p = pc;
        for (; p + 3 < pe; p += 4) {
            float a0 = a[ai + p];
            float a1 = a[ai + p + 1];
            float a2 = a[ai + p + 2];
            float a3 = a[ai + p + 3];
            float[] b0 = b[p];
            float[] b1 = b[p + 1];
            float[] b2 = b[p + 2];
            float[] b3 = b[p + 3];
            for (int j = j0; j < j1; j++) {
                c[j] = Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], c[j]))));
            }
        }
        for (; p < pe; p++) {
            float a0 = a[ai + p];
            float[] b0 = b[p];
            for (int j = j0; j < j1; j++) {
                c[j] = Math.fma(a0, b0[j], c[j]);
            }
        }
    }

    /** float64 twin of {@link #kernelF}. */
    private static void kernelD(double[] a, int ai, double[][] b, double[] c, int pc, int pe, int j0, int j1) {
        int p = pc;
        for (; p + 3 < pe; p += 4) {
            double a0 = a[ai + p];
            double a1 = a[ai + p + 1];
            double a2 = a[ai + p + 2];
            double a3 = a[ai + p + 3];
            double[] b0 = b[p];
            double[] b1 = b[p + 1];
            double[] b2 = b[p + 2];
            double[] b3 = b[p + 3];
            for (int j = j0; j < j1; j++) {
                c[j] = Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], c[j]))));
            }
        }
        for (; p < pe; p++) {
            double a0 = a[ai + p];
            double[] b0 = b[p];
            for (int j = j0; j < j1; j++) {
                c[j] = Math.fma(a0, b0[j], c[j]);
            }
        }
    }

    // ------------------------------------------------------------------ packing

    /** @return the (cols, rows) transpose of row-major (rows, cols) {@code src}, row-major */
    private float[] packTransposedF(float[] src, int rows, int cols, boolean parallel) {
        int need = rows * cols;
        float[] dst = aPackF.length >= need ? aPackF : new float[need];
        if (need <= KEEP_LIMIT) {
            aPackF = dst;
        }
        final float[] d = dst;
        int tb = 32;
        int blocks = (cols + tb - 1) / tb;
        par.run(parallel ? blocks : 1, (t, w) -> {
            int from = parallel ? t : 0;
            int to = parallel ? t + 1 : blocks;
            for (int cb = from; cb < to; cb++) {
                int c0 = cb * tb;
                int c1 = Math.min(cols, c0 + tb);
                for (int r0 = 0; r0 < rows; r0 += tb) {
                    int r1 = Math.min(rows, r0 + tb);
                    for (int c = c0; c < c1; c++) {
                        int o = c * rows;
                        for (int r = r0; r < r1; r++) {
                            d[o + r] = src[r * cols + c];
                        }
                    }
                }
            }
        });
        return dst;
    }

    /** float64 twin of {@link #packTransposedF}. */
    private double[] packTransposedD(double[] src, int rows, int cols, boolean parallel) {
        int need = rows * cols;
        double[] dst = aPackD.length >= need ? aPackD : new double[need];
        if (need <= KEEP_LIMIT) {
            aPackD = dst;
        }
        final double[] d = dst;
        int tb = 32;
        int blocks = (cols + tb - 1) / tb;
        par.run(parallel ? blocks : 1, (t, w) -> {
            int from = parallel ? t : 0;
            int to = parallel ? t + 1 : blocks;
            for (int cb = from; cb < to; cb++) {
                int c0 = cb * tb;
                int c1 = Math.min(cols, c0 + tb);
                for (int r0 = 0; r0 < rows; r0 += tb) {
                    int r1 = Math.min(rows, r0 + tb);
                    for (int c = c0; c < c1; c++) {
                        int o = c * rows;
                        for (int r = r0; r < r1; r++) {
                            d[o + r] = src[r * cols + c];
                        }
                    }
                }
            }
        });
        return dst;
    }

    /**
     * Packs op(B) as k row arrays of length at least n. {@code b} is (k, n) row-major, or (n, k)
     * row-major when {@code trans}.
     */
    private float[][] packRowsF(float[] b, int k, int n, boolean trans, boolean parallel) {
        float[][] rows = bRowsF;
        if (rows.length < k || rows[0].length < n) {
            int rk = Math.max(k, rows.length);
            int rn = Math.max(n, rows.length == 0 ? 0 : rows[0].length);
            rows = new float[rk][rn];
            if ((long) rk * rn <= KEEP_LIMIT) {
                bRowsF = rows;
            }
        }
        final float[][] r = rows;
        int pb = 32;
        int blocks = (k + pb - 1) / pb;
        par.run(parallel ? blocks : 1, (t, w) -> {
            int from = parallel ? t : 0;
            int to = parallel ? t + 1 : blocks;
            for (int blk = from; blk < to; blk++) {
                int p0 = blk * pb;
                int p1 = Math.min(k, p0 + pb);
                if (!trans) {
                    for (int p = p0; p < p1; p++) {
                        System.arraycopy(b, p * n, r[p], 0, n);
                    }
                } else {
                    for (int j0 = 0; j0 < n; j0 += pb) {
                        int j1 = Math.min(n, j0 + pb);
                        for (int p = p0; p < p1; p++) {
                            float[] row = r[p];
                            for (int j = j0; j < j1; j++) {
                                row[j] = b[j * k + p];
                            }
                        }
                    }
                }
            }
        });
        return rows;
    }

    /** float64 twin of {@link #packRowsF}. */
    private double[][] packRowsD(double[] b, int k, int n, boolean trans, boolean parallel) {
        double[][] rows = bRowsD;
        if (rows.length < k || rows[0].length < n) {
            int rk = Math.max(k, rows.length);
            int rn = Math.max(n, rows.length == 0 ? 0 : rows[0].length);
            rows = new double[rk][rn];
            if ((long) rk * rn <= KEEP_LIMIT) {
                bRowsD = rows;
            }
        }
        final double[][] r = rows;
        int pb = 32;
        int blocks = (k + pb - 1) / pb;
        par.run(parallel ? blocks : 1, (t, w) -> {
            int from = parallel ? t : 0;
            int to = parallel ? t + 1 : blocks;
            for (int blk = from; blk < to; blk++) {
                int p0 = blk * pb;
                int p1 = Math.min(k, p0 + pb);
                if (!trans) {
                    for (int p = p0; p < p1; p++) {
                        System.arraycopy(b, p * n, r[p], 0, n);
                    }
                } else {
                    for (int j0 = 0; j0 < n; j0 += pb) {
                        int j1 = Math.min(n, j0 + pb);
                        for (int p = p0; p < p1; p++) {
                            double[] row = r[p];
                            for (int j = j0; j < j1; j++) {
                                row[j] = b[j * k + p];
                            }
                        }
                    }
                }
            }
        });
        return rows;
    }

    /** @return worker {@code w}'s C row buffers: at least {@code rows} rows of at least {@code n} */
    private float[][] cRowsF(int w, int rows, int n) {
        float[][] c = cRowsF[w];
        if (c == null || c.length < rows || c[0].length < n) {
            c = new float[Math.max(rows, c == null ? 0 : c.length)][Math.max(n, c == null ? 0 : c[0].length)];
            if ((long) c.length * c[0].length <= KEEP_LIMIT) {
                cRowsF[w] = c;
            }
        }
        return c;
    }

    /** float64 twin of {@link #cRowsF}. */
    private double[][] cRowsD(int w, int rows, int n) {
        double[][] c = cRowsD[w];
        if (c == null || c.length < rows || c[0].length < n) {
            c = new double[Math.max(rows, c == null ? 0 : c.length)][Math.max(n, c == null ? 0 : c[0].length)];
            if ((long) c.length * c[0].length <= KEEP_LIMIT) {
                cRowsD[w] = c;
            }
        }
        return c;
    }

    /** Drops every scratch buffer. */
    void clear() {
        if (vec != null) {
            vec.clear();
        }
        bRowsF = new float[0][];
        bRowsD = new double[0][];
        aPackF = new float[0];
        aPackD = new double[0];
        java.util.Arrays.fill(cRowsF, null);
        java.util.Arrays.fill(cRowsD, null);
    }
}
