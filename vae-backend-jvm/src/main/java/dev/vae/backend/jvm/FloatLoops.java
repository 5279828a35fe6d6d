package dev.vae.backend.jvm;

import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.UnaryOp;

/**
 * The element-wise loops of the float kernels, one plain loop per operation so that HotSpot's
 * C2 compiler can unroll and auto-vectorise each of them. Keep in step with its twin
 * {@link DoubleLoops}: the two differ only in the element type (and float32 evaluates the
 * transcendental functions in float64 and rounds once, which gives nearly correctly rounded
 * results).
 *
 * <p>Loops that index every array with the same expression ({@code o[i] = f(a[i], b[i])}) are
 * the ones C2 (JDK 17) vectorises; the strided form is the general broadcasting fallback.
 */
final class FloatLoops {
    private FloatLoops() {
    }

    /** {@code o[i] = op(a[i])} for {@code i} in {@code [s, e)}. */
    static void unary(UnaryOp op, float[] a, float[] o, int s, int e) {
        switch (op) {
            case NEG -> {
                for (int i = s; i < e; i++) {
                    o[i] = -a[i];
                }
            }
            case EXP -> {
                for (int i = s; i < e; i++) {
                    o[i] = (float) Math.exp(a[i]);
                }
            }
            case LOG -> {
                for (int i = s; i < e; i++) {
                    o[i] = (float) Math.log(a[i]);
                }
            }
            case LOG1P -> {
                for (int i = s; i < e; i++) {
                    o[i] = (float) Math.log1p(a[i]);
                }
            }
            case EXPM1 -> {
                for (int i = s; i < e; i++) {
                    o[i] = (float) Math.expm1(a[i]);
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
            case TANH -> {
                for (int i = s; i < e; i++) {
                    o[i] = (float) Math.tanh(a[i]);
                }
            }
            case SIGMOID -> {
                for (int i = s; i < e; i++) {
                    o[i] = (float) ScalarMath.sigmoid(a[i]);
                }
            }
            case RELU -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.max(a[i], 0f);
                }
            }
            case SOFTPLUS -> {
                for (int i = s; i < e; i++) {
                    o[i] = (float) ScalarMath.softplus(a[i]);
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
            case POW -> {
                for (int i = s; i < e; i++) {
                    o[i] = (float) Math.pow(a[i], b[i]);
                }
            }
            case GT -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] > b[i] ? 1f : 0f;
                }
            }
            case GE -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] >= b[i] ? 1f : 0f;
                }
            }
            case LT -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] < b[i] ? 1f : 0f;
                }
            }
            case LE -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] <= b[i] ? 1f : 0f;
                }
            }
            case EQ -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] == b[i] ? 1f : 0f;
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
            case POW -> {
                for (int i = s; i < e; i++) {
                    o[i] = (float) Math.pow(a[i], y);
                }
            }
            case GT -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] > y ? 1f : 0f;
                }
            }
            case GE -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] >= y ? 1f : 0f;
                }
            }
            case LT -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] < y ? 1f : 0f;
                }
            }
            case LE -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] <= y ? 1f : 0f;
                }
            }
            case EQ -> {
                for (int i = s; i < e; i++) {
                    o[i] = a[i] == y ? 1f : 0f;
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
            case POW -> {
                for (int i = s; i < e; i++) {
                    o[i] = (float) Math.pow(x, b[i]);
                }
            }
            case GT -> {
                for (int i = s; i < e; i++) {
                    o[i] = x > b[i] ? 1f : 0f;
                }
            }
            case GE -> {
                for (int i = s; i < e; i++) {
                    o[i] = x >= b[i] ? 1f : 0f;
                }
            }
            case LT -> {
                for (int i = s; i < e; i++) {
                    o[i] = x < b[i] ? 1f : 0f;
                }
            }
            case LE -> {
                for (int i = s; i < e; i++) {
                    o[i] = x <= b[i] ? 1f : 0f;
                }
            }
            case EQ -> {
                for (int i = s; i < e; i++) {
                    o[i] = x == b[i] ? 1f : 0f;
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
            case POW -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = (float) Math.pow(a[ao + i * as], b[bo + i * bs]);
                }
            }
            case GT -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i * as] > b[bo + i * bs] ? 1f : 0f;
                }
            }
            case GE -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i * as] >= b[bo + i * bs] ? 1f : 0f;
                }
            }
            case LT -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i * as] < b[bo + i * bs] ? 1f : 0f;
                }
            }
            case LE -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i * as] <= b[bo + i * bs] ? 1f : 0f;
                }
            }
            case EQ -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i * as] == b[bo + i * bs] ? 1f : 0f;
                }
            }
            default -> throw new IllegalArgumentException("unknown binary op " + op);
        }
    }

    /** {@code o[i] = c[i] != 0 ? a[i] : b[i]} for {@code i} in {@code [s, e)}. */
    static void where(float[] c, float[] a, float[] b, float[] o, int s, int e) {
        for (int i = s; i < e; i++) {
            o[i] = c[i] != 0f ? a[i] : b[i];
        }
    }

    /** The strided form of {@link #where}: element {@code i} of a run of {@code n}. */
    static void whereStrided(float[] c, int co, int cs, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        for (int i = 0; i < n; i++) {
            o[oo + i] = c[co + i * cs] != 0f ? a[ao + i * as] : b[bo + i * bs];
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
