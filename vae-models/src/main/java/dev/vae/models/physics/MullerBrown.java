package dev.vae.models.physics;

import dev.vae.api.Tensor;
import dev.vae.models.physics.exact.Quadrature;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Müller–Brown potential (Theor. Chim. Acta 53, 75, 1979) in two dimensions, optionally
 * scaled: {@code U(x, y) = s sum_{k=1}^4 A_k exp(a_k (x - x_k)^2 + b_k (x - x_k)(y - y_k) + c_k (y - y_k)^2)}
 * with the original parameters {@code A = (-200, -100, -170, 15)}, {@code a = (-1, -1, -6.5, 0.7)},
 * {@code b = (0, 0, 11, 0.6)}, {@code c = (-10, -10, -6.5, 0.7)}, {@code x_k = (1, 0, -0.5, -1)},
 * {@code y_k = (0, 0.5, 1.5, 1)}. Its three minima are at about (-0.558, 1.442), U = -146.7;
 * (0.623, 0.028), U = -108.2; and (-0.050, 0.467), U = -80.8. The fourth term grows without bound,
 * so the Boltzmann distribution is normalisable for every {@code beta > 0}. Reference values come
 * from composite Gauss–Legendre quadrature on a box grown until the Boltzmann factor on its edge
 * is negligible (100 x 100 panels of 10 x 10 nodes; about 1e-10 relative).
 */
public final class MullerBrown implements EnergyModel {
    private static final double[] A = {-200, -100, -170, 15};
    private static final double[] AA = {-1, -1, -6.5, 0.7};
    private static final double[] BB = {0, 0, 11, 0.6};
    private static final double[] CC = {-10, -10, -6.5, 0.7};
    private static final double[] X0 = {1, 0, -0.5, -1};
    private static final double[] Y0 = {0, 0.5, 1.5, 1};

    /** Panels per side of the reference quadrature (10 x 10 nodes each). */
    static final int PANELS = 100;

    private final double scale;
    private final List<Observable> observables;
    private final Map<Double, double[]> cache = new ConcurrentHashMap<>();

    /**
     * @param scale positive factor {@code s} multiplying the potential
     */
    public MullerBrown(double scale) {
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("Müller–Brown scale must be positive, got " + scale);
        }
        this.scale = scale;
        this.observables = List.of(
                new Observable("U", "energy U(x, y)", this::energy),
                new Observable("x", "first coordinate", (v, o) -> v[o]),
                new Observable("y", "second coordinate", (v, o) -> v[o + 1]));
    }

    /** The original, unscaled potential. */
    public MullerBrown() {
        this(1);
    }

    /** @return the scale factor {@code s} */
    public double scale() {
        return scale;
    }

    /**
     * @param x first coordinate
     * @param y second coordinate
     * @return {@code U(x, y)}
     */
    public double potential(double x, double y) {
        double u = 0;
        for (int k = 0; k < 4; k++) {
            double dx = x - X0[k];
            double dy = y - Y0[k];
            u += A[k] * Math.exp(AA[k] * dx * dx + BB[k] * dx * dy + CC[k] * dy * dy);
        }
        return scale * u;
    }

    @Override
    public double energy(double[] v, int o) {
        return potential(v[o], v[o + 1]);
    }

    @Override
    public Tensor energy(Tensor v) {
        EnergyModel.checkBatch(this, v);
        int n = v.dim(0);
        Tensor x = v.slice(1, 0, 1).reshape(n);
        Tensor y = v.slice(1, 1, 2).reshape(n);
        Tensor u = null;
        for (int k = 0; k < 4; k++) {
            Tensor dx = x.sub(X0[k]);
            Tensor dy = y.sub(Y0[k]);
            Tensor arg = dx.square().mul(AA[k]).add(dy.square().mul(CC[k]));
            if (BB[k] != 0) {
                arg = arg.add(dx.mul(dy).mul(BB[k]));
            }
            Tensor term = arg.exp().mul(A[k] * scale);
            u = u == null ? term : u.add(term);
        }
        return u;
    }

    @Override
    public String name() {
        return "muller-brown";
    }

    @Override
    public String describe() {
        return "Müller–Brown potential (2-D)" + (scale == 1 ? "" : ", scaled by " + scale);
    }

    @Override
    public int dimension() {
        return 2;
    }

    @Override
    public int[] sampleShape() {
        return new int[] {2};
    }

    @Override
    public boolean isDiscrete() {
        return false;
    }

    @Override
    public int sites() {
        return 1;
    }

    /** @return {ln Z, <U>, <U^2>, <x>, <y>} */
    private double[] reference(double beta) {
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be positive and finite, got " + beta);
        }
        return cache.computeIfAbsent(beta, b -> Quadrature.boltzmann2d(this::potential, b,
                new double[] {-1.8, 1.3, -0.5, 2.2}, PANELS,
                this::potential, (x, y) -> {
                    double u = potential(x, y);
                    return u * u;
                }, (x, y) -> x, (x, y) -> y));
    }

    @Override
    public OptionalDouble logZ(double beta) {
        return OptionalDouble.of(reference(beta)[0]);
    }

    @Override
    public String logZMethod(double beta) {
        return "quadrature (2-D Gauss-Legendre)";
    }

    @Override
    public List<Observable> observables() {
        return observables;
    }

    @Override
    public Map<String, Double> exactExpectations(double beta) {
        double[] r = reference(beta);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("U", r[1]);
        out.put("x", r[3]);
        out.put("y", r[4]);
        out.put("c", beta * beta * (r[2] - r[1] * r[1]));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return describe();
    }
}
