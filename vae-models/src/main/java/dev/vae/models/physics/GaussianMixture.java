package dev.vae.models.physics;

import dev.vae.api.DType;
import dev.vae.api.Tensor;
import dev.vae.models.physics.exact.Quadrature;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A mixture of isotropic Gaussians in {@code D} dimensions as an energy model:
 * {@code U(x) = -ln sum_k w_k exp(-|x - mu_k|^2 / (2 sigma_k^2))} with weights summing to one.
 *
 * <p>At {@code beta = 1} the Boltzmann distribution is the mixture with component masses
 * {@code w_k (2 pi sigma_k^2)^{D/2} / Z} (the weights themselves when all widths are equal) and
 * {@code ln Z = ln sum_k w_k (2 pi sigma_k^2)^{D/2}} exactly. The observable {@code mode<k>} is
 * the responsibility of component {@code k}, {@code w_k phi_k(x) / sum_j w_j phi_j(x)}, whose
 * Boltzmann average at {@code beta = 1} is exactly the component's mass (and which is the
 * indicator of the nearest mode when the modes are well separated). For other {@code beta},
 * references come from quadrature when {@code D <= 2}.
 */
public final class GaussianMixture implements EnergyModel {
    private final int d;
    private final double[] weights;
    private final double[][] means;
    private final double[] sigmas;
    private final List<Observable> observables;
    private final Map<Double, double[]> quadratureCache = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param weights positive component weights (normalised to sum to one)
     * @param means   one mean of dimension {@code D} per component
     * @param sigmas  one positive standard deviation per component
     */
    public GaussianMixture(double[] weights, double[][] means, double[] sigmas) {
        int k = weights.length;
        if (k == 0 || means.length != k || sigmas.length != k) {
            throw new IllegalArgumentException("Gaussian mixture needs the same positive number of weights, means and sigmas, got "
                    + weights.length + ", " + means.length + ", " + sigmas.length);
        }
        this.d = means[0].length;
        if (d < 1) {
            throw new IllegalArgumentException("Gaussian mixture dimension must be >= 1");
        }
        double total = 0;
        for (int i = 0; i < k; i++) {
            if (!(weights[i] > 0) || !(sigmas[i] > 0) || means[i].length != d) {
                throw new IllegalArgumentException("component " + i + ": weight " + weights[i] + " and sigma " + sigmas[i]
                        + " must be positive and the mean must have dimension " + d);
            }
            total += weights[i];
        }
        this.weights = new double[k];
        this.means = new double[k][];
        for (int i = 0; i < k; i++) {
            this.weights[i] = weights[i] / total;
            this.means[i] = means[i].clone();
        }
        this.sigmas = sigmas.clone();
        List<Observable> obs = new ArrayList<>();
        obs.add(new Observable("U", "energy U(x)", this::energy));
        for (int i = 0; i < k; i++) {
            int comp = i;
            obs.add(new Observable("mode" + i, "responsibility of component " + i + " (fraction of samples in mode " + i + ")",
                    (x, o) -> responsibility(x, o, comp)));
        }
        obs.add(new Observable("x0", "first coordinate", (x, o) -> x[o]));
        this.observables = Collections.unmodifiableList(obs);
    }

    /**
     * Two modes of unit width at {@code (-s/2, 0, ..., 0)} and {@code (+s/2, 0, ..., 0)}.
     *
     * @param dim        dimension {@code D >= 1}
     * @param separation distance between the means
     * @param w0         weight of the left mode, in {@code (0, 1)}
     * @return the mixture
     */
    public static GaussianMixture twoModes(int dim, double separation, double w0) {
        double[] m0 = new double[dim];
        double[] m1 = new double[dim];
        m0[0] = -separation / 2;
        m1[0] = separation / 2;
        return new GaussianMixture(new double[] {w0, 1 - w0}, new double[][] {m0, m1}, new double[] {1, 1});
    }

    /** @return the number of components */
    public int components() {
        return weights.length;
    }

    /** @return the normalised weight of component {@code k} */
    public double weight(int k) {
        return weights[k];
    }

    /** @return a copy of the mean of component {@code k} */
    public double[] mean(int k) {
        return means[k].clone();
    }

    /** @return the standard deviation of component {@code k} */
    public double sigma(int k) {
        return sigmas[k];
    }

    private double logTerm(double[] x, int o, int k) {
        double s = 0;
        double[] m = means[k];
        for (int i = 0; i < d; i++) {
            double t = x[o + i] - m[i];
            s += t * t;
        }
        return Math.log(weights[k]) - s / (2 * sigmas[k] * sigmas[k]);
    }

    @Override
    public double energy(double[] x, int o) {
        double max = Double.NEGATIVE_INFINITY;
        double[] t = new double[weights.length];
        for (int k = 0; k < t.length; k++) {
            t[k] = logTerm(x, o, k);
            max = Math.max(max, t[k]);
        }
        double s = 0;
        for (double v : t) {
            s += Math.exp(v - max);
        }
        return -(max + Math.log(s));
    }

    private double responsibility(double[] x, int o, int comp) {
        double max = Double.NEGATIVE_INFINITY;
        double[] t = new double[weights.length];
        for (int k = 0; k < t.length; k++) {
            t[k] = logTerm(x, o, k);
            max = Math.max(max, t[k]);
        }
        double s = 0;
        for (double v : t) {
            s += Math.exp(v - max);
        }
        return Math.exp(t[comp] - max) / s;
    }

