package dev.vae.models.physics.sampler;

import dev.vae.models.physics.stats.Autocorrelation;
import dev.vae.models.physics.stats.Estimate;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * Every estimate the free-energy sampler makes from {@code samples} draws of a trained generator,
 * beside the reference values where they exist.
 *
 * @param system             the system's description
 * @param beta               the inverse temperature
 * @param generator          the generator's description
 * @param samples            number of draws
 * @param exactFreeEnergy    the reference {@code F} (empty if unknown)
 * @param exactMethod        how the reference was obtained
 * @param variationalBound   {@code F_q = E_q[U + ln q / beta]}, an upper bound on F
 * @param importanceFreeEnergy {@code -(1/beta) ln mean(w)} with its delta-method error
 * @param kishEss            Kish's effective sample size
 * @param essFraction        {@code kishEss / samples}
 * @param reweighted         importance-reweighted observables and the heat capacity {@code "c"}
 * @param raw                plain means of the observables over the generator's samples
 * @param exact              reference expectations ({@link dev.vae.models.physics.EnergyModel#exactExpectations})
 * @param imhAcceptance      acceptance rate of the independence Metropolis–Hastings chain
 * @param imh                the chain's analysis of every observable (mean, error, autocorrelation time)
 * @param seconds            wall-clock seconds to draw and evaluate the samples
 * @param logWeights         the log importance weights, one per draw
 * @param energyName         the name of the energy observable
 */
public record FreeEnergyReport(String system, double beta, String generator, int samples, OptionalDouble exactFreeEnergy,
                               String exactMethod, Estimate variationalBound, Estimate importanceFreeEnergy,
                               double kishEss, double essFraction, Map<String, Estimate> reweighted,
                               Map<String, Double> raw, Map<String, Double> exact, double imhAcceptance,
                               Map<String, Autocorrelation.Analysis> imh, double seconds, double[] logWeights,
                               String energyName) {

    /** @return the relative error {@code |F_IS - F| / |F|}, or NaN without a reference */
    public double relativeError() {
        if (exactFreeEnergy.isEmpty()) {
            return Double.NaN;
        }
        double f = exactFreeEnergy.getAsDouble();
        return Math.abs(importanceFreeEnergy.value() - f) / Math.abs(f);
    }

    /** @return {@code |F_IS - F| / error}, or NaN without a reference */
    public double sigmas() {
        return exactFreeEnergy.isEmpty() ? Double.NaN : importanceFreeEnergy.sigmasFrom(exactFreeEnergy.getAsDouble());
    }

    /** @return independent-sample equivalents per second by Kish's effective sample size */
    public double kishEssPerSecond() {
        return kishEss / seconds;
    }

    /** @return effective samples per second of the energy observable along the independence chain */
    public double imhEssPerSecond() {
        return imh.get(energyName).ess() / seconds;
    }
}
