package dev.vae.backend.jvm;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix product on the Java Vector API ({@code jdk.incubator.vector}): packed panels and a
 * register-blocked micro-kernel. Used by {@link MatMul} only when {@link VectorSupport#AVAILABLE};
 * this class must not be touched otherwise, because its linking needs the incubator module.
 *
 * <h2>Layout</h2>
 * Both operands are packed first, in parallel, one panel per task: op(A) into row panels of
 * {@link #MR} = 8 rows, {@code ap[(panel*k + p)*MR + r]}, and op(B) into column panels two vectors
 * wide ({@code NW} = 32 float32 or 16 float64 columns with 512-bit vectors),
 * {@code bp[(panel*k + p)*NW + c]}, both zero-padded past the matrix. The micro-kernel then keeps
 * one {@code MR x NW} tile of C in 16 vector registers for the whole depth k, broadcasting 8
 * values of A and issuing 16 vector fused multiply-adds against two vectors of B per step. Its
 * loads are at the loop counter times a constant plus an invariant, so C2 hoists every bounds
 * check out of the loop; that, and reading both operands sequentially, is what makes it about
 * twice as fast as a kernel reading the operands in place with run-time strides. Full tiles are
 * stored straight into the output (the bias added afterwards); edge tiles go through a per-worker
 * scratch tile whose valid part is copied out.
 *
 * <p>A float32 op(A) that is row-major and large next to the work (a layer's weights against a
 * small batch, whose 8-row interleave would cost more than the multiply-adds) is not packed: a
 * variant of the kernel reads its eight rows in place ({@link #kernelRowsF}, about 30% slower per
 * multiply-add, same chain).
 *
 * <p>The product may instead be computed as its transpose {@code C^T = op(B)^T op(A)^T} (the
 * operands swap roles and tiles are written out transposed) when a cost estimate says that is
 * cheaper: packing a panel is cheap where the packed rows are contiguous in the source and about
 * four times dearer where the pack transposes (see {@link #swap}), and narrow matrices waste
 * fewer padded lanes one way than the other.
 *
 * <p>Work is split into tasks of one column panel by a group of row panels, so that the column
 * panel of B is reused from cache by every row panel of the task; there are at least
 * {@code 8 x threads} tasks when the product runs in parallel, for balance on shared machines.
 *
 * <h2>Determinism</h2>
 * Every element of C is the sequential chain {@code c = fma(a[i][p], b[p][j], c)} for
 * {@code p = 0..k-1} from 0, in one register lane ({@code fma} is symmetric in its factors, so
 * the transposed computation gives the same chain). The bias, if any, is added once after the
 * last step. That is exactly the chain of the scalar {@link MatMul}, so the two paths are
 * bit-identical, and it depends neither on the task split nor on the number of threads.
 */
final class VectorMatMul {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    /** float32 lanes per vector. */
    private static final int FL = FS.length();
    /** float64 lanes per vector. */
    private static final int DL = DS.length();
    /** All lanes set: see {@link #kernelF}. */
    private static final VectorMask<Float> ALL_F = FS.maskAll(true);
    /** All lanes set: see {@link #kernelD}. */
    private static final VectorMask<Double> ALL_D = DS.maskAll(true);
    /** Rows of a micro-tile. */
    static final int MR = 8;
    /** Columns of a float32 micro-tile (two vectors). */
    private static final int NWF = 2 * FL;
    /** Columns of a float64 micro-tile (two vectors). */
    private static final int NWD = 2 * DL;
    /** Extra cost of {@link #kernelRowsF} over {@link #kernelF}, relative to the multiply-adds. */
    private static final double ROWS_PENALTY = 0.3;
    /** Fewest tasks per thread of a parallel product. */
    private static final int TASKS_PER_THREAD = 8;
    /** Scratch buffers larger than this (elements) are not kept between calls. */
    private static final long KEEP_LIMIT = 1L << 22;

    private final Parallel par;
    private float[] apF = new float[0];
    private float[] bpF = new float[0];
    private double[] apD = new double[0];
    private double[] bpD = new double[0];
    /** Per-worker scratch tiles for edge and transposed tiles. */
    private final float[][] tileF;
    private final double[][] tileD;

    VectorMatMul(Parallel par) {
        this.par = par;
        this.tileF = new float[par.threads()][MR * NWF];
        this.tileD = new double[par.threads()][MR * NWD];
    }

    /** @return a one-line description of the vector shapes, for the device description */
    static String describe() {
        return FS.vectorBitSize() + "-bit vectors";
    }

    /** @return whether the packed panels of an (m, n, k) product, either way round, fit in Java arrays */
    static boolean fits(int m, int n, int k) {
        long widest = Math.max(m, n) + (long) Math.max(MR, Math.max(NWF, NWD));
        return widest * k <= Integer.MAX_VALUE - 16;
    }

    /**
     * Whether to compute {@code C^T} rather than C: the one with the lower estimated cost of packing
     * (per element: 1 for a contiguous copy, 4 for a transposing pack of a panel of B, 3 for the
     * 8-row interleave of a panel of A), multiply-adds (padded lanes included, {@code 3 nw / 8} of
     * them per unit, {@code nw} columns per tile) and writing out (3 per element of a transposed
     * output). The weights were measured on AVX-512; they only choose between two exact ways.
     */
    static boolean swap(int m, int n, int k, boolean transA, boolean transB, int nw, boolean rowsOk) {
        return cost(m, n, k, transA, transB, nw, rowsOk) > cost(n, m, k, !transB, !transA, nw, rowsOk)
                + 3.0 * m * n;
    }

    /** Estimated cost of C = op(A) op(B), in units of a packed element copied. */
    private static double cost(int m, int n, int k, boolean transA, boolean transB, int nw, boolean rowsOk) {
        double flops = flops(m, n, k, nw);
        double packA = transA ? (double) m * k : rowsOk ? Math.min(3.0 * m * k, ROWS_PENALTY * flops) : 3.0 * m * k;
        double packB = (double) k * n * (transB ? 4 : 1);
        return packA + packB + flops;
    }

    /** Estimated cost of the multiply-adds of an (m, n, k) product, padded lanes included. */
    private static double flops(int m, int n, int k, int nw) {
        return (double) ((m + MR - 1) / MR * MR) * ((n + nw - 1) / nw * nw) * k * 8 / (3.0 * nw);
    }

    /**
     * Whether to read a row-major op(A) of (m, k) in place with {@link #kernelRowsF} rather than
     * pack it: the in-place kernel reads eight rows at once and is about 30% slower, which is
     * cheaper than the 8-row interleave only when A is large next to the work (a wide layer's
     * weights against a small batch).
     */
    private static boolean rowsInPlace(int m, int n, int k, int nw) {
        return ROWS_PENALTY * flops(m, n, k, nw) < 3.0 * m * k;
    }

    /** Task split: one column panel by a group of row panels. */
    private static final class Split {
        final int rowGroup;
        final int rowTasks;
        final int np;

        Split(int mp, int np, int threads, boolean parallel) {
            int want = parallel ? TASKS_PER_THREAD * threads : 1;
            int rt = Math.min(mp, Math.max(1, (want + np - 1) / np));
            this.rowGroup = (mp + rt - 1) / rt;
            this.rowTasks = (mp + rowGroup - 1) / rowGroup;
            this.np = np;
        }

        int tasks() {
            return rowTasks * np;
        }
    }

    /** float product; same contract as {@link MatMul#multiply(float[], float[], int, int, int, boolean, boolean, float[], float[])} with {@code m, n, k > 0} and {@link #fits}. */
    void multiply(float[] a, float[] b, int m, int n, int k, boolean transA, boolean transB, float[] bias, float[] out,
            boolean parallel) {
        boolean swap = swap(m, n, k, transA, transB, NWF, true);
        // C' = A' B', (mm, nn): C itself, or C^T = op(B)^T op(A)^T
        int mm = swap ? n : m;
        int nn = swap ? m : n;
        float[] as = swap ? b : a;
        float[] bs = swap ? a : b;
        boolean ta = swap ? !transB : transA;
        boolean tb = swap ? !transA : transB;
        int mp = (mm + MR - 1) / MR;
        int np = (nn + NWF - 1) / NWF;
        // op(A') row-major and large next to the work: read it in place, pack only B'
        boolean rows = !ta && rowsInPlace(mm, nn, k, NWF);
        float[] ap = rows || apF.length >= (long) mp * MR * k ? apF : new float[mp * MR * k];
        float[] bp = bpF.length >= (long) np * NWF * k ? bpF : new float[np * NWF * k];
        if (ap.length <= KEEP_LIMIT) {
            apF = ap;
        }
        if (bp.length <= KEEP_LIMIT) {
            bpF = bp;
        }
        int packedA = rows ? 0 : mp;
        int packs = packedA + np;
        par.run(parallel ? packs : 1, (t, w) -> {
            int from = parallel ? t : 0;
            int to = parallel ? t + 1 : packs;
            for (int q = from; q < to; q++) {
                if (q < packedA) {
                    packA(as, ta, mm, k, q, ap);
                } else {
                    packB(bs, tb, k, nn, q - packedA, bp);
                }
            }
        });
        Split s = new Split(mp, np, par.threads(), parallel);
        int tasks = s.tasks();
        par.run(parallel ? tasks : 1, (t, w) -> {
            int from = parallel ? t : 0;
            int to = parallel ? t + 1 : tasks;
            float[] tile = tileF[w];
            for (int q = from; q < to; q++) {
                int jp = q % np;
                int ip0 = (q / np) * s.rowGroup;
                int ip1 = Math.min(mp, ip0 + s.rowGroup);
                int j0 = jp * NWF;
                int cols = Math.min(NWF, nn - j0);
                for (int ip = ip0; ip < ip1; ip++) {
                    int i0 = ip * MR;
                    if (rows) {
                        kernelRowsF(as, i0, Math.min(MR, mm - i0), k, bp, jp * k * NWF, tile);
                        store(tile, i0, Math.min(MR, mm - i0), j0, cols, swap, bias, out, n);
                    } else if (!swap && Math.min(MR, mm - i0) == MR && cols == NWF) {
                        kernelF(ap, ip * k * MR, bp, jp * k * NWF, k, out, i0 * n + j0, n);
                        if (bias != null) {
                            // C2 would not vectorise this loop (two different offsets): add by hand
                            FloatVector b0 = FloatVector.fromArray(FS, bias, j0);
                            FloatVector b1 = FloatVector.fromArray(FS, bias, j0 + FL);
                            for (int r = 0; r < MR; r++) {
                                int o = (i0 + r) * n + j0;
                                FloatVector.fromArray(FS, out, o).add(b0).intoArray(out, o);
                                FloatVector.fromArray(FS, out, o + FL).add(b1).intoArray(out, o + FL);
                            }
                        }
                    } else {
                        kernelF(ap, ip * k * MR, bp, jp * k * NWF, k, tile, 0, NWF);
                        store(tile, i0, Math.min(MR, mm - i0), j0, cols, swap, bias, out, n);
                    }
                }
            }
        });
    }

    /**
     * Writes the valid {@code rows x cols} part of a tile of C' at (i0, j0) to {@code out}, the
     * (., n) row-major C: at C[i0+r][j0+c], or at C[j0+c][i0+r] when {@code swap} (C' = C^T), adding the
     * bias of C's column.
     */
    private static void store(float[] tile, int i0, int rows, int j0, int cols, boolean swap, float[] bias, float[] out, int n) {
        if (!swap) {
            for (int r = 0; r < rows; r++) {
                int o = (i0 + r) * n + j0;
                int t = r * NWF;
                if (bias == null) {
                    System.arraycopy(tile, t, out, o, cols);
                } else {
                    for (int c = 0; c < cols; c++) {
                        out[o + c] = tile[t + c] + bias[j0 + c];
                    }
                }
            }
        } else {
            for (int c = 0; c < cols; c++) {
                int o = (j0 + c) * n + i0;
                if (bias == null) {
                    for (int r = 0; r < rows; r++) {
                        out[o + r] = tile[r * NWF + c];
                    }
                } else {
                    for (int r = 0; r < rows; r++) {
                        out[o + r] = tile[r * NWF + c] + bias[i0 + r];
                    }
                }
            }
        }
    }

    /**
     * Packs row panel {@code ip} of op(A) into {@code ap[(ip*k + p)*MR + r]}, zero past row m; A is
     * (m, k) row-major, or (k, m) if {@code trans}.
     */
    private static void packA(float[] a, boolean trans, int m, int k, int ip, float[] ap) {
        int base = ip * k * MR;
        int i0 = ip * MR;
        int rows = Math.min(MR, m - i0);
        if (!trans) {
            for (int r = 0; r < MR; r++) {
                int s = (i0 + r) * k;
                if (r < rows) {
                    for (int p = 0; p < k; p++) {
                        ap[base + p * MR + r] = a[s + p];
                    }
                } else {
                    for (int p = 0; p < k; p++) {
                        ap[base + p * MR + r] = 0f;
                    }
                }
            }
        } else {
            for (int p = 0; p < k; p++) {
                int s = p * m + i0;
                int d = base + p * MR;
                for (int r = 0; r < rows; r++) {
                    ap[d + r] = a[s + r];
                }
                for (int r = rows; r < MR; r++) {
                    ap[d + r] = 0f;
                }
            }
        }
    }

    /**
     * Packs column panel {@code jp} of op(B) into {@code bp[(jp*k + p)*NWF + c]}, zero past column n;
     * B is (k, n) row-major, or (n, k) if {@code trans}.
     */
    private static void packB(float[] b, boolean trans, int k, int n, int jp, float[] bp) {
        int j0 = jp * NWF;
        int cols = Math.min(NWF, n - j0);
        int base = jp * k * NWF;
        if (trans) {
            // in k-blocks of 64, so that the destination lines written stay in L1
            for (int p0 = 0; p0 < k; p0 += 64) {
                int p1 = Math.min(k, p0 + 64);
                for (int c = 0; c < NWF; c++) {
                    if (c < cols) {
                        int s = (j0 + c) * k;
                        for (int p = p0; p < p1; p++) {
                            bp[base + p * NWF + c] = b[s + p];
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
     * One {@code MR x NWF} tile: {@code C = A B} over {@code k} steps from zero, A a packed row panel
     * ({@code ap[ao + p*MR + r]}), B a packed column panel ({@code bp[bo + p*NWF + c]}); row r of the
     * tile is stored at {@code c[co + r*ldc ..]}. Every index in the loop is the loop counter times a
     * constant plus an invariant, which lets C2 hoist all bounds checks out of it.
     *
     * <p>Only vectors of a statically known class may receive a method call: while C2 parses the
     * loop, the accumulators (loop phis) have the declared type {@code FloatVector}, and a call on
     * them would be resolved through the JVM-wide type profile of the Vector API's own methods,
     * which other 256-bit species pollute ({@link VectorLoops}); the stores then fail to intrinsify
     * and every call boxes its vectors (ten times slower, and heaps of garbage). So the
     * accumulators are only ever arguments: of {@code fma} on the broadcast, and of a blend with
     * all lanes on the zero vector before the store, which returns them unchanged.
     */
    private static void kernelF(float[] ap, int ao, float[] bp, int bo, int k, float[] c, int co, int ldc) {
        FloatVector z = FloatVector.zero(FS);
        FloatVector c00 = z;
        FloatVector c01 = z;
        FloatVector c10 = z;
        FloatVector c11 = z;
        FloatVector c20 = z;
        FloatVector c21 = z;
        FloatVector c30 = z;
        FloatVector c31 = z;
        FloatVector c40 = z;
        FloatVector c41 = z;
        FloatVector c50 = z;
        FloatVector c51 = z;
        FloatVector c60 = z;
        FloatVector c61 = z;
        FloatVector c70 = z;
        FloatVector c71 = z;
        for (int p = 0; p < k; p++) {
            int ai = ao + p * MR;
            int bi = bo + p * NWF;
            FloatVector b0 = FloatVector.fromArray(FS, bp, bi);
            FloatVector b1 = FloatVector.fromArray(FS, bp, bi + FL);
            FloatVector av;
            av = FloatVector.broadcast(FS, ap[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(FS, ap[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(FS, ap[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(FS, ap[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(FS, ap[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(FS, ap[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(FS, ap[ai + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(FS, ap[ai + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        z.blend(c00, ALL_F).intoArray(c, co);
        z.blend(c01, ALL_F).intoArray(c, co + FL);
        z.blend(c10, ALL_F).intoArray(c, co + ldc);
        z.blend(c11, ALL_F).intoArray(c, co + ldc + FL);
        z.blend(c20, ALL_F).intoArray(c, co + 2 * ldc);
        z.blend(c21, ALL_F).intoArray(c, co + 2 * ldc + FL);
        z.blend(c30, ALL_F).intoArray(c, co + 3 * ldc);
        z.blend(c31, ALL_F).intoArray(c, co + 3 * ldc + FL);
        z.blend(c40, ALL_F).intoArray(c, co + 4 * ldc);
        z.blend(c41, ALL_F).intoArray(c, co + 4 * ldc + FL);
        z.blend(c50, ALL_F).intoArray(c, co + 5 * ldc);
        z.blend(c51, ALL_F).intoArray(c, co + 5 * ldc + FL);
        z.blend(c60, ALL_F).intoArray(c, co + 6 * ldc);
        z.blend(c61, ALL_F).intoArray(c, co + 6 * ldc + FL);
        z.blend(c70, ALL_F).intoArray(c, co + 7 * ldc);
        z.blend(c71, ALL_F).intoArray(c, co + 7 * ldc + FL);
    }

    /**
     * {@link #kernelF} reading A in place: rows {@code i0 .. i0+rows} of the row-major (., k) matrix
     * {@code a} (rows past {@code rows} repeat the last one; the caller drops them), the tile stored
     * at {@code c[r*NW + c]}. Its eight row streams make it about 30% slower than the packed kernel.
     */
    private static void kernelRowsF(float[] a, int i0, int rows, int k, float[] bp, int bo, float[] c) {
        FloatVector z = FloatVector.zero(FS);
        FloatVector c00 = z;
        FloatVector c01 = z;
        FloatVector c10 = z;
        FloatVector c11 = z;
        FloatVector c20 = z;
        FloatVector c21 = z;
        FloatVector c30 = z;
        FloatVector c31 = z;
        FloatVector c40 = z;
        FloatVector c41 = z;
        FloatVector c50 = z;
        FloatVector c51 = z;
        FloatVector c60 = z;
        FloatVector c61 = z;
        FloatVector c70 = z;
        FloatVector c71 = z;
        int last = rows - 1;
        int r0 = i0 * k;
        int r1 = (i0 + Math.min(1, last)) * k;
        int r2 = (i0 + Math.min(2, last)) * k;
        int r3 = (i0 + Math.min(3, last)) * k;
        int r4 = (i0 + Math.min(4, last)) * k;
        int r5 = (i0 + Math.min(5, last)) * k;
        int r6 = (i0 + Math.min(6, last)) * k;
        int r7 = (i0 + Math.min(7, last)) * k;
        for (int p = 0; p < k; p++) {
            int bi = bo + p * NWF;
            FloatVector b0 = FloatVector.fromArray(FS, bp, bi);
            FloatVector b1 = FloatVector.fromArray(FS, bp, bi + FL);
            FloatVector av;
            av = FloatVector.broadcast(FS, a[r0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(FS, a[r1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(FS, a[r2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(FS, a[r3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(FS, a[r4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(FS, a[r5 + p]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(FS, a[r6 + p]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(FS, a[r7 + p]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        z.blend(c00, ALL_F).intoArray(c, 0);
        z.blend(c01, ALL_F).intoArray(c, FL);
        z.blend(c10, ALL_F).intoArray(c, NWF);
        z.blend(c11, ALL_F).intoArray(c, NWF + FL);
        z.blend(c20, ALL_F).intoArray(c, 2 * NWF);
        z.blend(c21, ALL_F).intoArray(c, 2 * NWF + FL);
        z.blend(c30, ALL_F).intoArray(c, 3 * NWF);
        z.blend(c31, ALL_F).intoArray(c, 3 * NWF + FL);
        z.blend(c40, ALL_F).intoArray(c, 4 * NWF);
        z.blend(c41, ALL_F).intoArray(c, 4 * NWF + FL);
        z.blend(c50, ALL_F).intoArray(c, 5 * NWF);
        z.blend(c51, ALL_F).intoArray(c, 5 * NWF + FL);
        z.blend(c60, ALL_F).intoArray(c, 6 * NWF);
        z.blend(c61, ALL_F).intoArray(c, 6 * NWF + FL);
        z.blend(c70, ALL_F).intoArray(c, 7 * NWF);
        z.blend(c71, ALL_F).intoArray(c, 7 * NWF + FL);
    }

    // ------------------------------------------------------------------ float64

    /** double product; same contract as {@link MatMul#multiply(double[], double[], int, int, int, boolean, boolean, double[], double[])} with {@code m, n, k > 0} and {@link #fits}. */
    void multiply(double[] a, double[] b, int m, int n, int k, boolean transA, boolean transB, double[] bias, double[] out,
            boolean parallel) {
        boolean swap = swap(m, n, k, transA, transB, NWD, false);
        // C' = A' B', (mm, nn): C itself, or C^T = op(B)^T op(A)^T
        int mm = swap ? n : m;
        int nn = swap ? m : n;
        double[] as = swap ? b : a;
        double[] bs = swap ? a : b;
        boolean ta = swap ? !transB : transA;
        boolean tb = swap ? !transA : transB;
        int mp = (mm + MR - 1) / MR;
        int np = (nn + NWD - 1) / NWD;
        double[] ap = apD.length >= (long) mp * MR * k ? apD : new double[mp * MR * k];
        double[] bp = bpD.length >= (long) np * NWD * k ? bpD : new double[np * NWD * k];
        if (ap.length <= KEEP_LIMIT) {
            apD = ap;
        }
        if (bp.length <= KEEP_LIMIT) {
            bpD = bp;
        }
        int packs = mp + np;
        par.run(parallel ? packs : 1, (t, w) -> {
            int from = parallel ? t : 0;
            int to = parallel ? t + 1 : packs;
            for (int q = from; q < to; q++) {
                if (q < mp) {
                    packA(as, ta, mm, k, q, ap);
                } else {
                    packB(bs, tb, k, nn, q - mp, bp);
                }
            }
        });
        Split s = new Split(mp, np, par.threads(), parallel);
        int tasks = s.tasks();
        par.run(parallel ? tasks : 1, (t, w) -> {
            int from = parallel ? t : 0;
            int to = parallel ? t + 1 : tasks;
            double[] tile = tileD[w];
            for (int q = from; q < to; q++) {
                int jp = q % np;
                int ip0 = (q / np) * s.rowGroup;
                int ip1 = Math.min(mp, ip0 + s.rowGroup);
                int j0 = jp * NWD;
                int cols = Math.min(NWD, nn - j0);
                for (int ip = ip0; ip < ip1; ip++) {
                    int i0 = ip * MR;
                    int rows = Math.min(MR, mm - i0);
                    if (!swap && rows == MR && cols == NWD) {
                        kernelD(ap, ip * k * MR, bp, jp * k * NWD, k, out, i0 * n + j0, n);
                        if (bias != null) {
                            // C2 would not vectorise this loop (two different offsets): add by hand
                            DoubleVector b0 = DoubleVector.fromArray(DS, bias, j0);
                            DoubleVector b1 = DoubleVector.fromArray(DS, bias, j0 + DL);
                            for (int r = 0; r < MR; r++) {
                                int o = (i0 + r) * n + j0;
                                DoubleVector.fromArray(DS, out, o).add(b0).intoArray(out, o);
                                DoubleVector.fromArray(DS, out, o + DL).add(b1).intoArray(out, o + DL);
                            }
                        }
                    } else {
                        kernelD(ap, ip * k * MR, bp, jp * k * NWD, k, tile, 0, NWD);
                        store(tile, i0, rows, j0, cols, swap, bias, out, n);
                    }
                }
            }
        });
    }

    /**
     * Writes the valid {@code rows x cols} part of a tile of C' at (i0, j0) to {@code out}, the
     * (., n) row-major C: at C[i0+r][j0+c], or at C[j0+c][i0+r] when {@code swap} (C' = C^T), adding the
     * bias of C's column.
     */
    private static void store(double[] tile, int i0, int rows, int j0, int cols, boolean swap, double[] bias, double[] out, int n) {
        if (!swap) {
            for (int r = 0; r < rows; r++) {
                int o = (i0 + r) * n + j0;
                int t = r * NWD;
                if (bias == null) {
                    System.arraycopy(tile, t, out, o, cols);
                } else {
                    for (int c = 0; c < cols; c++) {
                        out[o + c] = tile[t + c] + bias[j0 + c];
                    }
                }
            }
        } else {
            for (int c = 0; c < cols; c++) {
                int o = (j0 + c) * n + i0;
                if (bias == null) {
                    for (int r = 0; r < rows; r++) {
                        out[o + r] = tile[r * NWD + c];
                    }
                } else {
                    for (int r = 0; r < rows; r++) {
                        out[o + r] = tile[r * NWD + c] + bias[i0 + r];
                    }
                }
            }
        }
    }

    /**
     * Packs row panel {@code ip} of op(A) into {@code ap[(ip*k + p)*MR + r]}, zero past row m; A is
     * (m, k) row-major, or (k, m) if {@code trans}.
     */
    private static void packA(double[] a, boolean trans, int m, int k, int ip, double[] ap) {
        int base = ip * k * MR;
        int i0 = ip * MR;
        int rows = Math.min(MR, m - i0);
        if (!trans) {
            for (int r = 0; r < MR; r++) {
                int s = (i0 + r) * k;
                if (r < rows) {
                    for (int p = 0; p < k; p++) {
                        ap[base + p * MR + r] = a[s + p];
                    }
                } else {
                    for (int p = 0; p < k; p++) {
                        ap[base + p * MR + r] = 0.0;
                    }
                }
            }
        } else {
            for (int p = 0; p < k; p++) {
                int s = p * m + i0;
                int d = base + p * MR;
                for (int r = 0; r < rows; r++) {
                    ap[d + r] = a[s + r];
                }
                for (int r = rows; r < MR; r++) {
                    ap[d + r] = 0.0;
                }
            }
        }
    }

    /**
     * Packs column panel {@code jp} of op(B) into {@code bp[(jp*k + p)*NWD + c]}, zero past column n;
     * B is (k, n) row-major, or (n, k) if {@code trans}.
     */
    private static void packB(double[] b, boolean trans, int k, int n, int jp, double[] bp) {
        int j0 = jp * NWD;
        int cols = Math.min(NWD, n - j0);
        int base = jp * k * NWD;
        if (trans) {
            // in k-blocks of 64, so that the destination lines written stay in L1
            for (int p0 = 0; p0 < k; p0 += 64) {
                int p1 = Math.min(k, p0 + 64);
                for (int c = 0; c < NWD; c++) {
                    if (c < cols) {
                        int s = (j0 + c) * k;
                        for (int p = p0; p < p1; p++) {
                            bp[base + p * NWD + c] = b[s + p];
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
     * One {@code MR x NWD} tile: {@code C = A B} over {@code k} steps from zero, A a packed row panel
     * ({@code ap[ao + p*MR + r]}), B a packed column panel ({@code bp[bo + p*NWD + c]}); row r of the
     * tile is stored at {@code c[co + r*ldc ..]}. Every index in the loop is the loop counter times a
     * constant plus an invariant, which lets C2 hoist all bounds checks out of it.
     */
    private static void kernelD(double[] ap, int ao, double[] bp, int bo, int k, double[] c, int co, int ldc) {
        DoubleVector z = DoubleVector.zero(DS);
        DoubleVector c00 = z;
        DoubleVector c01 = z;
        DoubleVector c10 = z;
        DoubleVector c11 = z;
        DoubleVector c20 = z;
        DoubleVector c21 = z;
        DoubleVector c30 = z;
        DoubleVector c31 = z;
        DoubleVector c40 = z;
        DoubleVector c41 = z;
        DoubleVector c50 = z;
        DoubleVector c51 = z;
        DoubleVector c60 = z;
        DoubleVector c61 = z;
        DoubleVector c70 = z;
        DoubleVector c71 = z;
        for (int p = 0; p < k; p++) {
            int ai = ao + p * MR;
            int bi = bo + p * NWD;
            DoubleVector b0 = DoubleVector.fromArray(DS, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(DS, bp, bi + DL);
            DoubleVector av;
            av = DoubleVector.broadcast(DS, ap[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = DoubleVector.broadcast(DS, ap[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = DoubleVector.broadcast(DS, ap[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = DoubleVector.broadcast(DS, ap[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = DoubleVector.broadcast(DS, ap[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = DoubleVector.broadcast(DS, ap[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = DoubleVector.broadcast(DS, ap[ai + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = DoubleVector.broadcast(DS, ap[ai + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        z.blend(c00, ALL_D).intoArray(c, co);
        z.blend(c01, ALL_D).intoArray(c, co + DL);
        z.blend(c10, ALL_D).intoArray(c, co + ldc);
        z.blend(c11, ALL_D).intoArray(c, co + ldc + DL);
        z.blend(c20, ALL_D).intoArray(c, co + 2 * ldc);
        z.blend(c21, ALL_D).intoArray(c, co + 2 * ldc + DL);
        z.blend(c30, ALL_D).intoArray(c, co + 3 * ldc);
        z.blend(c31, ALL_D).intoArray(c, co + 3 * ldc + DL);
        z.blend(c40, ALL_D).intoArray(c, co + 4 * ldc);
        z.blend(c41, ALL_D).intoArray(c, co + 4 * ldc + DL);
        z.blend(c50, ALL_D).intoArray(c, co + 5 * ldc);
        z.blend(c51, ALL_D).intoArray(c, co + 5 * ldc + DL);
        z.blend(c60, ALL_D).intoArray(c, co + 6 * ldc);
        z.blend(c61, ALL_D).intoArray(c, co + 6 * ldc + DL);
        z.blend(c70, ALL_D).intoArray(c, co + 7 * ldc);
        z.blend(c71, ALL_D).intoArray(c, co + 7 * ldc + DL);
    }

    /** Drops the packed panels. */
    void clear() {
        apF = new float[0];
        bpF = new float[0];
        apD = new double[0];
        bpD = new double[0];
    }
}
