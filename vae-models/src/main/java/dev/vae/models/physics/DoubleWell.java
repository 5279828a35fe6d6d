package dev.vae.models.physics;

import dev.vae.api.Tensor;
import dev.vae.models.physics.exact.Quadrature;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.DoubleUnaryOperator;

/**
 * The double well {@code U(x) = a x0 + b x0^2 + c x0^4 + (1/2) sum_{i>0} x_i^2} in {@code D}
 * dimensions (default {@code a = 0, b = -4, c = 1}: wells at {@code x0 = ±sqrt 2} separated by a
 * barrier of height 4). The partition function factorises into a one-dimensional quadrature in
 * {@code x0} (adaptive Gauss–Legendre, about 1e-13 relative) and Gaussian integrals
 * {@code (2 pi / beta)^{(D-1)/2}}; the reference weight of the right well is
 * {@code P(x0 > 0)} by the same quadrature.
 */
public final class DoubleWell implements EnergyModel {
    private final int d;
    private final double a;
    private final double b;
    private final double c;
    private final List<Observable> observables;

    /**
     * @param d dimension, {@code >= 1}
     * @param a linear coefficient
     * @param b quadratic coefficient
     * @param c quartic coefficient, {@code > 0} (or {@code 0} with {@code b > 0})
     */
    public DoubleWell(int d, double a, double b, double c) {
        if (d < 1) {
            throw new IllegalArgumentException("double-well dimension must be >= 1, got " + d);
        }
        if (!(c > 0 || (c == 0 && b > 0)) || !Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c)) {
            throw new IllegalArgumentException("double well needs c > 0 (or c = 0 and b > 0) to be normalisable, got a="
                    + a + ", b=" + b + ", c=" + c);
        }
        this.d = d;
        this.a = a;
        this.b = b;
        this.c = c;
        this.observables = List.of(
                new Observable("U", "energy U(x)", this::energy),
                new Observable("x0", "the double-well coordinate x0", (x, o) -> x[o]),
                new Observable("right", "indicator of the right well, x0 > 0", (x, o) -> x[o] > 0 ? 1 : 0));
    }

    /** The default well {@code a = 0, b = -4, c = 1} in {@code d} dimensions. */
    public DoubleWell(int d) {
        this(d, 0, -4, 1);
    }

    /** @return the potential in {@code x0} alone */
    public double u0(double x0) {
        double x2 = x0 * x0;
        return a * x0 + b * x2 + c * x2 * x2;
    }

    @Override
    public double energy(double[] x, int o) {
        double s = 0;
        for (int i = 1; i < d; i++) {
            s += x[o + i] * x[o + i];
        }
        return u0(x[o]) + 0.5 * s;
    }

    @Override
    public Tensor energy(Tensor x) {
        EnergyModel.checkBatch(this, x);
        int n = x.dim(0);
        Tensor x0 = x.slice(1, 0, 1);
        Tensor x2 = x0.square();
        Tensor u = x2.mul(b).add(x2.square().mul(c));
        if (a != 0) {
            u = u.add(x0.mul(a));
        }
        u = u.reshape(n);
        if (d > 1) {
            u = u.add(x.slice(1, 1, d).square().sum(1).mul(0.5));
        }
        return u;
    }

    @Override
    public String name() {
        return "double-well";
    }

    @Override
    public String describe() {
        return "double well in " + d + "-D, U = " + a + "*x0 + " + b + "*x0^2 + " + c + "*x0^4 + |x_rest|^2/2";
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public int[] sampleShape() {
        return new int[] {d};
    }

    @Override
    public boolean isDiscrete() {
        return false;
    }

    @Override
    public int sites() {
        return 1;
    }

    private double[] bracket() {
        // the wells lie within |x0| <= 1 + sqrt(|b| / c) + |a| (or the Gaussian width when c = 0)
        double r = c > 0 ? 1 + Math.sqrt(Math.abs(b) / c) + Math.abs(a) : 1 + Math.abs(a) / b;
        return new double[] {-r, r};
    }

    @Override
    public OptionalDouble logZ(double beta) {
        checkBeta(beta);
        double[] r = bracket();
        double one = Quadrature.logBoltzmannIntegral(this::u0, beta, r[0], r[1]);
        return OptionalDouble.of(one + 0.5 * (d - 1) * Math.log(2 * Math.PI / beta));
    }

    @Override
    public String logZMethod(double beta) {
        return "quadrature (1-D adaptive Gauss-Legendre) x Gaussian";
    }

    private static void checkBeta(double beta) {
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be positive and finite, got " + beta);
        }
    }

    @Override
    public List<Observable> observables() {
        return observables;
    }

    @Override
    public Map<String, Double> exactExpectations(double beta) {
        checkBeta(beta);
        double[] r = bracket();
        DoubleUnaryOperator u = this::u0;
        double mean0 = Quadrature.boltzmannAverage(u, u, beta, r[0], r[1]);
        double var0 = Quadrature.boltzmannAverage(u, v -> Math.pow(u0(v) - mean0, 2), beta, r[0], r[1]);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("U", mean0 + 0.5 * (d - 1) / beta);
        out.put("x0", Quadrature.boltzmannAverage(u, v -> v, beta, r[0], r[1]));
        out.put("right", 1 - Quadrature.boltzmannMassBelow(u, beta, r[0], r[1], 0));
        out.put("c", beta * beta * var0 + 0.5 * (d - 1));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return describe();
    }
}
