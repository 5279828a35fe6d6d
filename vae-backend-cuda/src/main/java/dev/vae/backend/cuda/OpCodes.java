package dev.vae.backend.cuda;

import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.ReduceOp;
import dev.vae.api.spi.UnaryOp;

/**
 * The integer op codes the kernels switch on, mirroring the {@code #define U_*}, {@code B_*} and
 * {@code R_*} constants of {@code src/main/cuda/vae_kernels.cu} (a test checks that they agree).
 */
final class OpCodes {
    /** Most dimensions a strided kernel iterates over after coalescing; {@code MAX_DIMS} in the .cu. */
    static final int MAX_DIMS = 8;
    /** Operands of a strided kernel; {@code MAX_OPERANDS} in the .cu. */
    static final int MAX_OPERANDS = 3;

    private OpCodes() {
    }

    /** @return the kernel's code for {@code op} */
    static int unary(UnaryOp op) {
        return switch (op) {
            case NEG -> 0;
            case EXP -> 1;
            case LOG -> 2;
            case LOG1P -> 3;
            case EXPM1 -> 4;
            case SQRT -> 5;
            case ABS -> 6;
            case SIGN -> 7;
            case TANH -> 8;
            case SIGMOID -> 9;
            case RELU -> 10;
            case SOFTPLUS -> 11;
            case SQUARE -> 12;
            case RECIPROCAL -> 13;
        };
    }

    /** @return the kernel's code for {@code op} */
    static int binary(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
            case MAX -> 4;
            case MIN -> 5;
            case POW -> 6;
            case GT -> 7;
            case GE -> 8;
            case LT -> 9;
            case LE -> 10;
            case EQ -> 11;
        };
    }

    /** @return the kernel's code for {@code op} */
    static int reduce(ReduceOp op) {
        return switch (op) {
            case SUM -> 0;
            case MAX -> 1;
        };
    }
}