    @Override
    public Tensor energy(Tensor x) {
        EnergyModel.checkBatch(this, x);
        int n = x.dim(0);
        int k = weights.length;
        double[] mu = new double[k * d];
        double[] coef = new double[k];
        double[] logw = new double[k];
        for (int i = 0; i < k; i++) {
            System.arraycopy(means[i], 0, mu, i * d, d);
            coef[i] = -1 / (2 * sigmas[i] * sigmas[i]);
            logw[i] = Math.log(weights[i]);
        }
        DType dt = x.dtype();
        Tensor muT = x.backend().tensor(mu, dt, 1, k, d);
        Tensor coefT = x.backend().tensor(coef, dt, k);
        Tensor logwT = x.backend().tensor(logw, dt, k);
        Tensor sq = x.reshape(n, 1, d).sub(muT).square().sum(false, 2);
        return sq.mul(coefT).add(logwT).logSumExp(1, false).neg();
    }

    @Override
    public String name() {
        return "gmm";
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("Gaussian mixture in " + d + "-D: ");
        for (int i = 0; i < weights.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "w=%.4g mu=%s sigma=%.4g",
                    weights[i], java.util.Arrays.toString(means[i]), sigmas[i]));
        }
        return sb.toString();
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

    private double logZAtOne() {
        double max = Double.NEGATIVE_INFINITY;
        double[] t = new double[weights.length];
        for (int k = 0; k < t.length; k++) {
            t[k] = Math.log(weights[k]) + 0.5 * d * Math.log(2 * Math.PI * sigmas[k] * sigmas[k]);
            max = Math.max(max, t[k]);
        }
        double s = 0;
        for (double v : t) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s);
    }

    /** @return {ln Z, <U>, <U^2> - <U>^2, <mode_k>..., <x0>} by quadrature (D <= 2) */
    private double[] quadrature(double beta) {
        return quadratureCache.computeIfAbsent(beta, b -> {
            int k = weights.length;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            double smax = 0;
            for (int i = 0; i < k; i++) {
                for (double m : means[i]) {
                    lo = Math.min(lo, m);
                    hi = Math.max(hi, m);
                }
                smax = Math.max(smax, sigmas[i]);
            }
            lo -= 3 * smax;
            hi += 3 * smax;
            double[] out = new double[3 + k + 1];
            if (d == 1) {
                java.util.function.DoubleUnaryOperator u = v -> energy(new double[] {v}, 0);
                out[0] = Quadrature.logBoltzmannIntegral(u, b, lo, hi);
                out[1] = Quadrature.boltzmannAverage(u, u, b, lo, hi);
                double mean = out[1];
                out[2] = Quadrature.boltzmannAverage(u, v -> Math.pow(u.applyAsDouble(v) - mean, 2), b, lo, hi);
                for (int i = 0; i < k; i++) {
                    int comp = i;
                    out[3 + i] = Quadrature.boltzmannAverage(u, v -> responsibility(new double[] {v}, 0, comp), b, lo, hi);
                }
                out[3 + k] = Quadrature.boltzmannAverage(u, v -> v, b, lo, hi);
            } else {
                double[] buf = new double[2];
                java.util.function.DoubleBinaryOperator u = (p, q) -> {
                    buf[0] = p;
                    buf[1] = q;
                    return energy(buf, 0);
                };
                java.util.function.DoubleBinaryOperator[] gs = new java.util.function.DoubleBinaryOperator[2 + k + 1];
                gs[0] = u;
                gs[1] = (p, q) -> {
                    double e = u.applyAsDouble(p, q);
                    return e * e;
                };
                for (int i = 0; i < k; i++) {
                    int comp = i;
                    gs[2 + i] = (p, q) -> {
                        buf[0] = p;
                        buf[1] = q;
                        return responsibility(buf, 0, comp);
                    };
                }
                gs[2 + k] = (p, q) -> p;
                double[] r = Quadrature.boltzmann2d(u, b, new double[] {lo, hi, lo, hi}, 80, gs);
                out[0] = r[0];
                out[1] = r[1];
                out[2] = r[2] - r[1] * r[1];
                System.arraycopy(r, 3, out, 3, k + 1);
            }
            return out;
        });
    }

    @Override
    public OptionalDouble logZ(double beta) {
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be positive and finite, got " + beta);
        }
        if (beta == 1) {
            return OptionalDouble.of(logZAtOne());
        }
        if (d <= 2) {
            return OptionalDouble.of(quadrature(beta)[0]);
        }
        return OptionalDouble.empty();
    }

    @Override
    public String logZMethod(double beta) {
        return beta == 1 ? "exact (closed form)" : d <= 2 ? "quadrature" : "none";
    }

    @Override
    public List<Observable> observables() {
        return observables;
    }

    @Override
    public Map<String, Double> exactExpectations(double beta) {
        Map<String, Double> out = new LinkedHashMap<>();
        int k = weights.length;
        if (d <= 2) {
            double[] q = quadrature(beta);
            out.put("U", q[1]);
            out.put("c", beta * beta * q[2]);
            for (int i = 0; i < k; i++) {
                out.put("mode" + i, q[3 + i]);
            }
            out.put("x0", q[3 + k]);
        }
        if (beta == 1) {
            double lz = logZAtOne();
            double x0 = 0;
            for (int i = 0; i < k; i++) {
                double mass = Math.exp(Math.log(weights[i]) + 0.5 * d * Math.log(2 * Math.PI * sigmas[i] * sigmas[i]) - lz);
                out.put("mode" + i, mass);
                x0 += mass * means[i][0];
            }
            out.put("x0", x0);
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return describe();
    }
}
