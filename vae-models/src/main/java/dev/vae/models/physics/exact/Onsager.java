package dev.vae.models.physics.exact;

/**
 * Onsager's exact results for the 2-D Ising model on the infinite square lattice in zero field,
 * with {@code K = beta J}:
 * <pre>
 * -beta f = ln(2 cosh 2K) + (1 / 2 pi) ∫_0^pi ln[(1 + sqrt(1 - kappa^2 sin^2 t)) / 2] dt,
 * u = -J coth 2K [1 + (2 / pi)(2 tanh^2 2K - 1) K1(kappa)],    kappa = 2 sinh 2K / cosh^2 2K,
 * </pre>
 * where {@code K1} is the complete elliptic integral of the first kind (computed with the
 * arithmetic-geometric mean), and the spontaneous magnetisation
 * {@code m = (1 - sinh^-4 2K)^{1/8}} below the critical temperature.
 */
public final class Onsager {
    private Onsager() {
    }

    /**
     * {@code ln Z / N} of the infinite lattice, i.e. {@code -beta f}.
     *
     * @param k {@code beta J >= 0}
     * @return the log partition function per site
     */
    public static double logZPerSite(double k) {
        if (!(k >= 0) || !Double.isFinite(k)) {
            throw new IllegalArgumentException("Onsager's solution needs a finite K = beta J >= 0, got " + k);
        }
        double kappa = 2 * Math.sinh(2 * k) / (Math.cosh(2 * k) * Math.cosh(2 * k));
        double k2 = kappa * kappa;
        // the integrand is symmetric about pi/2 and smooth on [0, pi/2]
        double half = Quadrature.integrate(t -> {
            double sn = Math.sin(t);
            return Math.log(0.5 * (1 + Math.sqrt(Math.max(0, 1 - k2 * sn * sn))));
        }, 0, Math.PI / 2, 1e-14);
        return logTwoCosh(2 * k) + half / Math.PI;
    }

    private static double logTwoCosh(double y) {
        double a = Math.abs(y);
        return a + Math.log1p(Math.exp(-2 * a));
    }

    /**
     * The free energy per site {@code f = -ln Z / (beta N)} of the infinite lattice.
     *
     * @param j    coupling, {@code > 0}
     * @param beta inverse temperature, {@code > 0}
     * @return {@code f}
     */
    public static double freeEnergyPerSite(double j, double beta) {
        return -logZPerSite(beta * j) / beta;
    }

    /**
     * The internal energy per site of the infinite lattice.
     *
     * @param j    coupling, {@code > 0}
     * @param beta inverse temperature, {@code > 0}
     * @return {@code u}
     */
    public static double energyPerSite(double j, double beta) {
        double k = beta * j;
        double s = Math.sinh(2 * k);
        double c = Math.cosh(2 * k);
        // 2 tanh^2 2K - 1 = (s^2 - 1) / c^2 and 1 - kappa = (s - 1)^2 / c^2, both exact near K_c
        double factor = (s * s - 1) / (c * c);
        double oneMinusKappa = (s - 1) * (s - 1) / (c * c);
        double kprime = Math.sqrt(oneMinusKappa * (2 - oneMinusKappa));
        double ell = factor == 0 ? 0 : factor * Math.PI / (2 * agm(1, kprime));
        return -j * c / s * (1 + 2 / Math.PI * ell);
    }

    /**
     * The spontaneous magnetisation per site (zero at and above the critical temperature).
     *
     * @param j    coupling, {@code > 0}
     * @param beta inverse temperature
     * @return {@code m}
     */
    public static double magnetisation(double j, double beta) {
        double k = beta * j;
        if (k <= IsingExact.K_CRITICAL) {
            return 0;
        }
        double s = Math.sinh(2 * k);
        return Math.pow(1 - Math.pow(s, -4), 0.125);
    }

    /**
     * The complete elliptic integral of the first kind {@code K(k) = ∫_0^{pi/2} dt / sqrt(1 - k^2 sin^2 t)}
     * by the arithmetic-geometric mean.
     *
     * @param modulus {@code 0 <= k < 1}
     * @return {@code K(k)}
     */
    public static double ellipticK(double modulus) {
        if (!(modulus >= 0) || modulus >= 1) {
            if (modulus == 1) {
                return Double.POSITIVE_INFINITY;
            }
            throw new IllegalArgumentException("elliptic modulus must be in [0, 1), got " + modulus);
        }
        return Math.PI / (2 * agm(1, Math.sqrt((1 - modulus) * (1 + modulus))));
    }

    private static double agm(double a, double b) {
        for (int i = 0; i < 60 && Math.abs(a - b) > 1e-16 * a; i++) {
            double an = 0.5 * (a + b);
            b = Math.sqrt(a * b);
            a = an;
        }
        return a;
    }
}
