package dev.vae.backend.jvm;

import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.UnaryOp;

/**
 * The element-wise loops of the float32 kernels: one plain loop per operation, so that HotSpot's
 * C2 compiler can unroll (and where it can, vectorise) each of them. Twin of {@link DoubleLoops}.
 *
 * <ul>
 *   <li>Loops index every array with the same expression ({@code o[i] = f(a[i], b[i])}): C2
 *       (JDK 17) does not vectorise a loop whose arrays have different invariant offsets; the
 *       offset and strided forms are the broadcasting fallbacks.</li>
 *   <li>Comparisons and {@code where} select with bit masks instead of a conditional
 *       expression, which C2 would compile to an unpredictable branch on x86.</li>
 *   <li>Transcendental functions (and {@code pow}) are evaluated in float64 and rounded once,
 *       in blocks through a float64 buffer: converting element by element inside the loop
 *       serialises the iterations on x86 (a false dependency of {@code cvtss2sd}) and is about
 *       four times slower. The result is the same: {@code (float) f((double) x)}.</li>
 * </ul>
 */
final class FloatLoops {
    /** Bits of 1.0f. */
    private static final int ONE = 0x3f800000;
    /** Elements per block of the float64 buffer. */
    private static final int BLOCK = 256;

    private FloatLoops() {
    }

