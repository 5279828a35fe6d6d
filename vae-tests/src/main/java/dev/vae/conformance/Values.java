package dev.vae.conformance;

import dev.vae.api.random.Rng;

import java.util.Arrays;
import java.util.Locale;

/**
 * A generator of input values for a sample. Generators are deterministic functions of the
 * {@link Rng} they are given, so every backend sees the same inputs.
 */
@FunctionalInterface
public interface Values {
    /** @return {@code n} values drawn with {@code rng} */
    double[] generate(int n, Rng rng);

    /** @return uniform values in {@code [lo, hi)} */
    static Values uniform(double lo, double hi) {
        return named("uniform(" + lo + ", " + hi + ")", (n, rng) -> {
            double[] u = rng.uniformDoubles(n);
            for (int i = 0; i < n; i++) {
                u[i] = lo + (hi - lo) * u[i];
            }
            return u;
        });
    }

    /**
     * @return uniform values in {@code [lo, hi)} kept at least {@code gap} away from zero (for
     *         kinks and poles: relu, abs, reciprocal)
     */
    static Values awayFromZero(double lo, double hi, double gap) {
        Values base = uniform(lo, hi);
        return named("uniform(" + lo + ", " + hi + ") with |x| >= " + gap, (n, rng) -> {
            double[] u = base.generate(n, rng);
            for (int i = 0; i < n; i++) {
                if (Math.abs(u[i]) < gap) {
                    u[i] = u[i] < 0 ? -gap - Math.abs(u[i]) : gap + u[i];
                }
            }
            return u;
        });
    }

    /**
     * @return uniform values in {@code [lo, hi)} kept at least {@code gap} away from {@code center}
     *         (for kinks away from zero, such as {@code maximum(x, 0.25)})
     */
    static Values awayFromZeroAt(double center, double lo, double hi, double gap) {
        Values base = awayFromZero(lo - center, hi - center, gap);
        return named("uniform(" + lo + ", " + hi + ") with |x - " + center + "| >= " + gap, (n, rng) -> {
            double[] u = base.generate(n, rng);
            for (int i = 0; i < n; i++) {
                u[i] += center;
            }
            return u;
        });
    }

    /** @return values whose magnitudes are log-uniform in {@code [lo, hi)}, random signs if {@code signed} */
    static Values logUniform(double lo, double hi, boolean signed) {
        double a = Math.log(lo);
        double b = Math.log(hi);
        return named((signed ? "±" : "") + "loguniform(" + lo + ", " + hi + ")", (n, rng) -> {
            double[] u = rng.uniformDoubles(2 * n);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = Math.exp(a + (b - a) * u[i]);
                if (signed && u[n + i] < 0.5) {
                    out[i] = -out[i];
                }
            }
            return out;
        });
    }

    /** @return the given values, repeated cyclically to fill the request */
    static Values of(double... values) {
        double[] v = values.clone();
        return named("values" + Arrays.toString(v), (n, rng) -> {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = v.length == 0 ? 0 : v[i % v.length];
            }
            return out;
        });
    }

    /** @return values drawn uniformly from a small set (to make ties and exact comparisons likely) */
    static Values choice(double... values) {
        double[] v = values.clone();
        return named("choice" + Arrays.toString(v), (n, rng) -> {
            double[] u = rng.uniformDoubles(n);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = v[(int) Math.min(v.length - 1, (long) (u[i] * v.length))];
            }
            return out;
        });
    }

    /** @return a generator with a description for messages */
    static Values named(String description, Values g) {
        return new Values() {
            @Override
            public double[] generate(int n, Rng rng) {
                return g.generate(n, rng);
            }

            @Override
            public String toString() {
                return description.toLowerCase(Locale.ROOT);
            }
        };
    }
}
