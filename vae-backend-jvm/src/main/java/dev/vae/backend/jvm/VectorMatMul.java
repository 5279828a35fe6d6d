package dev.vae.backend.jvm;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix product on the Java Vector API ({@code jdk.incubator.vector}): packed panels and a
 * register-blocked micro-kernel. Used by {@link MatMul} only when {@link VectorSupport#AVAILABLE};
 * this class must not be touched otherwise, because its linking needs the incubator module.
 *
 * <h2>Layout</h2>
 * The micro-kernel keeps an {@code MR x NW} tile of C ({@link #MR} = 6 rows, {@code NW} = two
 * vectors of columns) in 12 vector registers and, for each p of a k-block of {@link #KC_F}
 * (float32) or {@link #KC_D} (float64), broadcasts {@code MR} values of A and issues {@code 2*MR}
 * vector fused multiply-adds against two vectors of B. It reads A and B where they are whenever
 * it can: A in either orientation (six strided scalar streams), B when it is not transposed (rows
 * of B are contiguous). Only what it cannot read in place is packed, with zeros past the matrix:
 * the bottom row panel of A when m is not a multiple of {@code MR} ({@code ap[p*MR + r]}), every
 * column panel of a transposed B ({@code bp[(panel*k + p)*NW + c]}), or else the right column
 * panel when n is not a multiple of {@code NW}. Full tiles of C are accumulated in place in the
 * output (zeroed first; partial sums are stored there between k-blocks; the bias is added in one
 * pass at the end); tiles on the bottom or right edge go through a small scratch tile whose
 * valid part is then copied out. A product with a transposed B more than twice as large as op(A)
 * and the output together (a dense layer's weights) is computed as its transpose
 * {@code C^T = B op(A)^T}, which reads B in place, into a scratch matrix that is then transposed
 * into the output (the bias added there); {@code fma} is symmetric in its factors, so every
 * element's chain is the same. Within a task, the k-block of one column panel of B stays in L1
 * while all row panels of the task sweep it.
 *
 * <h2>Determinism</h2>
 * Every element of C is the sequential chain {@code c = fma(a[i][p], b[p][j], c)} for
 * {@code p = 0..k-1} from 0: inside a k-block in a register lane, across k-blocks through the
 * output or the scratch tile (a store and reload is exact). The bias, if any, is added once after
 * the last step. That is exactly the chain of the scalar {@link MatMul}, so the two paths are bit-identical, and
 * it depends neither on the task split nor on the number of threads.
 */
final class VectorMatMul {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    /** float32 lanes per vector. */
    private static final int FL = FS.length();
    /** float64 lanes per vector. */
    private static final int DL = DS.length();
    /** Rows of a micro-tile. */
    static final int MR = 6;
    /** Columns of a float32 micro-tile (two vectors). */
    private static final int NWF = 2 * FL;
    /** Columns of a float64 micro-tile (two vectors). */
    private static final int NWD = 2 * DL;
    /** k-block, float32: a {@code KC_F x NWF} panel of B stays in L1. */
    private static final int KC_F = 192;
    /** k-block, float64. */
    private static final int KC_D = 96;
    /** Most row panels of one task: its A block ({@code rows x KC}) stays in L2. */
    private static final int MAX_ROW_PANELS = 64;
    /** Scratch buffers larger than this (elements) are not kept between calls. */
    private static final long KEEP_LIMIT = 1L << 22;

    private final Parallel par;
    private float[] apF = new float[0];
    private float[] bpF = new float[0];
    /** The transposed product, float32 (see {@link #transposeOut(float[], int, int, float[], float[], boolean)}). */
    private float[] tF = new float[0];
    private double[] apD = new double[0];
    private double[] bpD = new double[0];
    /** The transposed product, float64. */
    private double[] tD = new double[0];

    VectorMatMul(Parallel par) {
        this.par = par;
    }

    /** @return a one-line description of the vector shapes, for the device description */
    static String describe() {
        return FS.vectorBitSize() + "-bit vectors";
    }

    /** Task split: groups of row panels times groups of column panels. */
    private static final class Split {
        final int rowGroup;
        final int colGroup;
        final int rowTasks;
        final int colTasks;

        Split(int mp, int np, int threads, boolean parallel) {
            int target = parallel ? 4 * threads : 1;
            int ct = Math.min(np, target);
            int rt = Math.min(mp, Math.max(1, (target + ct - 1) / ct));
            int rg = (mp + rt - 1) / rt;
            if (rg > MAX_ROW_PANELS) {
                rg = MAX_ROW_PANELS;
            }
            this.rowGroup = rg;
            this.colGroup = (np + ct - 1) / ct;
            this.rowTasks = (mp + rowGroup - 1) / rowGroup;
            this.colTasks = (np + colGroup - 1) / colGroup;
        }
    }

    private static float[] grow(float[] buf, long need) {
        return buf.length >= need ? buf : new float[(int) need];
    }

    private static double[] grow(double[] buf, long need) {
        return buf.length >= need ? buf : new double[(int) need];
    }


    /** float32 product; same contract as {@link MatMul#multiply(float[], float[], int, int, int, boolean, boolean, float[], float[])} with {@code m, n, k > 0}. */
    void multiply(float[] a, float[] b, int m, int n, int k, boolean transA, boolean transB, float[] bias, float[] out,
            boolean parallel) {
        if (transB && 2 * ((long) m * k + (long) m * n) < (long) n * k) {
            // C^T = B op(A)^T reads B in place and packs only op(A): much cheaper than packing B
            float[] ct = grow(tF, (long) n * m);
            if (ct.length <= KEEP_LIMIT) {
                tF = ct;
            }
            multiply(b, a, n, m, k, false, !transA, null, ct, parallel);
            transposeOut(ct, m, n, bias, out, parallel);
            return;
        }
        int mp = (m + MR - 1) / MR;
        int np = (n + NWF - 1) / NWF;
        boolean edgeA = m % MR != 0;
        boolean edgeB = n % NWF != 0;
        // packed: the bottom row panel if partial; every column panel if transB, else the right one if partial
        float[] ap = grow(apF, edgeA ? (long) MR * k : 0);
        float[] bp = grow(bpF, transB ? (long) np * NWF * k : edgeB ? (long) NWF * k : 0);
        if (ap.length <= KEEP_LIMIT) {
            apF = ap;
        }
        if (bp.length <= KEEP_LIMIT) {
            bpF = bp;
        }
        int packs = (transB ? np : edgeB ? 1 : 0) + (edgeA ? 1 : 0);
        par.run(parallel ? packs : Math.min(1, packs), (t, w) -> {
            int from = parallel ? t : 0;
            int to = parallel ? t + 1 : packs;
            for (int q = from; q < to; q++) {
                if (edgeA && q == packs - 1) {
                    packAF(a, m, k, transA, mp - 1, ap);
                } else if (transB) {
                    packBF(b, n, k, true, q, bp, q);
                } else {
                    packBF(b, n, k, false, np - 1, bp, 0);
                }
            }
        });
        Split s = new Split(mp, np, par.threads(), parallel);
        int tasks = s.rowTasks * s.colTasks;
        par.run(parallel ? tasks : 1, (t, w) -> {
            int from = parallel ? t : 0;
            int to = parallel ? t + 1 : tasks;
            for (int q = from; q < to; q++) {
                int ip0 = (q / s.colTasks) * s.rowGroup;
                int ip1 = Math.min(mp, ip0 + s.rowGroup);
                int jp0 = (q % s.colTasks) * s.colGroup;
                int jp1 = Math.min(np, jp0 + s.colGroup);
                int ipFull = Math.min(ip1, m / MR);
                int jpFull = Math.min(jp1, n / NWF);
                int fj0 = jp0 * NWF;
                int fj1 = Math.max(fj0, jpFull * NWF);
                for (int i = ip0 * MR; i < ipFull * MR; i++) {
                    java.util.Arrays.fill(out, i * n + fj0, i * n + fj1, 0f);
                }
                for (int pc = 0; pc < k; pc += KC_F) {
                    int kc = Math.min(KC_F, k - pc);
                    for (int jp = jp0; jp < jpFull; jp++) {
                        float[] bs = transB ? bp : b;
                        int bo = transB ? (jp * k + pc) * NWF : pc * n + jp * NWF;
                        int ldb = transB ? NWF : n;
                        for (int ip = ip0; ip < ipFull; ip++) {
                            int ao = transA ? pc * m + ip * MR : ip * MR * k + pc;
                            kernelF(a, ao, transA ? m : 1, transA ? 1 : k, bs, bo, ldb, out, ip * MR * n + jp * NWF, n, kc);
                        }
                    }
                }
                if (bias != null) {
                    for (int i = ip0 * MR; i < ipFull * MR; i++) {
                        int o = i * n;
                        for (int j = fj0; j < fj1; j++) {
                            out[o + j] += bias[j];
                        }
                    }
                }
                float[] tile = null;
                for (int jp = jp0; jp < jp1; jp++) {
                    for (int ip = ip0; ip < ip1; ip++) {
                        if (jp < jpFull && ip < ipFull) {
                            continue;
                        }
                        if (tile == null) {
                            tile = new float[MR * NWF];
                        }
                        java.util.Arrays.fill(tile, 0f);
                        boolean packedA = ip >= m / MR;
                        boolean packedB = transB || jp >= n / NWF;
                        for (int pc = 0; pc < k; pc += KC_F) {
                            int kc = Math.min(KC_F, k - pc);
                            int ao = packedA ? pc * MR : transA ? pc * m + ip * MR : ip * MR * k + pc;
                            int aps = packedA ? MR : transA ? m : 1;
                            int ars = packedA || transA ? 1 : k;
                            int bo = packedB ? ((transB ? jp : 0) * k + pc) * NWF : pc * n + jp * NWF;
                            kernelF(packedA ? ap : a, ao, aps, ars, packedB ? bp : b, bo, packedB ? NWF : n, tile, 0, NWF,
                                    kc);
                        }
                        int rows = Math.min(MR, m - ip * MR);
                        int j0 = jp * NWF;
                        int cols = Math.min(NWF, n - j0);
                        for (int r = 0; r < rows; r++) {
                            int o = (ip * MR + r) * n + j0;
                            if (bias == null) {
                                System.arraycopy(tile, r * NWF, out, o, cols);
                            } else {
                                for (int j = 0; j < cols; j++) {
                                    out[o + j] = tile[r * NWF + j] + bias[j0 + j];
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /** {@code out[i][j] = ct[j][i] (+ bias[j])}: the (m, n) product from its (n, m) transpose. */
    private void transposeOut(float[] ct, int m, int n, float[] bias, float[] out, boolean parallel) {
        int tb = 32;
        int blocks = (m + tb - 1) / tb;
        par.run(parallel ? blocks : 1, (q, w) -> {
            int from = parallel ? q : 0;
            int to = parallel ? q + 1 : blocks;
            for (int ib = from; ib < to; ib++) {
                int i0 = ib * tb;
                int i1 = Math.min(m, i0 + tb);
                for (int j0 = 0; j0 < n; j0 += tb) {
                    int j1 = Math.min(n, j0 + tb);
                    for (int i = i0; i < i1; i++) {
                        int o = i * n;
                        if (bias == null) {
                            for (int j = j0; j < j1; j++) {
                                out[o + j] = ct[j * m + i];
                            }
                        } else {
                            for (int j = j0; j < j1; j++) {
                                out[o + j] = ct[j * m + i] + bias[j];
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * Packs row panel {@code ip} of op(A) into {@code ap[p*MR + r]}, zero past row m; A is (m, k)
     * row-major, or (k, m) if {@code trans}.
     */
    private static void packAF(float[] a, int m, int k, boolean trans, int ip, float[] ap) {
        int i0 = ip * MR;
        int rows = Math.min(MR, m - i0);
        for (int p = 0; p < k; p++) {
            for (int r = 0; r < MR; r++) {
                ap[p * MR + r] = r >= rows ? 0f : trans ? a[p * m + i0 + r] : a[(i0 + r) * k + p];
            }
        }
    }

    /**
     * Packs column panel {@code jp} of op(B) into slot {@code slot} of {@code bp},
     * {@code bp[(slot*k + p)*NWF + c]}, zero past column n; B is (k, n) row-major, or (n, k) if
     * {@code trans}.
     */
    private static void packBF(float[] b, int n, int k, boolean trans, int jp, float[] bp, int slot) {
        int j0 = jp * NWF;
        int cols = Math.min(NWF, n - j0);
        int base = slot * k * NWF;
        if (trans) {
            // in k-blocks of 64, so that the destination lines written stay in L1
            for (int p0 = 0; p0 < k; p0 += 64) {
                int p1 = Math.min(k, p0 + 64);
                for (int c = 0; c < NWF; c++) {
                    if (c < cols) {
                        int sidx = (j0 + c) * k;
                        for (int p = p0; p < p1; p++) {
                            bp[base + p * NWF + c] = b[sidx + p];
                        }
                    } else {
                        for (int p = p0; p < p1; p++) {
                            bp[base + p * NWF + c] = 0f;
                        }
                    }
                }
            }
        } else {
            for (int p = 0; p < k; p++) {
                int d = base + p * NWF;
                System.arraycopy(b, p * n + j0, bp, d, cols);
                for (int c = cols; c < NWF; c++) {
                    bp[d + c] = 0f;
                }
            }
        }
    }

    /**
     * {@code C[0..MR) x [0..NWF) += A x B} over {@code kc} steps, the tile of C loaded from and
     * stored back to {@code c} (callers zero it before the first k-block: no branch merges vector
     * values here, which keeps every vector in a register under C2). Element (r, p) of A is
     * {@code a[ao + p*aps + r*ars]} (a packed panel, or A as stored, either orientation); row p of
     * B is {@code b[bo + p*ldb ..]}, two vectors wide; row r of C starts at {@code c[co + r*ldc]}.
     */
    private static void kernelF(float[] a, int ao, int aps, int ars, float[] b, int bo, int ldb, float[] c, int co, int ldc,
            int kc) {
        FloatVector c00;
        FloatVector c01;
        FloatVector c10;
        FloatVector c11;
        FloatVector c20;
        FloatVector c21;
        FloatVector c30;
        FloatVector c31;
        FloatVector c40;
        FloatVector c41;
        FloatVector c50;
        FloatVector c51;
        c00 = FloatVector.fromArray(FS, c, co);
        c01 = FloatVector.fromArray(FS, c, co + FL);
        c10 = FloatVector.fromArray(FS, c, co + ldc);
        c11 = FloatVector.fromArray(FS, c, co + ldc + FL);
        c20 = FloatVector.fromArray(FS, c, co + 2 * ldc);
        c21 = FloatVector.fromArray(FS, c, co + 2 * ldc + FL);
        c30 = FloatVector.fromArray(FS, c, co + 3 * ldc);
        c31 = FloatVector.fromArray(FS, c, co + 3 * ldc + FL);
        c40 = FloatVector.fromArray(FS, c, co + 4 * ldc);
        c41 = FloatVector.fromArray(FS, c, co + 4 * ldc + FL);
        c50 = FloatVector.fromArray(FS, c, co + 5 * ldc);
        c51 = FloatVector.fromArray(FS, c, co + 5 * ldc + FL);
        int a1 = ars;
        int a2 = 2 * ars;
        int a3 = 3 * ars;
        int a4 = 4 * ars;
        int a5 = 5 * ars;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(FS, b, bo);
            FloatVector b1 = FloatVector.fromArray(FS, b, bo + FL);
            FloatVector av;
            av = FloatVector.broadcast(FS, a[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(FS, a[ao + a1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(FS, a[ao + a2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(FS, a[ao + a3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(FS, a[ao + a4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(FS, a[ao + a5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            ao += aps;
            bo += ldb;
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + FL);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + FL);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + FL);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + FL);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + FL);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + FL);
    }

    // ------------------------------------------------------------------ float64

    /** float64 twin of {@link #multiply(double[], double[], int, int, int, boolean, boolean, double[], double[], boolean)}. */
    void multiply(double[] a, double[] b, int m, int n, int k, boolean transA, boolean transB, double[] bias, double[] out,
            boolean parallel) {
        if (transB && 2 * ((long) m * k + (long) m * n) < (long) n * k) {
            // C^T = B op(A)^T reads B in place and packs only op(A): much cheaper than packing B
            double[] ct = grow(tD, (long) n * m);
            if (ct.length <= KEEP_LIMIT) {
                tD = ct;
            }
            multiply(b, a, n, m, k, false, !transA, null, ct, parallel);
            transposeOut(ct, m, n, bias, out, parallel);
            return;
        }
        int mp = (m + MR - 1) / MR;
        int np = (n + NWD - 1) / NWD;
        boolean edgeA = m % MR != 0;
        boolean edgeB = n % NWD != 0;
        // packed: the bottom row panel if partial; every column panel if transB, else the right one if partial
        double[] ap = grow(apD, edgeA ? (long) MR * k : 0);
        double[] bp = grow(bpD, transB ? (long) np * NWD * k : edgeB ? (long) NWD * k : 0);
        if (ap.length <= KEEP_LIMIT) {
            apD = ap;
        }
        if (bp.length <= KEEP_LIMIT) {
            bpD = bp;
        }
        int packs = (transB ? np : edgeB ? 1 : 0) + (edgeA ? 1 : 0);
        par.run(parallel ? packs : Math.min(1, packs), (t, w) -> {
            int from = parallel ? t : 0;
            int to = parallel ? t + 1 : packs;
            for (int q = from; q < to; q++) {
                if (edgeA && q == packs - 1) {
                    packAD(a, m, k, transA, mp - 1, ap);
                } else if (transB) {
                    packBD(b, n, k, true, q, bp, q);
                } else {
                    packBD(b, n, k, false, np - 1, bp, 0);
                }
            }
        });
        Split s = new Split(mp, np, par.threads(), parallel);
        int tasks = s.rowTasks * s.colTasks;
        par.run(parallel ? tasks : 1, (t, w) -> {
            int from = parallel ? t : 0;
            int to = parallel ? t + 1 : tasks;
            for (int q = from; q < to; q++) {
                int ip0 = (q / s.colTasks) * s.rowGroup;
                int ip1 = Math.min(mp, ip0 + s.rowGroup);
                int jp0 = (q % s.colTasks) * s.colGroup;
                int jp1 = Math.min(np, jp0 + s.colGroup);
                int ipFull = Math.min(ip1, m / MR);
                int jpFull = Math.min(jp1, n / NWD);
                int fj0 = jp0 * NWD;
                int fj1 = Math.max(fj0, jpFull * NWD);
                for (int i = ip0 * MR; i < ipFull * MR; i++) {
                    java.util.Arrays.fill(out, i * n + fj0, i * n + fj1, 0.0);
                }
                for (int pc = 0; pc < k; pc += KC_D) {
                    int kc = Math.min(KC_D, k - pc);
                    for (int jp = jp0; jp < jpFull; jp++) {
                        double[] bs = transB ? bp : b;
                        int bo = transB ? (jp * k + pc) * NWD : pc * n + jp * NWD;
                        int ldb = transB ? NWD : n;
                        for (int ip = ip0; ip < ipFull; ip++) {
                            int ao = transA ? pc * m + ip * MR : ip * MR * k + pc;
                            kernelD(a, ao, transA ? m : 1, transA ? 1 : k, bs, bo, ldb, out, ip * MR * n + jp * NWD, n, kc);
                        }
                    }
                }
                if (bias != null) {
                    for (int i = ip0 * MR; i < ipFull * MR; i++) {
                        int o = i * n;
                        for (int j = fj0; j < fj1; j++) {
                            out[o + j] += bias[j];
                        }
                    }
                }
                double[] tile = null;
                for (int jp = jp0; jp < jp1; jp++) {
                    for (int ip = ip0; ip < ip1; ip++) {
                        if (jp < jpFull && ip < ipFull) {
                            continue;
                        }
                        if (tile == null) {
                            tile = new double[MR * NWD];
                        }
                        java.util.Arrays.fill(tile, 0.0);
                        boolean packedA = ip >= m / MR;
                        boolean packedB = transB || jp >= n / NWD;
                        for (int pc = 0; pc < k; pc += KC_D) {
                            int kc = Math.min(KC_D, k - pc);
                            int ao = packedA ? pc * MR : transA ? pc * m + ip * MR : ip * MR * k + pc;
                            int aps = packedA ? MR : transA ? m : 1;
                            int ars = packedA || transA ? 1 : k;
                            int bo = packedB ? ((transB ? jp : 0) * k + pc) * NWD : pc * n + jp * NWD;
                            kernelD(packedA ? ap : a, ao, aps, ars, packedB ? bp : b, bo, packedB ? NWD : n, tile, 0, NWD,
                                    kc);
                        }
                        int rows = Math.min(MR, m - ip * MR);
                        int j0 = jp * NWD;
                        int cols = Math.min(NWD, n - j0);
                        for (int r = 0; r < rows; r++) {
                            int o = (ip * MR + r) * n + j0;
                            if (bias == null) {
                                System.arraycopy(tile, r * NWD, out, o, cols);
                            } else {
                                for (int j = 0; j < cols; j++) {
                                    out[o + j] = tile[r * NWD + j] + bias[j0 + j];
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * Packs row panel {@code ip} of op(A) into {@code ap[p*MR + r]}, zero past row m; A is (m, k)
     * row-major, or (k, m) if {@code trans}.
     */
    private static void packAD(double[] a, int m, int k, boolean trans, int ip, double[] ap) {
        int i0 = ip * MR;
        int rows = Math.min(MR, m - i0);
        for (int p = 0; p < k; p++) {
            for (int r = 0; r < MR; r++) {
                ap[p * MR + r] = r >= rows ? 0.0 : trans ? a[p * m + i0 + r] : a[(i0 + r) * k + p];
            }
        }
    }

    /**
     * Packs column panel {@code jp} of op(B) into slot {@code slot} of {@code bp},
     * {@code bp[(slot*k + p)*NWD + c]}, zero past column n; B is (k, n) row-major, or (n, k) if
     * {@code trans}.
     */
    private static void packBD(double[] b, int n, int k, boolean trans, int jp, double[] bp, int slot) {
        int j0 = jp * NWD;
        int cols = Math.min(NWD, n - j0);
        int base = slot * k * NWD;
        if (trans) {
            // in k-blocks of 64, so that the destination lines written stay in L1
            for (int p0 = 0; p0 < k; p0 += 64) {
                int p1 = Math.min(k, p0 + 64);
                for (int c = 0; c < NWD; c++) {
                    if (c < cols) {
                        int sidx = (j0 + c) * k;
                        for (int p = p0; p < p1; p++) {
                            bp[base + p * NWD + c] = b[sidx + p];
                        }
                    } else {
                        for (int p = p0; p < p1; p++) {
                            bp[base + p * NWD + c] = 0.0;
                        }
                    }
                }
            }
        } else {
            for (int p = 0; p < k; p++) {
                int d = base + p * NWD;
                System.arraycopy(b, p * n + j0, bp, d, cols);
                for (int c = cols; c < NWD; c++) {
                    bp[d + c] = 0.0;
                }
            }
        }
    }

    /**
     * {@code C[0..MR) x [0..NWD) += A x B} over {@code kc} steps, as {@link #kernelF}.
     * Element (r, p) of A is
     * {@code a[ao + p*aps + r*ars]} (a packed panel, or A as stored, either orientation); row p of
     * B is {@code b[bo + p*ldb ..]}, two vectors wide; row r of C starts at {@code c[co + r*ldc]}.
     */
    private static void kernelD(double[] a, int ao, int aps, int ars, double[] b, int bo, int ldb, double[] c, int co, int ldc,
            int kc) {
        DoubleVector c00;
        DoubleVector c01;
        DoubleVector c10;
        DoubleVector c11;
        DoubleVector c20;
        DoubleVector c21;
        DoubleVector c30;
        DoubleVector c31;
        DoubleVector c40;
        DoubleVector c41;
        DoubleVector c50;
        DoubleVector c51;
        c00 = DoubleVector.fromArray(DS, c, co);
        c01 = DoubleVector.fromArray(DS, c, co + DL);
        c10 = DoubleVector.fromArray(DS, c, co + ldc);
        c11 = DoubleVector.fromArray(DS, c, co + ldc + DL);
        c20 = DoubleVector.fromArray(DS, c, co + 2 * ldc);
        c21 = DoubleVector.fromArray(DS, c, co + 2 * ldc + DL);
        c30 = DoubleVector.fromArray(DS, c, co + 3 * ldc);
        c31 = DoubleVector.fromArray(DS, c, co + 3 * ldc + DL);
        c40 = DoubleVector.fromArray(DS, c, co + 4 * ldc);
        c41 = DoubleVector.fromArray(DS, c, co + 4 * ldc + DL);
        c50 = DoubleVector.fromArray(DS, c, co + 5 * ldc);
        c51 = DoubleVector.fromArray(DS, c, co + 5 * ldc + DL);
        int a1 = ars;
        int a2 = 2 * ars;
        int a3 = 3 * ars;
        int a4 = 4 * ars;
        int a5 = 5 * ars;
        for (int p = 0; p < kc; p++) {
            DoubleVector b0 = DoubleVector.fromArray(DS, b, bo);
            DoubleVector b1 = DoubleVector.fromArray(DS, b, bo + DL);
            DoubleVector av;
            av = DoubleVector.broadcast(DS, a[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = DoubleVector.broadcast(DS, a[ao + a1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = DoubleVector.broadcast(DS, a[ao + a2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = DoubleVector.broadcast(DS, a[ao + a3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = DoubleVector.broadcast(DS, a[ao + a4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = DoubleVector.broadcast(DS, a[ao + a5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            ao += aps;
            bo += ldb;
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + DL);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + DL);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + DL);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + DL);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + DL);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + DL);
    }

    /** float64 twin: {@code out[i][j] = ct[j][i] (+ bias[j])}: the (m, n) product from its (n, m) transpose. */
    private void transposeOut(double[] ct, int m, int n, double[] bias, double[] out, boolean parallel) {
        int tb = 32;
        int blocks = (m + tb - 1) / tb;
        par.run(parallel ? blocks : 1, (q, w) -> {
            int from = parallel ? q : 0;
            int to = parallel ? q + 1 : blocks;
            for (int ib = from; ib < to; ib++) {
                int i0 = ib * tb;
                int i1 = Math.min(m, i0 + tb);
                for (int j0 = 0; j0 < n; j0 += tb) {
                    int j1 = Math.min(n, j0 + tb);
                    for (int i = i0; i < i1; i++) {
                        int o = i * n;
                        if (bias == null) {
                            for (int j = j0; j < j1; j++) {
                                out[o + j] = ct[j * m + i];
                            }
                        } else {
                            for (int j = j0; j < j1; j++) {
                                out[o + j] = ct[j * m + i] + bias[j];
                            }
                        }
                    }
                }
            }
        });
    }

    /** Drops every scratch buffer. */
    void clear() {
        apF = new float[0];
        bpF = new float[0];
        apD = new double[0];
        bpD = new double[0];
        tF = new float[0];
        tD = new double[0];
    }
}
