package dev.vae.models.physics.sampler;

import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.optim.Adam;
import dev.vae.api.optim.GradientClipping;
import dev.vae.api.random.Rng;
import dev.vae.models.physics.EnergyModel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Trains a {@link Generator} by minimising the variational free energy with Adam: each step draws
 * a batch, differentiates the generator's surrogate loss (reparameterised or score-function), adds
 * the optional data term (the forward KL, {@code weight / beta} times the mean negative
 * log-likelihood of Monte-Carlo configurations), clips the gradient norm and updates the
 * parameters. The inverse temperature is annealed linearly from {@code annealStart * beta} to
 * {@code beta} over the first {@code annealSteps} steps; the learning rate follows a cosine from
 * {@code learningRate} to {@code finalLearningRate}. Each step runs inside a {@link Scope}, so
 * memory stays flat on every backend. A step whose batch contains a non-finite free-energy term
 * (an energy that overflowed far from the wells) is skipped without updating the parameters;
 * {@value #MAX_SKIPPED} consecutive skipped steps stop training with an error.
 */
public final class FreeEnergyTrainer {
    /** Consecutive steps with non-finite terms after which training is declared diverged. */
    public static final int MAX_SKIPPED = 20;

    private FreeEnergyTrainer() {
    }

    /**
     * Training settings.
     *
     * @param steps             optimisation steps, {@code >= 1}
     * @param batch             samples per step, {@code >= 2}
     * @param learningRate      initial Adam learning rate
     * @param finalLearningRate learning rate at the last step (cosine schedule)
     * @param annealStart       initial fraction of beta, in {@code (0, 1]} (1: no annealing)
     * @param annealSteps       steps over which beta rises to its target
     * @param clipNorm          global gradient-norm clip ({@code <= 0}: none)
     * @param dataWeight        weight of the data term ({@code 0}: none)
     * @param dataBatch         data configurations per step
     * @param dataSteps         steps over which the data weight decays linearly to zero, after
     *                          which training is pure reverse KL ({@code 0}: constant weight)
     */
    public record Config(int steps, int batch, double learningRate, double finalLearningRate, double annealStart,
                         int annealSteps, double clipNorm, double dataWeight, int dataBatch, int dataSteps) {
        /** Validates the settings. */
        public Config {
            if (steps < 1 || batch < 2 || !(learningRate > 0) || !(finalLearningRate >= 0) || !(annealStart > 0)
                    || annealStart > 1 || annealSteps < 0 || dataWeight < 0 || dataBatch < 1 || dataSteps < 0) {
                throw new IllegalArgumentException("invalid training settings: " + this);
            }
        }

        /**
         * @param steps optimisation steps
         * @param batch samples per step
         * @return defaults: learning rate 1e-3 decaying to 1e-4, beta annealed from 0.3 over the
         *         first 40% of the steps, gradient norm clipped at 10, no data term
         */
        public static Config of(int steps, int batch) {
            return new Config(steps, batch, 1e-3, 1e-4, 0.3, (int) (0.4 * steps), 10, 0, 256, 0);
        }

        /** @return a copy with another learning-rate schedule */
        public Config withLearningRate(double lr, double finalLr) {
            return new Config(steps, batch, lr, finalLr, annealStart, annealSteps, clipNorm, dataWeight, dataBatch, dataSteps);
        }

        /** @return a copy with another annealing schedule */
        public Config withAnnealing(double start, int over) {
            return new Config(steps, batch, learningRate, finalLearningRate, start, over, clipNorm, dataWeight, dataBatch, dataSteps);
        }

        /** @return a copy with a data term of constant weight */
        public Config withData(double weight, int perStep) {
            return new Config(steps, batch, learningRate, finalLearningRate, annealStart, annealSteps, clipNorm, weight, perStep, 0);
        }

        /** @return a copy whose data weight decays linearly to zero over {@code over} steps (0: constant) */
        public Config withDataDecay(int over) {
            return new Config(steps, batch, learningRate, finalLearningRate, annealStart, annealSteps, clipNorm, dataWeight,
                    dataBatch, over);
        }

        /** @return a copy with another gradient-norm clip ({@code <= 0}: none) */
        public Config withClipNorm(double norm) {
            return new Config(steps, batch, learningRate, finalLearningRate, annealStart, annealSteps, norm, dataWeight,
                    dataBatch, dataSteps);
        }

        /**
         * @param step the 1-based step
         * @return the data weight at that step
         */
        public double dataWeightAt(int step) {
            if (dataSteps == 0) {
                return dataWeight;
            }
            return dataWeight * Math.max(0, 1 - (double) (step - 1) / dataSteps);
        }
    }

    /**
     * One point of the training curve.
     *
     * @param step       the step (1-based)
     * @param beta       the inverse temperature used at this step
     * @param bound      the batch estimate of the (joint) variational free energy at that beta
     * @param boundError its standard error
     * @param seconds    wall-clock seconds since training started
     */
    public record Point(int step, double beta, double bound, double boundError, double seconds) {
    }

    /**
     * Trains the generator.
     *
     * @param g        the generator (updated in place)
     * @param model    the system
     * @param beta     the target inverse temperature
     * @param config   the settings
     * @param data     data configurations ({@code rows * D}, system convention), or null
     * @param rng      the noise
     * @param listener called after every step, or null
     * @return the training curve, one point per step
     * @throws IllegalStateException if {@value #MAX_SKIPPED} consecutive steps had non-finite terms
     */
    public static List<Point> train(Generator g, EnergyModel model, double beta, Config config, float[] data, Rng rng,
                                    Consumer<Point> listener) {
        int d = model.dimension();
        int rows = data == null ? 0 : data.length / d;
        if (config.dataWeight() > 0 && rows == 0) {
            throw new IllegalArgumentException("a data term was requested but no data configurations were given");
        }
        List<Point> curve = new ArrayList<>(config.steps());
        Rng dataRng = rng.split(0xda7a);
        long start = System.nanoTime();
        int skipped = 0;
        try (Adam opt = new Adam(g.parameters(), config.learningRate())) {
            for (int t = 1; t <= config.steps(); t++) {
                double frac = config.annealSteps() == 0 ? 1 : Math.min(1, (double) (t - 1) / config.annealSteps());
                double bt = beta * (config.annealStart() + (1 - config.annealStart()) * frac);
                double cos = 0.5 * (1 + Math.cos(Math.PI * (t - 1) / Math.max(1, config.steps() - 1)));
                opt.setLearningRate(config.finalLearningRate() + (config.learningRate() - config.finalLearningRate()) * cos);
                double[] terms;
                try (Scope s = Scope.open()) {
                    Generator.Batch b = g.trainingBatch(model, bt, config.batch(), rng);
                    Tensor loss = b.loss();
                    double dw = config.dataWeightAt(t);
                    if (dw > 0) {
                        int m = Math.min(config.dataBatch(), rows);
                        float[] x = new float[m * d];
                        for (int i = 0; i < m; i++) {
                            int r = dataRng.nextInt(rows);
                            System.arraycopy(data, r * d, x, i * d, d);
                        }
                        Tensor xt = g.backend().tensor(x, m, d).cast(g.dtype());
                        loss = loss.add(g.dataLoss(xt, rng).mul(dw / bt));
                    }
                    terms = b.terms();
                    boolean finite = Double.isFinite(loss.item());
                    for (double v : terms) {
                        finite &= Double.isFinite(v);
                    }
                    opt.zeroGrad();
                    if (finite) {
                        loss.backward();
                        if (config.clipNorm() > 0) {
                            GradientClipping.clipGlobalNorm(g.parameters(), config.clipNorm());
                        }
                        opt.step();
                        skipped = 0;
                    } else if (++skipped >= MAX_SKIPPED) {
                        throw new IllegalStateException("free-energy training diverged: " + MAX_SKIPPED
                                + " consecutive steps had non-finite energies or log-densities (step " + t
                                + "); lower the learning rate or raise --anneal-start");
                    }
                }
                double mean = 0;
                for (double v : terms) {
                    mean += v;
                }
                mean /= terms.length;
                double ss = 0;
                for (double v : terms) {
                    ss += (v - mean) * (v - mean);
                }
                double err = Math.sqrt(ss / (terms.length - 1) / terms.length);
                Point p = new Point(t, bt, mean, err, (System.nanoTime() - start) * 1e-9);
                curve.add(p);
                if (listener != null) {
                    listener.accept(p);
                }
            }
            opt.zeroGrad();
        }
        return curve;
    }
}
