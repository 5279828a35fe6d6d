package dev.vae.models.physics.exact;

/**
 * Exact results for the 2-D Ising model {@code U = -J sum_<ij> s_i s_j} on an {@code L x L}
 * periodic square lattice (each of the {@code 2 L^2} nearest-neighbour bonds counted once; for
 * {@code L = 2} the two bonds between a pair of neighbours both count) in zero field.
 *
 * <p>The partition function is Kaufman's (Phys. Rev. 76, 1232, 1949), for {@code K = beta J}:
 * <pre>
 * Z = 1/2 (2 sinh 2K)^{L^2/2} (Z1 + Z2 + Z3 + Z4),
 * Z1 = prod_{r=0}^{L-1} 2 cosh(L g_{2r+1} / 2),  Z2 = prod 2 sinh(L g_{2r+1} / 2),
 * Z3 = prod_{r=0}^{L-1} 2 cosh(L g_{2r} / 2),    Z4 = prod 2 sinh(L g_{2r} / 2),
 * cosh g_k = cosh 2K coth 2K - cos(pi k / L)  (g_k > 0 for k >= 1),
 * g_0 = 2K + ln tanh K.
 * </pre>
 * {@code g_0} is negative above the critical temperature ({@code sinh 2K < 1}), so the factor
 * {@code 2 sinh(L g_0 / 2)}, and with it {@code Z4}, is negative there (and zero exactly at the
 * critical coupling). This implementation keeps every product as a sign and a logarithm, so it
 * neither overflows nor loses the sign for any {@code L} and any {@code K}. {@code g_k} is computed
 * as {@code arccosh(1 + e)} with {@code e = (s - 1)^2 / s + 2 sin^2(pi k / 2L)}, {@code s = sinh 2K},
 * which keeps full relative precision near the critical point, where {@code g_0 -> 0}.
 *
 * <p>The mean energy uses the analytic derivative of the same formula; the heat capacity a
 * central difference of that derivative. Antiferromagnetic coupling ({@code J < 0}) is mapped to
 * {@code J > 0} by flipping one sublattice, which is exact for even {@code L} only.
 */
public final class IsingExact {
    /** The critical coupling {@code K_c = ln(1 + sqrt 2) / 2} of the infinite lattice. */
    public static final double K_CRITICAL = 0.5 * Math.log(1 + Math.sqrt(2));

    private IsingExact() {
    }

    private static void check(int l, double k) {
        if (l < 2) {
            throw new IllegalArgumentException("Kaufman's formula needs L >= 2, got L=" + l);
        }
        if (!Double.isFinite(k)) {
            throw new IllegalArgumentException("coupling K = beta J must be finite, got " + k);
        }
        if (k < 0 && l % 2 != 0) {
            throw new IllegalArgumentException("antiferromagnetic coupling (K=" + k + ") is exact only for even L, got L=" + l);
        }
    }

    /** log(2 cosh y), stable for any y. */
    private static double logTwoCosh(double y) {
        double a = Math.abs(y);
        return a + Math.log1p(Math.exp(-2 * a));
    }

