package dev.vae.models.physics.exact;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Numerical quadrature used for reference values: adaptive Gauss–Legendre in one dimension and
 * composite (tensor-product) Gauss–Legendre in two, with helpers that integrate Boltzmann factors
 * {@code exp(-beta U)} over the whole line or plane in log space.
 */
public final class Quadrature {
    private static final int ORDER = 10;
    private static final double[] NODES = new double[ORDER];
    private static final double[] WEIGHTS = new double[ORDER];

    static {
        gaussLegendre(ORDER, NODES, WEIGHTS);
    }

    /** The exponent below which a Boltzmann factor (relative to its maximum) is treated as negligible: e^-46 ~ 1e-20. */
    static final double TAIL = 46.0;

    private Quadrature() {
    }

    /**
     * Fills Gauss–Legendre nodes and weights on {@code [-1, 1]} (Newton iteration on the Legendre
     * polynomial from Chebyshev starting points).
     *
     * @param n       number of nodes, {@code >= 1}
     * @param nodes   output, length {@code n}
     * @param weights output, length {@code n}
     */
    public static void gaussLegendre(int n, double[] nodes, double[] weights) {
        for (int i = 0; i < n; i++) {
            double x = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0;
            for (int iter = 0; iter < 100; iter++) {
                double p0 = 1;
                double p1 = x;
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                dp = n * (x * p1 - p0) / (x * x - 1);
                double dx = p1 / dp;
                x -= dx;
                if (Math.abs(dx) < 1e-16) {
                    break;
                }
            }
            double p0 = 1;
            double p1 = x;
            for (int k = 2; k <= n; k++) {
                double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            dp = n * (x * p1 - p0) / (x * x - 1);
            nodes[i] = x;
            weights[i] = 2 / ((1 - x * x) * dp * dp);
        }
    }

    private static double panel(DoubleUnaryOperator f, double a, double b) {
        double m = 0.5 * (a + b);
        double h = 0.5 * (b - a);
        double s = 0;
        for (int i = 0; i < ORDER; i++) {
            s += WEIGHTS[i] * f.applyAsDouble(m + h * NODES[i]);
        }
        return s * h;
    }

    /**
     * Adaptive Gauss–Legendre quadrature: a panel is split until its 10-point value agrees with the
     * sum over its halves to {@code tol} (relative to the running magnitude) or the depth limit 50.
     *
     * @param f   a finite integrand on {@code [a, b]}
     * @param a   lower limit
     * @param b   upper limit
     * @param tol relative tolerance, e.g. 1e-13
     * @return the integral
     */
    public static double integrate(DoubleUnaryOperator f, double a, double b, double tol) {
        if (!(b > a)) {
            if (a == b) {
                return 0;
            }
            return -integrate(f, b, a, tol);
        }
        // start from 16 panels so narrow features are seen, then refine adaptively
        int start = 16;
        double w = (b - a) / start;
        double[] parts = new double[start];
        double scale = 0;
        for (int i = 0; i < start; i++) {
            parts[i] = panel(f, a + i * w, a + (i + 1) * w);
            scale += Math.abs(parts[i]);
        }
        double total = 0;
        for (int i = 0; i < start; i++) {
            total += refine(f, a + i * w, a + (i + 1) * w, parts[i], tol, Math.max(scale, Double.MIN_NORMAL), 0);
        }
        return total;
    }

    private static double refine(DoubleUnaryOperator f, double a, double b, double whole, double tol, double scale, int depth) {
        double m = 0.5 * (a + b);
        double left = panel(f, a, m);
        double right = panel(f, m, b);
        double sum = left + right;
        if (depth >= 50 || Math.abs(sum - whole) <= tol * scale) {
            return sum;
        }
        return refine(f, a, m, left, tol, scale, depth + 1) + refine(f, m, b, right, tol, scale, depth + 1);
    }

    /**
     * {@code ln ∫ exp(-beta U(x)) dx} over the real line for a potential that grows to infinity on
     * both sides. The mass is located on a grid expanding from {@code [lo, hi]} until the Boltzmann
     * factor at both ends is below {@code e^-46} of its maximum; then adaptive quadrature at
     * relative tolerance 1e-14 integrates {@code exp(-beta (U - U_min))}.
     *
     * @param u    the potential
     * @param beta inverse temperature, {@code > 0}
     * @param lo   a guess of the left end of the relevant region
     * @param hi   a guess of the right end ({@code > lo})
     * @return the log-integral
     * @throws IllegalArgumentException if the integral does not converge within {@code |x| < 1e6}
     */
    public static double logBoltzmannIntegral(DoubleUnaryOperator u, double beta, double lo, double hi) {
        double[] range = range(u, beta, lo, hi);
        double umin = range[2];
        double val = integrate(x -> Math.exp(-beta * (u.applyAsDouble(x) - umin)), range[0], range[1], 1e-14);
        return Math.log(val) - beta * umin;
    }

    /**
     * The Boltzmann average {@code <g> = ∫ g e^{-beta U} / ∫ e^{-beta U}} over the real line (see
     * {@link #logBoltzmannIntegral}).
     *
     * @param u    the potential
     * @param g    the observable (finite and of at most polynomial growth)
     * @param beta inverse temperature
     * @param lo   left end guess
     * @param hi   right end guess
     * @return the average
     */
    public static double boltzmannAverage(DoubleUnaryOperator u, DoubleUnaryOperator g, double beta, double lo, double hi) {
        double[] range = range(u, beta, lo, hi);
        double umin = range[2];
        DoubleUnaryOperator w = x -> Math.exp(-beta * (u.applyAsDouble(x) - umin));
        double z = integrate(w, range[0], range[1], 1e-14);
        double num = integrate(x -> g.applyAsDouble(x) * w.applyAsDouble(x), range[0], range[1], 1e-14);
        return num / z;
    }

    /**
     * The Boltzmann probability {@code P(x < split)} over the real line, integrating each side of
     * {@code split} separately (so the step of the indicator never falls inside a panel).
     *
     * @param u     the potential
     * @param beta  inverse temperature
     * @param lo    left end guess
     * @param hi    right end guess
     * @param split the point dividing the line
     * @return the probability of {@code x < split}
     */
    public static double boltzmannMassBelow(DoubleUnaryOperator u, double beta, double lo, double hi, double split) {
        double[] range = range(u, beta, lo, hi);
        double umin = range[2];
        DoubleUnaryOperator w = x -> Math.exp(-beta * (u.applyAsDouble(x) - umin));
        double s = Math.min(Math.max(split, range[0]), range[1]);
        double below = integrate(w, range[0], s, 1e-14);
        double above = integrate(w, s, range[1], 1e-14);
        return below / (below + above);
    }

    /** @return {lo, hi, umin}: an interval outside which exp(-beta (U - Umin)) < e^-46 */
    private static double[] range(DoubleUnaryOperator u, double beta, double lo, double hi) {
        if (!(beta > 0) || !(hi > lo)) {
            throw new IllegalArgumentException("need beta > 0 and hi > lo, got beta=" + beta + ", [" + lo + ", " + hi + "]");
        }
        for (int attempt = 0; attempt < 40; attempt++) {
            int n = 4000;
            double h = (hi - lo) / n;
            double umin = Double.POSITIVE_INFINITY;
            for (int i = 0; i <= n; i++) {
                umin = Math.min(umin, u.applyAsDouble(lo + i * h));
            }
            double left = beta * (u.applyAsDouble(lo) - umin);
            double right = beta * (u.applyAsDouble(hi) - umin);
            if (left > TAIL && right > TAIL) {
                return new double[] {lo, hi, umin};
            }
            double width = hi - lo;
            if (left <= TAIL) {
                lo -= width;
            }
            if (right <= TAIL) {
                hi += width;
            }
            if (Math.max(Math.abs(lo), Math.abs(hi)) > 1e6) {
                break;
            }
        }
        throw new IllegalArgumentException("the Boltzmann factor does not decay within |x| < 1e6: is the potential confining?");
    }

    /**
     * Composite tensor-product Gauss–Legendre quadrature on a rectangle.
     *
     * @param f      the integrand
     * @param x0     left
     * @param x1     right
     * @param y0     bottom
     * @param y1     top
     * @param panels panels per side (each with 10 × 10 nodes)
     * @return the integral
     */
    public static double integrate2d(DoubleBinaryOperator f, double x0, double x1, double y0, double y1, int panels) {
        double hx = (x1 - x0) / panels;
        double hy = (y1 - y0) / panels;
        int m = panels * ORDER;
        double[] xs = new double[m];
        double[] wx = new double[m];
        double[] ys = new double[m];
        double[] wy = new double[m];
        for (int p = 0; p < panels; p++) {
            for (int i = 0; i < ORDER; i++) {
                xs[p * ORDER + i] = x0 + (p + 0.5) * hx + 0.5 * hx * NODES[i];
                wx[p * ORDER + i] = 0.5 * hx * WEIGHTS[i];
                ys[p * ORDER + i] = y0 + (p + 0.5) * hy + 0.5 * hy * NODES[i];
                wy[p * ORDER + i] = 0.5 * hy * WEIGHTS[i];
            }
        }
        double total = 0;
        for (int i = 0; i < m; i++) {
            double row = 0;
            for (int j = 0; j < m; j++) {
                row += wy[j] * f.applyAsDouble(xs[i], ys[j]);
            }
            total += wx[i] * row;
        }
        return total;
    }

    /**
     * Boltzmann integrals of a confining 2-D potential: the box is grown from the initial guess
     * until the Boltzmann factor on its boundary is below {@code e^-46} of the maximum found, then
     * composite Gauss–Legendre with {@code panels} panels per side integrates
     * {@code exp(-beta (U - U_min))} and {@code g exp(-beta (U - U_min))} for each {@code g}.
     *
     * @param u      the potential {@code U(x, y)}
     * @param beta   inverse temperature, {@code > 0}
     * @param box    initial {x0, x1, y0, y1}
     * @param panels panels per side
     * @param gs     observables to average (may be empty)
     * @return {@code {ln Z, <g_0>, <g_1>, ...}}
     * @throws IllegalArgumentException if the box grows beyond {@code 1e4}
     */
    public static double[] boltzmann2d(DoubleBinaryOperator u, double beta, double[] box, int panels, DoubleBinaryOperator... gs) {
        double x0 = box[0];
        double x1 = box[1];
        double y0 = box[2];
        double y1 = box[3];
        double umin = Double.POSITIVE_INFINITY;
        for (int attempt = 0; ; attempt++) {
            int n = 400;
            int coarse = 150;
            umin = Double.POSITIVE_INFINITY;
            for (int i = 0; i <= coarse; i++) {
                for (int j = 0; j <= coarse; j++) {
                    umin = Math.min(umin, u.applyAsDouble(x0 + (x1 - x0) * i / coarse, y0 + (y1 - y0) * j / coarse));
                }
            }
            double left = Double.POSITIVE_INFINITY;
            double right = Double.POSITIVE_INFINITY;
            double bottom = Double.POSITIVE_INFINITY;
            double top = Double.POSITIVE_INFINITY;
            for (int i = 0; i <= n; i++) {
                double t = (double) i / n;
                left = Math.min(left, beta * (u.applyAsDouble(x0, y0 + (y1 - y0) * t) - umin));
                right = Math.min(right, beta * (u.applyAsDouble(x1, y0 + (y1 - y0) * t) - umin));
                bottom = Math.min(bottom, beta * (u.applyAsDouble(x0 + (x1 - x0) * t, y0) - umin));
                top = Math.min(top, beta * (u.applyAsDouble(x0 + (x1 - x0) * t, y1) - umin));
            }
            if (left > TAIL && right > TAIL && bottom > TAIL && top > TAIL) {
                break;
            }
            double wx = (x1 - x0) * 0.25;
            double wy = (y1 - y0) * 0.25;
            if (left <= TAIL) {
                x0 -= wx;
            }
            if (right <= TAIL) {
                x1 += wx;
            }
            if (bottom <= TAIL) {
                y0 -= wy;
            }
            if (top <= TAIL) {
                y1 += wy;
            }
            if (attempt > 200 || Math.max(Math.max(Math.abs(x0), Math.abs(x1)), Math.max(Math.abs(y0), Math.abs(y1))) > 1e4) {
                throw new IllegalArgumentException("the Boltzmann factor does not decay within a box of size 1e4: is the potential confining?");
            }
        }
        // nodes of the composite rule; U is evaluated once per node and reused for every average
        double hx = (x1 - x0) / panels;
        double hy = (y1 - y0) / panels;
        int m = panels * ORDER;
        double[] xs = new double[m];
        double[] wx = new double[m];
        double[] ys = new double[m];
        double[] wy = new double[m];
        for (int p = 0; p < panels; p++) {
            for (int i = 0; i < ORDER; i++) {
                xs[p * ORDER + i] = x0 + (p + 0.5) * hx + 0.5 * hx * NODES[i];
                wx[p * ORDER + i] = 0.5 * hx * WEIGHTS[i];
                ys[p * ORDER + i] = y0 + (p + 0.5) * hy + 0.5 * hy * NODES[i];
                wy[p * ORDER + i] = 0.5 * hy * WEIGHTS[i];
            }
        }
        double z = 0;
        double[] sums = new double[gs.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double e = beta * (u.applyAsDouble(xs[i], ys[j]) - umin);
                if (e > 745) {
                    continue;
                }
                double w = wx[i] * wy[j] * Math.exp(-e);
                z += w;
                for (int k = 0; k < gs.length; k++) {
                    sums[k] += w * gs[k].applyAsDouble(xs[i], ys[j]);
                }
            }
        }
        double[] out = new double[1 + gs.length];
        out[0] = Math.log(z) - beta * umin;
        for (int k = 0; k < gs.length; k++) {
            out[1 + k] = sums[k] / z;
        }
        return out;
    }
}
