package dev.vae.api.spi;

/**
 * Element-wise binary kernels with NumPy broadcasting. Both operands have the same dtype, and so
 * does the result; comparisons give 1 for true and 0 for false in that dtype.
 */
public enum BinaryOp {
    /** a + b */
    ADD,
    /** a - b */
    SUB,
    /** a * b */
    MUL,
    /** a / b */
    DIV,
    /** max(a, b); NaN if either is NaN */
    MAX,
    /** min(a, b); NaN if either is NaN */
    MIN,
    /**
     * a^b with the special cases of {@link Math#pow} (so {@code pow(1, ±inf)} and
     * {@code pow(-1, ±inf)} are NaN, unlike C's {@code pow}).
     */
    POW,
    /** a &gt; b */
    GT,
    /** a &gt;= b */
    GE,
    /** a &lt; b */
    LT,
    /** a &lt;= b */
    LE,
    /** a == b */
    EQ;

    /** @return true for the comparison ops, whose result is 0 or 1 and has no gradient */
    public boolean isComparison() {
        return ordinal() >= GT.ordinal();
    }
}
