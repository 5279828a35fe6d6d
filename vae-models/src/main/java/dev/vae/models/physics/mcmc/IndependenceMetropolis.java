package dev.vae.models.physics.mcmc;

import dev.vae.api.random.Rng;

/**
 * The independence Metropolis–Hastings chain (Tierney 1994) over a sequence of independent
 * proposals {@code x_1, x_2, ...} from {@code q} with log importance weights
 * {@code ln w_i = -beta U(x_i) - ln q(x_i)}: proposal {@code i} replaces the current state
 * {@code j} with probability {@code min(1, w_i / w_j)}. The chain's stationary distribution is the
 * Boltzmann distribution whenever {@code q > 0} wherever it is, so its samples are asymptotically
 * exact, however imperfect {@code q}. Extended-space weights (an importance-sampled
 * {@code ln q} through an auxiliary encoder) give an exact chain on the extended space.
 */
public final class IndependenceMetropolis {
    private IndependenceMetropolis() {
    }

    /**
     * The chain's trajectory.
     *
     * @param states     {@code states[t]} is the index of the proposal occupying step {@code t}
     * @param accepted   the number of accepted proposals
     * @param acceptance the acceptance rate {@code accepted / (n - 1)}
     */
    public record Result(int[] states, int accepted, double acceptance) {
        /**
         * @param values one value per proposal
         * @return the values along the chain, {@code values[states[t]]}
         */
        public double[] along(double[] values) {
            double[] out = new double[states.length];
            for (int t = 0; t < states.length; t++) {
                out[t] = values[states[t]];
            }
            return out;
        }
    }

    /**
     * Runs the chain from proposal 0 through all proposals in order.
     *
     * @param logWeights one log-weight per proposal ({@code -infinity} is never accepted; NaN is rejected)
     * @param rng        the generator for the acceptance tests
     * @return the trajectory, one step per proposal
     */
    public static Result run(double[] logWeights, Rng rng) {
        int n = logWeights.length;
        if (n == 0) {
            throw new IllegalArgumentException("the independence chain needs at least one proposal");
        }
        UniformSource u = new UniformSource(rng);
        int[] states = new int[n];
        int current = 0;
        // start from the first proposal with a finite weight
        while (current < n - 1 && !Double.isFinite(logWeights[current])) {
            current++;
        }
        int accepted = 0;
        for (int t = 0; t < n; t++) {
            if (t > current) {
                double log = logWeights[t] - logWeights[current];
                if (log >= 0 || Math.log(u.nextDouble()) < log) {
                    current = t;
                    accepted++;
                }
            }
            states[t] = current;
        }
        return new Result(states, accepted, n > 1 ? (double) accepted / (n - 1) : Double.NaN);
    }
}
