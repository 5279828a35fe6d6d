package dev.vae.models.physics;

import dev.vae.api.Tensor;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A system with configurations {@code x} of a fixed dimension {@code D} and an energy
 * {@code U(x)}, whose Boltzmann distribution at inverse temperature {@code beta} is
 * {@code p(x) = exp(-beta U(x)) / Z(beta)} and whose free energy is {@code F = -ln Z / beta}.
 *
 * <p>Energies are available two ways: on the host for one configuration (fast scalar code, used by
 * Markov-chain Monte Carlo and by estimators), and as a batched {@link Tensor} operation, which for
 * continuous systems is differentiable so that {@code backward()} gives the forces
 * {@code -dU/dx} (used by Langevin proposals and by reparameterised training). Both agree to
 * floating-point rounding.
 *
 * <p>Discrete systems (lattices of Ising spins) store each coordinate as {@code -1} or {@code +1}.
 * Implementations are immutable and thread-safe.
 */
public interface EnergyModel {

    /** @return the system's short name ({@code ising}, {@code gmm}, {@code double-well}, {@code muller-brown}) */
    String name();

    /** @return a one-line description with every parameter, e.g. {@code "2-D Ising 8x8, J=1, h=0, periodic"} */
    String describe();

    /** @return the number of coordinates {@code D} of one configuration */
    int dimension();

    /** @return the shape of one configuration (its product is {@link #dimension()}): {@code {L, L}} for a lattice */
    int[] sampleShape();

    /** @return true if every coordinate is a spin in {@code {-1, +1}}; false for real coordinates */
    boolean isDiscrete();

    /**
     * @return the number of sites used for per-site quantities: {@code L*L} for a lattice, 1 for
     *         continuous systems. The {@link #energyObservable() energy observable} is
     *         {@code U(x) / sites()}.
     */
    int sites();

    /**
     * The energy of one configuration on the host.
     *
     * @param x      flat storage
     * @param offset index of the configuration's first coordinate
     * @return {@code U(x)}
     */
    double energy(double[] x, int offset);

    /**
     * Energies of {@code n} configurations stored row after row.
     *
     * @param xs {@code n * D} values
     * @param n  number of configurations
     * @return the {@code n} energies
     */
    default double[] energies(double[] xs, int n) {
        int d = dimension();
        if ((long) n * d > xs.length) {
            throw new IllegalArgumentException(name() + ": " + xs.length + " values cannot hold " + n
                    + " configurations of dimension " + d);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = energy(xs, i * d);
        }
        return out;
    }

    /**
     * Batched energies as a tensor operation, differentiable with respect to {@code x} for
     * continuous systems.
     *
     * @param x shape {@code (n, D)}, float32 or float64
     * @return shape {@code (n)}, same backend and dtype
     * @throws dev.vae.api.ShapeException if {@code x} is not {@code (n, D)}
     */
    Tensor energy(Tensor x);

    /**
     * A reference value of {@code ln Z(beta)} where one is known: exact (closed form, Kaufman's
     * formula) or by numerical quadrature accurate to about 1e-10 relative; see
     * {@link #logZMethod(double)}.
     *
     * @param beta inverse temperature, {@code > 0}
     * @return {@code ln Z(beta)}, or empty if no reference is available for these parameters
     */
    OptionalDouble logZ(double beta);

    /**
     * @param beta inverse temperature
     * @return how {@link #logZ(double)} is obtained ({@code "Kaufman 1949 (exact)"},
     *         {@code "quadrature"}, ...), or {@code "none"}
     */
    String logZMethod(double beta);

    /**
     * The reference free energy {@code -ln Z / beta}, where {@link #logZ(double)} is known.
     *
     * @param beta inverse temperature, {@code > 0}
     * @return {@code F(beta)} or empty
     */
    default OptionalDouble freeEnergy(double beta) {
        OptionalDouble lz = logZ(beta);
        return lz.isPresent() ? OptionalDouble.of(-lz.getAsDouble() / beta) : OptionalDouble.empty();
    }

    /**
     * @return the observables reported by samplers; the first is always the
     *         {@link #energyObservable() energy observable}
     */
    List<Observable> observables();

    /** @return the energy observable {@code U(x) / sites()} (the first of {@link #observables()}) */
    default Observable energyObservable() {
        return observables().get(0);
    }

    /**
     * Reference expectations under the Boltzmann distribution where they are known, keyed by
     * observable name, plus {@code "c"} for the heat capacity per site
     * {@code beta^2 (<U^2> - <U>^2) / sites()} where known.
     *
     * @param beta inverse temperature, {@code > 0}
     * @return an unmodifiable map, possibly empty
     */
    Map<String, Double> exactExpectations(double beta);

    /**
     * Checks a tensor argument of {@link #energy(Tensor)}.
     *
     * @param model the system
     * @param x     the argument
     * @throws dev.vae.api.ShapeException if {@code x} is not {@code (n, D)}
     */
    static void checkBatch(EnergyModel model, Tensor x) {
        if (x.rank() != 2 || x.dim(1) != model.dimension()) {
            throw new dev.vae.api.ShapeException(model.name() + " energy: expected configurations of shape (n, "
                    + model.dimension() + "), got " + dev.vae.api.Shapes.format(x.shape()));
        }
    }
}
