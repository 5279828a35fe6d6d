package dev.vae.conformance;

import java.util.Locale;
import java.util.Objects;

/**
 * A tolerance with the numerical reason for it. An element passes when
 * <pre>|got - expected| &lt;= atol + rtol * |expected| + normRtol * max_j |expected_j|</pre>
 * where the last term scales with the largest finite expected value of the whole result (it
 * absorbs cancellation in sums and products, whose error is proportional to the size of the
 * terms rather than of the result). Infinite expected values must be matched exactly and NaN
 * must be matched by NaN.
 *
 * @param atol absolute part
 * @param rtol part relative to the expected element
 * @param normRtol part relative to the largest expected element of the result
 * @param reason why this much error is acceptable; printed with every failure
 */
public record Tol(double atol, double rtol, double normRtol, String reason) {
    /** float32 unit roundoff-sized relative step: 2^-23. */
    public static final double F32_ULP = 0x1p-23;
    /** float64 unit roundoff-sized relative step: 2^-52. */
    public static final double F64_ULP = 0x1p-52;

    public Tol {
        if (!(atol >= 0) || !(rtol >= 0) || !(normRtol >= 0)) {
            throw new IllegalArgumentException("tolerances must be non-negative");
        }
        Objects.requireNonNull(reason, "reason");
    }

    /** @return a tolerance of zero: results must be bit-identical (up to NaN payloads and the sign of zero) */
    public static Tol exact(String reason) {
        return new Tol(0, 0, 0, reason);
    }

    /** @return a tolerance with only absolute and element-relative parts */
    public static Tol of(double atol, double rtol, String reason) {
        return new Tol(atol, rtol, 0, reason);
    }

    /** @return the error allowed at an element with expected value {@code expected} */
    public double allowed(double expected, double norm) {
        return atol + rtol * Math.abs(expected) + normRtol * norm;
    }

    /** @return the same tolerance with another reason */
    public Tol because(String why) {
        return new Tol(atol, rtol, normRtol, why);
    }

    @Override
    public String toString() {
        if (atol == 0 && rtol == 0 && normRtol == 0) {
            return "exact";
        }
        StringBuilder sb = new StringBuilder();
        if (atol > 0) {
            sb.append(fmt(atol));
        }
        if (rtol > 0) {
            sb.append(sb.length() > 0 ? " + " : "").append(fmt(rtol)).append("*|expected|");
        }
        if (normRtol > 0) {
            sb.append(sb.length() > 0 ? " + " : "").append(fmt(normRtol)).append("*max|expected|");
        }
        return sb.toString();
    }

    static String fmt(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e5) {
            String s = String.format(Locale.ROOT, "%.6g", v);
            if (s.contains(".")) {
                s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            }
            return s;
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }
}