    /** {@code o[i] = op(a[i])} for {@code i} in {@code [s, e)}; {@code o} may be {@code a}. */
    static void unary(UnaryOp op, float[] a, float[] o, int s, int e) {
        switch (op) {
            case EXP, LOG, LOG1P, EXPM1, TANH, SIGMOID, SOFTPLUS -> viaDouble(op, a, o, s, e);
            case NEG -> {
                for (int i = s; i < e; i++) {
                    o[i] = -a[i];
                }
            }
            case SQRT -> {
                for (int i = s; i < e; i++) {
                    o[i] = (float) Math.sqrt(a[i]);
                }
            }
            case ABS -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.abs(a[i]);
                }
            }
            case SIGN -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.signum(a[i]);
                }
            }
            case RELU -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.max(a[i], 0f);
                }
            }
            case SQUARE -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] * a[i];
                }
            }
            case RECIPROCAL -> {
                for (int i = s; i < e; i++) {
                    o[i] = 1f / a[i];
                }
            }
            default -> throw new IllegalArgumentException("unknown unary op " + op);
        }
    }

    /**
     * {@code o[i] = (float) op((double) a[i])} through a float64 buffer, block by block; on the
     * Vector API ({@link VectorLoops#unary}) when it is available.
     */
    private static void viaDouble(UnaryOp op, float[] a, float[] o, int s, int e) {
        if (VectorSupport.AVAILABLE && VectorLoops.handles(op)) {
            VectorLoops.unary(op, a, o, s, e);
            return;
        }
        double[] t = new double[Math.min(BLOCK, Math.max(0, e - s))];
        for (int i0 = s; i0 < e; i0 += BLOCK) {
            int n = Math.min(BLOCK, e - i0);
            for (int j = 0; j < n; j++) {
                t[j] = a[i0 + j];
            }
            DoubleLoops.unary(op, t, t, 0, n);
            for (int j = 0; j < n; j++) {
                o[i0 + j] = (float) t[j];
            }
        }
    }

    /** {@code o[oo+i] = (float) Math.pow(a[ao+i*as], b[bo+i*bs])} through float64 buffers. */
    private static void powStrided(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int len) {
        double[] x = new double[Math.min(BLOCK, Math.max(0, len))];
        double[] y = new double[x.length];
        for (int i0 = 0; i0 < len; i0 += BLOCK) {
            int n = Math.min(BLOCK, len - i0);
            for (int j = 0; j < n; j++) {
                x[j] = a[ao + (i0 + j) * as];
                y[j] = b[bo + (i0 + j) * bs];
            }
            for (int j = 0; j < n; j++) {
                x[j] = Math.pow(x[j], y[j]);
            }
            for (int j = 0; j < n; j++) {
                o[oo + i0 + j] = (float) x[j];
            }
        }
    }

    /** {@code o[i] = op(a[i], b[i])} for {@code i} in {@code [s, e)}. */
    static void binary(BinaryOp op, float[] a, float[] b, float[] o, int s, int e) {
        switch (op) {
            case ADD -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] + b[i];
                }
            }
            case SUB -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] - b[i];
                }
            }
            case MUL -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] * b[i];
                }
            }
            case DIV -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] / b[i];
                }
            }
            case MAX -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.max(a[i], b[i]);
                }
            }
            case MIN -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.min(a[i], b[i]);
                }
            }
            case POW -> powStrided(a, s, 1, b, s, 1, o, s, e - s);
            case GT -> {
                for (int i = s; i < e; i++) {
                    o[i] = Float.intBitsToFloat(-(a[i] > b[i] ? 1 : 0) & ONE);
                }
            }
            case GE -> {
                for (int i = s; i < e; i++) {
                    o[i] = Float.intBitsToFloat(-(a[i] >= b[i] ? 1 : 0) & ONE);
                }
            }
            case LT -> {
                for (int i = s; i < e; i++) {
                    o[i] = Float.intBitsToFloat(-(a[i] < b[i] ? 1 : 0) & ONE);
                }
            }
            case LE -> {
                for (int i = s; i < e; i++) {
                    o[i] = Float.intBitsToFloat(-(a[i] <= b[i] ? 1 : 0) & ONE);
                }
            }
            case EQ -> {
                for (int i = s; i < e; i++) {
                    o[i] = Float.intBitsToFloat(-(a[i] == b[i] ? 1 : 0) & ONE);
                }
            }
            default -> throw new IllegalArgumentException("unknown binary op " + op);
        }
    }

    /** {@code o[i] = op(a[i], y)} for {@code i} in {@code [s, e)}. */
    static void binaryScalarRight(BinaryOp op, float[] a, float y, float[] o, int s, int e) {
        switch (op) {
            case ADD -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] + y;
                }
            }
            case SUB -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] - y;
                }
            }
            case MUL -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] * y;
                }
            }
            case DIV -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] / y;
                }
            }
            case MAX -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.max(a[i], y);
                }
            }
            case MIN -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.min(a[i], y);
                }
            }
            case POW -> powStrided(a, s, 1, new float[] {y}, 0, 0, o, s, e - s);
            case GT -> {
                for (int i = s; i < e; i++) {
                    o[i] = Float.intBitsToFloat(-(a[i] > y ? 1 : 0) & ONE);
                }
            }
            case GE -> {
                for (int i = s; i < e; i++) {
                    o[i] = Float.intBitsToFloat(-(a[i] >= y ? 1 : 0) & ONE);
                }
            }
            case LT -> {
                for (int i = s; i < e; i++) {
                    o[i] = Float.intBitsToFloat(-(a[i] < y ? 1 : 0) & ONE);
                }
            }
            case LE -> {
                for (int i = s; i < e; i++) {
                    o[i] = Float.intBitsToFloat(-(a[i] <= y ? 1 : 0) & ONE);
                }
            }
            case EQ -> {
                for (int i = s; i < e; i++) {
                    o[i] = Float.intBitsToFloat(-(a[i] == y ? 1 : 0) & ONE);
                }
            }
            default -> throw new IllegalArgumentException("unknown binary op " + op);
        }
    }

    /** {@code o[i] = op(x, b[i])} for {@code i} in {@code [s, e)}. */
    static void binaryScalarLeft(BinaryOp op, float x, float[] b, float[] o, int s, int e) {
        switch (op) {
            case ADD -> {
                for (int i = s; i < e; i++) {
                    o[i] = x + b[i];
                }
            }
            case SUB -> {
                for (int i = s; i < e; i++) {
                    o[i] = x - b[i];
                }
            }
            case MUL -> {
                for (int i = s; i < e; i++) {
                    o[i] = x * b[i];
                }
            }
            case DIV -> {
                for (int i = s; i < e; i++) {
                    o[i] = x / b[i];
                }
            }
            case MAX -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.max(x, b[i]);
                }
            }
            case MIN -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.min(x, b[i]);
                }
            }
            case POW -> powStrided(new float[] {x}, 0, 0, b, s, 1, o, s, e - s);
            case GT -> {
                for (int i = s; i < e; i++) {
                    o[i] = Float.intBitsToFloat(-(x > b[i] ? 1 : 0) & ONE);
                }
            }
            case GE -> {
                for (int i = s; i < e; i++) {
                    o[i] = Float.intBitsToFloat(-(x >= b[i] ? 1 : 0) & ONE);
                }
            }
            case LT -> {
                for (int i = s; i < e; i++) {
                    o[i] = Float.intBitsToFloat(-(x < b[i] ? 1 : 0) & ONE);
                }
            }
            case LE -> {
                for (int i = s; i < e; i++) {
                    o[i] = Float.intBitsToFloat(-(x <= b[i] ? 1 : 0) & ONE);
                }
            }
            case EQ -> {
                for (int i = s; i < e; i++) {
                    o[i] = Float.intBitsToFloat(-(x == b[i] ? 1 : 0) & ONE);
                }
            }
            default -> throw new IllegalArgumentException("unknown binary op " + op);
        }
    }

    /** {@code o[oo+i] = op(a[ao+i], b[bo+i])} for {@code i} in {@code [0, n)}: unit strides, any offsets. */
    static void binaryOffset(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] + b[bo + i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] - b[bo + i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] * b[bo + i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] / b[bo + i];
                }
            }
            case MAX -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Math.max(a[ao + i], b[bo + i]);
                }
            }
            case MIN -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Math.min(a[ao + i], b[bo + i]);
                }
            }
            case POW -> powStrided(a, ao, 1, b, bo, 1, o, oo, n);
            case GT -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Float.intBitsToFloat(-(a[ao + i] > b[bo + i] ? 1 : 0) & ONE);
                }
            }
            case GE -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Float.intBitsToFloat(-(a[ao + i] >= b[bo + i] ? 1 : 0) & ONE);
                }
            }
            case LT -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Float.intBitsToFloat(-(a[ao + i] < b[bo + i] ? 1 : 0) & ONE);
                }
            }
            case LE -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Float.intBitsToFloat(-(a[ao + i] <= b[bo + i] ? 1 : 0) & ONE);
                }
            }
            case EQ -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Float.intBitsToFloat(-(a[ao + i] == b[bo + i] ? 1 : 0) & ONE);
                }
            }
            default -> throw new IllegalArgumentException("unknown binary op " + op);
        }
    }

    /** {@code o[oo+i] = op(a[ao+i*as], b[bo+i*bs])} for {@code i} in {@code [0, n)}. */
    static void binaryStrided(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i * as] + b[bo + i * bs];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i * as] - b[bo + i * bs];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i * as] * b[bo + i * bs];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i * as] / b[bo + i * bs];
                }
            }
            case MAX -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Math.max(a[ao + i * as], b[bo + i * bs]);
                }
            }
            case MIN -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Math.min(a[ao + i * as], b[bo + i * bs]);
                }
            }
            case POW -> powStrided(a, ao, as, b, bo, bs, o, oo, n);
            case GT -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Float.intBitsToFloat(-(a[ao + i * as] > b[bo + i * bs] ? 1 : 0) & ONE);
                }
            }
            case GE -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Float.intBitsToFloat(-(a[ao + i * as] >= b[bo + i * bs] ? 1 : 0) & ONE);
                }
            }
            case LT -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Float.intBitsToFloat(-(a[ao + i * as] < b[bo + i * bs] ? 1 : 0) & ONE);
                }
            }
            case LE -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Float.intBitsToFloat(-(a[ao + i * as] <= b[bo + i * bs] ? 1 : 0) & ONE);
                }
            }
            case EQ -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Float.intBitsToFloat(-(a[ao + i * as] == b[bo + i * bs] ? 1 : 0) & ONE);
                }
            }
            default -> throw new IllegalArgumentException("unknown binary op " + op);
        }
    }

    /**
     * {@code o[i] = g[i] * (x[i] > 0 ? 1 : 0)} for {@code i} in {@code [s, e)}: the operations of
     * the composition {@code binary(MUL, g, scalar(GT, x, 0))}, so NaN in x selects 0 and NaN or
     * infinity in g times 0 gives NaN; on the Vector API when it is available.
     */
    static void reluBackward(float[] x, float[] g, float[] o, int s, int e) {
        if (VectorSupport.AVAILABLE) {
            VectorLoops.reluBackward(x, g, o, s, e);
            return;
        }
        for (int i = s; i < e; i++) {
            o[i] = g[i] * Float.intBitsToFloat(-(x[i] > 0f ? 1 : 0) & ONE);
        }
    }

    /** {@code o[i] = c[i] != 0 ? a[i] : b[i]} for {@code i} in {@code [s, e)} (NaN counts as true). */
    static void where(float[] c, float[] a, float[] b, float[] o, int s, int e) {
        for (int i = s; i < e; i++) {
            int m = -(c[i] != 0f ? 1 : 0);
            o[i] = Float.intBitsToFloat((Float.floatToRawIntBits(a[i]) & m) | (Float.floatToRawIntBits(b[i]) & ~m));
        }
    }

    /** The strided form of {@link #where}: element {@code i} of a run of {@code n}. */
    static void whereStrided(float[] c, int co, int cs, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        for (int i = 0; i < n; i++) {
            int m = -(c[co + i * cs] != 0f ? 1 : 0);
            o[oo + i] = Float.intBitsToFloat((Float.floatToRawIntBits(a[ao + i * as]) & m) | (Float.floatToRawIntBits(b[bo + i * bs]) & ~m));
        }
    }

    /** {@code o[oo+i] = a[ao+i*as]} for {@code i} in {@code [0, n)}: a strided gather. */
    static void gather(float[] a, int ao, int as, float[] o, int oo, int n) {
        if (as == 1) {
            System.arraycopy(a, ao, o, oo, n);
        } else if (as == 0) {
            java.util.Arrays.fill(o, oo, oo + n, a[ao]);
        } else {
            for (int i = 0; i < n; i++) {
                o[oo + i] = a[ao + i * as];
            }
        }
    }
}
