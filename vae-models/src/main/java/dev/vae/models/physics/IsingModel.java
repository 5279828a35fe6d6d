package dev.vae.models.physics;

import dev.vae.api.Tensor;
import dev.vae.models.physics.exact.IsingExact;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The 2-D Ising model on an {@code L x L} periodic square lattice,
 * {@code U(s) = -J sum_<ij> s_i s_j - h sum_i s_i}, with spins {@code s_i in {-1, +1}} stored in
 * row-major order and each of the {@code 2 L^2} nearest-neighbour bonds (right and down
 * neighbours, wrapping around) counted once.
 *
 * <p>Reference values: in zero field, {@code ln Z}, the mean energy and the heat capacity are
 * exact for every {@code L} and {@code beta} ({@link IsingExact Kaufman}); for {@code L <= 4}
 * everything (also in a field, and the mean {@code |m|}) comes from enumeration.
 */
public final class IsingModel implements EnergyModel {
    private final int l;
    private final double j;
    private final double h;
    private final List<Observable> observables;

    /**
     * @param l lattice side, {@code >= 2}
     * @param j coupling (ferromagnetic if positive)
     * @param h external field
     */
    public IsingModel(int l, double j, double h) {
        if (l < 2) {
            throw new IllegalArgumentException("Ising lattice side must be >= 2, got " + l);
        }
        if (!Double.isFinite(j) || !Double.isFinite(h)) {
            throw new IllegalArgumentException("Ising J and h must be finite, got J=" + j + ", h=" + h);
        }
        this.l = l;
        this.j = j;
        this.h = h;
        int n = l * l;
        this.observables = List.of(
                new Observable("e", "energy per site U/L^2", (x, o) -> energy(x, o) / n),
                new Observable("|m|", "absolute magnetisation per site |sum s|/L^2", (x, o) -> Math.abs(sum(x, o, n)) / n),
                new Observable("m", "magnetisation per site sum s/L^2", (x, o) -> sum(x, o, n) / n));
    }

    /** A ferromagnet with {@code J = 1} in zero field. */
    public IsingModel(int l) {
        this(l, 1, 0);
    }

    private static double sum(double[] x, int o, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[o + i];
        }
        return s;
    }

    /** @return the lattice side {@code L} */
    public int side() {
        return l;
    }

    /** @return the coupling {@code J} */
    public double coupling() {
        return j;
    }

    /** @return the field {@code h} */
    public double field() {
        return h;
    }

    @Override
    public String name() {
        return "ising";
    }

    @Override
    public String describe() {
        return "2-D Ising " + l + "x" + l + " periodic, J=" + j + ", h=" + h;
    }

    @Override
    public int dimension() {
        return l * l;
    }

    @Override
    public int[] sampleShape() {
        return new int[] {l, l};
    }

    @Override
    public boolean isDiscrete() {
        return true;
    }

    @Override
    public int sites() {
        return l * l;
    }

    @Override
    public double energy(double[] x, int o) {
        double bonds = 0;
        double m = 0;
        for (int r = 0; r < l; r++) {
            int row = o + r * l;
            int down = o + ((r + 1) % l) * l;
            for (int q = 0; q < l; q++) {
                double s = x[row + q];
                int right = q + 1 == l ? 0 : q + 1;
                bonds += s * (x[row + right] + x[down + q]);
                m += s;
            }
        }
        return -j * bonds - h * m;
    }

    /**
     * Energy of a configuration of {@code int} spins (used by Monte-Carlo code).
     *
     * @param s {@code L^2} spins in {@code {-1, +1}}
     * @return {@code U(s)}
     */
    public double energy(int[] s) {
        long bonds = 0;
        long m = 0;
        for (int r = 0; r < l; r++) {
            int row = r * l;
            int down = ((r + 1) % l) * l;
            for (int q = 0; q < l; q++) {
                int v = s[row + q];
                int right = q + 1 == l ? 0 : q + 1;
                bonds += v * (s[row + right] + s[down + q]);
                m += v;
            }
        }
        return -j * bonds - h * m;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Rolls the lattice by one site along each axis with slices and concatenation, so it runs on
     * any backend; the input must hold spins {@code -1, +1} (the formula is the bilinear form, so
     * it is also defined, and differentiable, for other values).
     */
    @Override
    public Tensor energy(Tensor x) {
        EnergyModel.checkBatch(this, x);
        int n = x.dim(0);
        Tensor s = x.reshape(n, l, l);
        Tensor right = Tensor.concat(List.of(s.slice(2, 1, l), s.slice(2, 0, 1)), 2);
        Tensor down = Tensor.concat(List.of(s.slice(1, 1, l), s.slice(1, 0, 1)), 1);
        Tensor bonds = s.mul(right.add(down)).reshape(n, l * l).sum(1);
        Tensor e = bonds.mul(-j);
        if (h != 0) {
            e = e.sub(x.sum(1).mul(h));
        }
        return e;
    }

    @Override
    public OptionalDouble logZ(double beta) {
        checkBeta(beta);
        if (h == 0 && (j >= 0 || l % 2 == 0)) {
            return OptionalDouble.of(IsingExact.logZ(l, j, beta));
        }
        if (l <= 4) {
            return OptionalDouble.of(IsingExact.enumerate(l, j, h, beta).logZ());
        }
        return OptionalDouble.empty();
    }

    @Override
    public String logZMethod(double beta) {
        if (h == 0 && (j >= 0 || l % 2 == 0)) {
            return "exact (Kaufman 1949)";
        }
        return l <= 4 ? "exact (enumeration)" : "none";
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
        Map<String, Double> out = new LinkedHashMap<>();
        if (l <= 4) {
            IsingExact.Enumeration e = IsingExact.enumerate(l, j, h, beta);
            out.put("e", e.energyPerSite());
            out.put("|m|", e.absMagnetisationPerSite());
            out.put("c", e.heatCapacityPerSite());
            if (h == 0) {
                out.put("m", 0.0);
            }
        } else if (h == 0 && (j >= 0 || l % 2 == 0)) {
            out.put("e", IsingExact.energyPerSite(l, j, beta));
            out.put("c", IsingExact.heatCapacityPerSite(l, j, beta));
            out.put("m", 0.0);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return describe();
    }
}
