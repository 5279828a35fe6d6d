package dev.vae.models.train;

import java.util.Locale;

/**
 * A learning-rate schedule: the rate for an optimisation step, from the base rate and the
 * position in training. Parsed from and printed as a short spec ({@link #parse(String)},
 * {@link #spec()}).
 */
public sealed interface LrSchedule {
    /**
     * @param base          the base learning rate
     * @param step          the global step (0-based)
     * @param epoch         the epoch (0-based)
     * @param totalSteps    the number of steps of the whole run
     * @return the learning rate for this step
     */
    double rate(double base, long step, int epoch, long totalSteps);

    /** @return the spec this schedule parses from */
    String spec();

    /** The base rate throughout ({@code constant}). */
    record Constant() implements LrSchedule {
        @Override
        public double rate(double base, long step, int epoch, long totalSteps) {
            return base;
        }

        @Override
        public String spec() {
            return "constant";
        }
    }

    /**
     * The base rate multiplied by {@code gamma} every {@code everyEpochs} epochs
     * ({@code step:EVERY:GAMMA}, like {@code torch.optim.lr_scheduler.StepLR}).
     *
     * @param everyEpochs epochs between decays, {@code >= 1}
     * @param gamma       the factor, in (0, 1]
     */
    record StepDecay(int everyEpochs, double gamma) implements LrSchedule {
        /** Validates the fields. */
        public StepDecay {
            if (everyEpochs < 1 || !(gamma > 0 && gamma <= 1)) {
                throw new IllegalArgumentException("step schedule needs EVERY >= 1 and GAMMA in (0, 1], got "
                        + everyEpochs + " and " + gamma);
            }
        }

        @Override
        public double rate(double base, long step, int epoch, long totalSteps) {
            return base * Math.pow(gamma, epoch / everyEpochs);
        }

        @Override
        public String spec() {
            return "step:" + everyEpochs + ":" + gamma;
        }
    }

    /**
     * Cosine annealing from the base rate to {@code minRate} over the whole run, per step
     * ({@code cosine} or {@code cosine:MIN}, like {@code CosineAnnealingLR} with
     * {@code T_max} = total steps).
     *
     * @param minRate the final rate, {@code >= 0}
     */
    record Cosine(double minRate) implements LrSchedule {
        /** Validates the field. */
        public Cosine {
            if (!(minRate >= 0) || Double.isInfinite(minRate)) {
                throw new IllegalArgumentException("cosine schedule needs a finite MIN >= 0, got " + minRate);
            }
        }

        @Override
        public double rate(double base, long step, int epoch, long totalSteps) {
            double progress = totalSteps <= 0 ? 0 : Math.min(1.0, (double) step / totalSteps);
            return minRate + (base - minRate) * 0.5 * (1 + Math.cos(Math.PI * progress));
        }

        @Override
        public String spec() {
            return "cosine:" + minRate;
        }
    }

    /**
     * Parses {@code constant}, {@code step:EVERY:GAMMA} or {@code cosine[:MIN]}.
     *
     * @throws IllegalArgumentException with the accepted forms if the spec is invalid
     */
    static LrSchedule parse(String spec) {
        String[] p = spec.trim().toLowerCase(Locale.ROOT).split(":");
        try {
            switch (p[0]) {
                case "constant":
                    if (p.length == 1) {
                        return new Constant();
                    }
                    break;
                case "step":
                    if (p.length == 3) {
                        return new StepDecay(Integer.parseInt(p[1]), Double.parseDouble(p[2]));
                    }
                    break;
                case "cosine":
                    if (p.length <= 2) {
                        return new Cosine(p.length == 2 ? Double.parseDouble(p[1]) : 0.0);
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("invalid learning-rate schedule '" + spec
                + "' (expected constant, step:EVERY_EPOCHS:GAMMA or cosine[:MIN_LR])");
    }
}
