package dev.vae.models.physics.stats;

import java.util.Locale;

/**
 * A Monte-Carlo estimate with its standard error (one standard deviation).
 *
 * @param value the estimate
 * @param error its standard error, {@code >= 0} (NaN when it cannot be estimated)
 */
public record Estimate(double value, double error) {

    /**
     * @param reference the value to compare with
     * @return {@code |value - reference| / error} (infinite if the error is zero and the values differ)
     */
    public double sigmasFrom(double reference) {
        double d = Math.abs(value - reference);
        return d == 0 ? 0 : d / error;
    }

    /**
     * @param reference the value to compare with
     * @param k         the number of standard errors allowed
     * @return true if {@code |value - reference| <= k * error}
     */
    public boolean within(double reference, double k) {
        return Math.abs(value - reference) <= k * error;
    }

    /** @return the estimate multiplied by {@code factor} (error scaled by {@code |factor|}) */
    public Estimate scale(double factor) {
        return new Estimate(value * factor, error * Math.abs(factor));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.8g ± %.2g", value, error);
    }
}