    /** log|2 sinh y| for y != 0 (-infinity for y == 0). */
    private static double logTwoSinhAbs(double y) {
        double a = Math.abs(y);
        if (a == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return a + Math.log1p(-Math.exp(-2 * a));
    }

    /** @return g_k for k = 0..2L-1 (g_0 signed) */
    private static double[] gammas(int l, double k) {
        double s = Math.sinh(2 * k);
        double base = (s - 1) * (s - 1) / s;
        double[] g = new double[2 * l];
        for (int j = 0; j < 2 * l; j++) {
            double sn = Math.sin(Math.PI * j / (2.0 * l));
            double e = base + 2 * sn * sn;
            g[j] = Math.log1p(e + Math.sqrt(e * (e + 2)));
        }
        if (s < 1) {
            g[0] = -g[0];
        }
        return g;
    }

    /** @return dg_k/dK for k = 0..2L-1 */
    private static double[] gammaDerivatives(int l, double k, double[] g) {
        double s = Math.sinh(2 * k);
        double c = Math.cosh(2 * k);
        double dx = 2 * c * (1 - 1 / (s * s));
        double[] d = new double[2 * l];
        d[0] = 2 + 2 / s;
        for (int j = 1; j < 2 * l; j++) {
            d[j] = dx / Math.sinh(g[j]);
        }
        return d;
    }

    /**
     * The four terms of Kaufman's sum as (sign, log|Z_i|) pairs.
     */
    private static double[][] terms(int l, double[] g) {
        double[][] t = new double[4][2];
        double l1 = 0;
        double l2 = 0;
        double l3 = 0;
        double l4 = 0;
        int s4 = 1;
        for (int r = 0; r < l; r++) {
            double odd = l * g[2 * r + 1] / 2;
            double even = l * g[2 * r] / 2;
            l1 += logTwoCosh(odd);
            l2 += logTwoSinhAbs(odd);
            l3 += logTwoCosh(even);
            l4 += logTwoSinhAbs(even);
            if (even < 0) {
                s4 = -s4;
            }
        }
        t[0] = new double[] {1, l1};
        t[1] = new double[] {1, l2};
        t[2] = new double[] {1, l3};
        t[3] = new double[] {l4 == Double.NEGATIVE_INFINITY ? 0 : s4, l4};
        return t;
    }

    private static double logSignedSum(double[][] t) {
        double max = Double.NEGATIVE_INFINITY;
        for (double[] x : t) {
            if (x[0] != 0) {
                max = Math.max(max, x[1]);
            }
        }
        double sum = 0;
        for (double[] x : t) {
            if (x[0] != 0) {
                sum += x[0] * Math.exp(x[1] - max);
            }
        }
        return max + Math.log(sum);
    }

    /**
     * {@code ln Z} for coupling {@code K = beta J} on an {@code L x L} torus in zero field.
     *
     * @param l lattice side, {@code >= 2}
     * @param k {@code beta J}; negative values need even {@code L}
     * @return {@code ln Z}
     */
    public static double logZ(int l, double k) {
        check(l, k);
        int n = l * l;
        if (k < 0) {
            k = -k;
        }
        if (k == 0) {
            return n * Math.log(2);
        }
        double[] g = gammas(l, k);
        double logPrefactor = -Math.log(2) + 0.5 * n * logTwoSinhAbs(2 * k);
        return logPrefactor + logSignedSum(terms(l, g));
    }

    /**
     * {@code d ln Z / dK} from the analytic derivative of Kaufman's formula.
     *
     * @param l lattice side, {@code >= 2}
     * @param k {@code beta J}; negative values need even {@code L}
     * @return the derivative (equal to {@code -<U>/J} at {@code beta = 1}, i.e. the mean number of
     *         satisfied minus unsatisfied bonds)
     */
    public static double dLogZdK(int l, double k) {
        check(l, k);
        if (k < 0) {
            return -dLogZdK(l, -k);
        }
        int n = l * l;
        if (k == 0) {
            return 0;
        }
        double[] g = gammas(l, k);
        double[] dg = gammaDerivatives(l, k, g);
        double[][] t = terms(l, g);
        double logTotal = logSignedSum(t);
        double acc = 0;
        for (int i = 0; i < 4; i++) {
            boolean odd = i < 2;
            boolean sinh = i % 2 == 1;
            double logZi = t[i][1];
            double sign = t[i][0];
            for (int r = 0; r < l; r++) {
                int j = odd ? 2 * r + 1 : 2 * r;
                double y = l * g[j] / 2;
                double dy = l * dg[j] / 2;
                if (!sinh) {
                    acc += sign * Math.exp(logZi - logTotal) * Math.tanh(y) * dy;
                } else if (y != 0) {
                    // Z_i * coth(y) * dy, in log space: |Z_i| / |2 sinh y| * 2 cosh y
                    double logTerm = logZi - logTwoSinhAbs(y) + logTwoCosh(y) - logTotal;
                    acc += sign * Math.signum(y) * Math.exp(logTerm) * dy;
                } else {
                    // exactly at g_0 = 0: only this factor's derivative survives
                    double rest = logZiWithout(l, g, j);
                    acc += productSignWithout(l, g, j) * Math.exp(rest - logTotal) * 2 * dy;
                }
            }
        }
        return n / Math.tanh(2 * k) + acc;
    }

    private static double logZiWithout(int l, double[] g, int skip) {
        double s = 0;
        for (int r = 0; r < l; r++) {
            if (2 * r != skip) {
                s += logTwoSinhAbs(l * g[2 * r] / 2);
            }
        }
        return s;
    }

    private static int productSignWithout(int l, double[] g, int skip) {
        int s = 1;
        for (int r = 0; r < l; r++) {
            if (2 * r != skip && g[2 * r] < 0) {
                s = -s;
            }
        }
        return s;
    }

    /**
     * {@code ln Z} of the {@code L x L} torus with coupling {@code j} at inverse temperature {@code beta}.
     *
     * @param l    lattice side, {@code >= 2}
     * @param j    coupling
     * @param beta inverse temperature, {@code >= 0}
     * @return {@code ln Z}
     */
    public static double logZ(int l, double j, double beta) {
        return logZ(l, beta * j);
    }

    /**
     * The exact mean energy per site {@code <U> / L^2 = -(J / L^2) d ln Z / dK}.
     *
     * @param l    lattice side, {@code >= 2}
     * @param j    coupling
     * @param beta inverse temperature
     * @return the mean energy per site
     */
    public static double energyPerSite(int l, double j, double beta) {
        return -j * dLogZdK(l, beta * j) / ((double) l * l);
    }

    /**
     * The exact heat capacity per site {@code beta^2 Var(U) / L^2 = K^2 (d^2 ln Z / dK^2) / L^2},
     * by a fourth-order central difference of the analytic first derivative (step {@code 1e-4 K},
     * error below 1e-9 relative for {@code L <= 256}).
     *
     * @param l    lattice side, {@code >= 2}
     * @param j    coupling
     * @param beta inverse temperature, {@code > 0}
     * @return the heat capacity per site
     */
    public static double heatCapacityPerSite(int l, double j, double beta) {
        double k = beta * j;
        double h = 1e-4 * Math.max(Math.abs(k), 1e-3);
        double d2 = (-dLogZdK(l, k + 2 * h) + 8 * dLogZdK(l, k + h) - 8 * dLogZdK(l, k - h) + dLogZdK(l, k - 2 * h))
                / (12 * h);
        return k * k * d2 / ((double) l * l);
    }

    /** Enumeration results: ln Z and Boltzmann averages. */
    public record Enumeration(double logZ, double energyPerSite, double heatCapacityPerSite,
                              double absMagnetisationPerSite) {
    }

    /**
     * Brute-force enumeration of all {@code 2^(L^2)} configurations (for checking Kaufman's
     * formula and for small-lattice references in a field), with sums in log space.
     *
     * @param l    lattice side, {@code 2 <= L <= 4} (65,536 configurations at {@code L = 4})
     * @param j    coupling
     * @param h    field
     * @param beta inverse temperature
     * @return ln Z, energy per site, heat capacity per site and mean |magnetisation| per site
     */
    public static Enumeration enumerate(int l, double j, double h, double beta) {
        if (l < 2 || l > 4) {
            throw new IllegalArgumentException("enumeration supports 2 <= L <= 4, got " + l);
        }
        int n = l * l;
        long count = 1L << n;
        double[] logw = new double[(int) count];
        double[] energy = new double[(int) count];
        double[] absm = new double[(int) count];
        int[] s = new int[n];
        double max = Double.NEGATIVE_INFINITY;
        for (long c = 0; c < count; c++) {
            int m = 0;
            for (int i = 0; i < n; i++) {
                s[i] = ((c >>> i) & 1) == 1 ? 1 : -1;
                m += s[i];
            }
            double bonds = 0;
            for (int r = 0; r < l; r++) {
                for (int q = 0; q < l; q++) {
                    int si = s[r * l + q];
                    bonds += si * s[r * l + (q + 1) % l] + si * s[((r + 1) % l) * l + q];
                }
            }
            double e = -j * bonds - h * m;
            energy[(int) c] = e;
            absm[(int) c] = Math.abs(m) / (double) n;
            logw[(int) c] = -beta * e;
            max = Math.max(max, logw[(int) c]);
        }
        double z = 0;
        double e1 = 0;
        double e2 = 0;
        double am = 0;
        for (int c = 0; c < count; c++) {
            double w = Math.exp(logw[c] - max);
            z += w;
            e1 += w * energy[c];
            am += w * absm[c];
        }
        e1 /= z;
        am /= z;
        for (int c = 0; c < count; c++) {
            double w = Math.exp(logw[c] - max);
            double d = energy[c] - e1;
            e2 += w * d * d;
        }
        e2 /= z;
        return new Enumeration(max + Math.log(z), e1 / n, beta * beta * e2 / n, am);
    }
}
