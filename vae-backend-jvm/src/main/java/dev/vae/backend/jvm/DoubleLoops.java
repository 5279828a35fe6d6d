package dev.vae.backend.jvm;

import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.UnaryOp;

/**
 * The element-wise loops of the float64 kernels: one plain loop per operation, so that HotSpot's
 * C2 compiler can unroll (and where it can, vectorise) each of them. Twin of {@link FloatLoops}.
 *
 * <ul>
 *   <li>Loops index every array with the same expression ({@code o[i] = f(a[i], b[i])}): C2
 *       (JDK 17) does not vectorise a loop whose arrays have different invariant offsets; the
 *       offset and strided forms are the broadcasting fallbacks.</li>
 *   <li>Comparisons and {@code where} select with bit masks instead of a conditional
 *       expression, which C2 would compile to an unpredictable branch on x86.</li>
 * </ul>
 */
final class DoubleLoops {
    /** Bits of 1.0. */
    private static final long ONE = 0x3ff0000000000000L;

    private DoubleLoops() {
    }

    /** {@code o[i] = op(a[i])} for {@code i} in {@code [s, e)}; {@code o} may be {@code a}. */
    static void unary(UnaryOp op, double[] a, double[] o, int s, int e) {
        switch (op) {
            case NEG -> {
                for (int i = s; i < e; i++) {
                    o[i] = -a[i];
                }
            }
            case EXP -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.exp(a[i]);
                }
            }
            case LOG -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.log(a[i]);
                }
            }
            case LOG1P -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.log1p(a[i]);
                }
            }
            case EXPM1 -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.expm1(a[i]);
                }
            }
            case SQRT -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.sqrt(a[i]);
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
            case TANH -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.tanh(a[i]);
                }
            }
            case SIGMOID -> {
                for (int i = s; i < e; i++) {
                    o[i] = ScalarMath.sigmoid(a[i]);
                }
            }
            case RELU -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.max(a[i], 0d);
                }
            }
            case SOFTPLUS -> {
                for (int i = s; i < e; i++) {
                    o[i] = ScalarMath.softplus(a[i]);
                }
            }
            case SQUARE -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] * a[i];
                }
            }
            case RECIPROCAL -> {
                for (int i = s; i < e; i++) {
                    o[i] = 1d / a[i];
                }
            }
            default -> throw new IllegalArgumentException("unknown unary op " + op);
        }
    }

    /** {@code o[i] = op(a[i], b[i])} for {@code i} in {@code [s, e)}. */
    static void binary(BinaryOp op, double[] a, double[] b, double[] o, int s, int e) {
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
            case POW -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.pow(a[i], b[i]);
                }
            }
            case GT -> {
                for (int i = s; i < e; i++) {
                    o[i] = Double.longBitsToDouble(-(a[i] > b[i] ? 1L : 0L) & ONE);
                }
            }
            case GE -> {
                for (int i = s; i < e; i++) {
                    o[i] = Double.longBitsToDouble(-(a[i] >= b[i] ? 1L : 0L) & ONE);
                }
            }
            case LT -> {
                for (int i = s; i < e; i++) {
                    o[i] = Double.longBitsToDouble(-(a[i] < b[i] ? 1L : 0L) & ONE);
                }
            }
            case LE -> {
                for (int i = s; i < e; i++) {
                    o[i] = Double.longBitsToDouble(-(a[i] <= b[i] ? 1L : 0L) & ONE);
                }
            }
            case EQ -> {
                for (int i = s; i < e; i++) {
                    o[i] = Double.longBitsToDouble(-(a[i] == b[i] ? 1L : 0L) & ONE);
                }
            }
            default -> throw new IllegalArgumentException("unknown binary op " + op);
        }
    }

    /** {@code o[i] = op(a[i], y)} for {@code i} in {@code [s, e)}. */
    static void binaryScalarRight(BinaryOp op, double[] a, double y, double[] o, int s, int e) {
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
            case POW -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.pow(a[i], y);
                }
            }
            case GT -> {
                for (int i = s; i < e; i++) {
                    o[i] = Double.longBitsToDouble(-(a[i] > y ? 1L : 0L) & ONE);
                }
            }
            case GE -> {
                for (int i = s; i < e; i++) {
                    o[i] = Double.longBitsToDouble(-(a[i] >= y ? 1L : 0L) & ONE);
                }
            }
            case LT -> {
                for (int i = s; i < e; i++) {
                    o[i] = Double.longBitsToDouble(-(a[i] < y ? 1L : 0L) & ONE);
                }
            }
            case LE -> {
                for (int i = s; i < e; i++) {
                    o[i] = Double.longBitsToDouble(-(a[i] <= y ? 1L : 0L) & ONE);
                }
            }
            case EQ -> {
                for (int i = s; i < e; i++) {
                    o[i] = Double.longBitsToDouble(-(a[i] == y ? 1L : 0L) & ONE);
                }
            }
            default -> throw new IllegalArgumentException("unknown binary op " + op);
        }
    }

    /** {@code o[i] = op(x, b[i])} for {@code i} in {@code [s, e)}. */
    static void binaryScalarLeft(BinaryOp op, double x, double[] b, double[] o, int s, int e) {
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
            case POW -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.pow(x, b[i]);
                }
            }
            case GT -> {
                for (int i = s; i < e; i++) {
                    o[i] = Double.longBitsToDouble(-(x > b[i] ? 1L : 0L) & ONE);
                }
            }
            case GE -> {
                for (int i = s; i < e; i++) {
                    o[i] = Double.longBitsToDouble(-(x >= b[i] ? 1L : 0L) & ONE);
                }
            }
            case LT -> {
                for (int i = s; i < e; i++) {
                    o[i] = Double.longBitsToDouble(-(x < b[i] ? 1L : 0L) & ONE);
                }
            }
            case LE -> {
                for (int i = s; i < e; i++) {
                    o[i] = Double.longBitsToDouble(-(x <= b[i] ? 1L : 0L) & ONE);
                }
            }
            case EQ -> {
                for (int i = s; i < e; i++) {
                    o[i] = Double.longBitsToDouble(-(x == b[i] ? 1L : 0L) & ONE);
                }
            }
            default -> throw new IllegalArgumentException("unknown binary op " + op);
        }
    }

    /** {@code o[oo+i] = op(a[ao+i], b[bo+i])} for {@code i} in {@code [0, n)}: unit strides, any offsets. */
    static void binaryOffset(BinaryOp op, double[] a, int ao, double[] b, int bo, double[] o, int oo, int n) {
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
            case POW -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Math.pow(a[ao + i], b[bo + i]);
                }
            }
            case GT -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Double.longBitsToDouble(-(a[ao + i] > b[bo + i] ? 1L : 0L) & ONE);
                }
            }
            case GE -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Double.longBitsToDouble(-(a[ao + i] >= b[bo + i] ? 1L : 0L) & ONE);
                }
            }
            case LT -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Double.longBitsToDouble(-(a[ao + i] < b[bo + i] ? 1L : 0L) & ONE);
                }
            }
            case LE -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Double.longBitsToDouble(-(a[ao + i] <= b[bo + i] ? 1L : 0L) & ONE);
                }
            }
            case EQ -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Double.longBitsToDouble(-(a[ao + i] == b[bo + i] ? 1L : 0L) & ONE);
                }
            }
            default -> throw new IllegalArgumentException("unknown binary op " + op);
        }
    }

    /** {@code o[oo+i] = op(a[ao+i*as], b[bo+i*bs])} for {@code i} in {@code [0, n)}. */
    static void binaryStrided(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] o, int oo, int n) {
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
            case POW -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Math.pow(a[ao + i * as], b[bo + i * bs]);
                }
            }
            case GT -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Double.longBitsToDouble(-(a[ao + i * as] > b[bo + i * bs] ? 1L : 0L) & ONE);
                }
            }
            case GE -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Double.longBitsToDouble(-(a[ao + i * as] >= b[bo + i * bs] ? 1L : 0L) & ONE);
                }
            }
            case LT -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Double.longBitsToDouble(-(a[ao + i * as] < b[bo + i * bs] ? 1L : 0L) & ONE);
                }
            }
            case LE -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Double.longBitsToDouble(-(a[ao + i * as] <= b[bo + i * bs] ? 1L : 0L) & ONE);
                }
            }
            case EQ -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Double.longBitsToDouble(-(a[ao + i * as] == b[bo + i * bs] ? 1L : 0L) & ONE);
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
    static void reluBackward(double[] x, double[] g, double[] o, int s, int e) {
        if (VectorSupport.AVAILABLE) {
            VectorLoops.reluBackward(x, g, o, s, e);
            return;
        }
        for (int i = s; i < e; i++) {
            o[i] = g[i] * Double.longBitsToDouble(-(x[i] > 0d ? 1L : 0L) & ONE);
        }
    }

    /** {@code o[i] = c[i] != 0 ? a[i] : b[i]} for {@code i} in {@code [s, e)} (NaN counts as true). */
    static void where(double[] c, double[] a, double[] b, double[] o, int s, int e) {
        for (int i = s; i < e; i++) {
            long m = -(c[i] != 0d ? 1L : 0L);
            o[i] = Double.longBitsToDouble((Double.doubleToRawLongBits(a[i]) & m) | (Double.doubleToRawLongBits(b[i]) & ~m));
        }
    }

    /** The strided form of {@link #where}: element {@code i} of a run of {@code n}. */
    static void whereStrided(double[] c, int co, int cs, double[] a, int ao, int as, double[] b, int bo, int bs, double[] o, int oo, int n) {
        for (int i = 0; i < n; i++) {
            long m = -(c[co + i * cs] != 0d ? 1L : 0L);
            o[oo + i] = Double.longBitsToDouble((Double.doubleToRawLongBits(a[ao + i * as]) & m) | (Double.doubleToRawLongBits(b[bo + i * bs]) & ~m));
        }
    }

    /** {@code o[oo+i] = a[ao+i*as]} for {@code i} in {@code [0, n)}: a strided gather. */
    static void gather(double[] a, int ao, int as, double[] o, int oo, int n) {
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
