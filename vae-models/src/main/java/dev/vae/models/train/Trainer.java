package dev.vae.models.train;

import dev.vae.api.DType;
import dev.vae.api.GradMode;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.optim.GradientClipping;
import dev.vae.api.optim.Optimizer;
import dev.vae.api.random.Rng;
import dev.vae.models.data.Dataset;
import dev.vae.models.eval.ElboReport;
import dev.vae.models.eval.Evaluator;
import dev.vae.models.io.SafetensorsReader;
import dev.vae.models.vae.VAE;
import dev.vae.models.vae.VaeLoss;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Trains a {@link VAE} with minibatch stochastic optimisation.
 *
 * <p>Each epoch draws a permutation of the training set ({@link Rng#permutation}) and visits it in
 * batches of {@link TrainConfig#batchSize()} (the last partial batch is kept). Each step runs
 * inside a {@link Scope}: gather the batch rows on the backend ({@link Tensor#gatherRows}),
 * compute the loss ({@link VaeLoss}), read its value (the step's only host round-trip, unless
 * gradient clipping reads the norm), back-propagate, clip, update, release. The data sets stay on
 * the backend for the whole run. After every epoch the test set is evaluated ({@link
 * Evaluator#elbo}) and a checkpoint is written if configured.
 *
 * <p>Randomness: three streams of one Philox key, the seed — shuffling, reparameterisation noise
 * and evaluation (re-derived per epoch) — so that a run resumed from a checkpoint written
 * mid-epoch ends bit-identical (on the same backend) to an uninterrupted one.
 *
 * <p>The learning rate of every step is set on the optimizer from {@link TrainConfig#optimizer()}'s
 * base rate and {@link TrainConfig#schedule()}, whatever rate the optimizer was created with.
 *
 * <p>Divergence: when a batch loss (or, with clipping, the gradient norm) is NaN or infinite,
 * training stops before that update, so the model keeps its last finite parameters, and the
 * last checkpoint on disk is left untouched; the result says so in one line.
 */
public final class Trainer {
    /** Stream id of the shuffling generator. */
    public static final long SHUFFLE_STREAM = 1;
    /** Stream id of the reparameterisation-noise generator. */
    public static final long NOISE_STREAM = 2;
    /** Stream id of the evaluation generator (split again by epoch). */
    public static final long EVAL_STREAM = 3;

    private final TrainConfig config;
    private final TrainingListener listener;
    private volatile boolean stopRequested;

    /**
     * @param config   the run's settings
     * @param listener receives progress (use {@link TrainingListener#NONE} for none)
     */
    public Trainer(TrainConfig config, TrainingListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** @return the settings */
    public TrainConfig config() {
        return config;
    }

    /**
     * Asks training to stop after the current step; {@link #fit} then writes a checkpoint (if
     * configured) and returns {@link TrainResult.Status#STOPPED}. Safe to call from any thread.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** @return the evaluation generator of epoch {@code epoch} (0-based) for {@code seed} */
    public static Rng evalRng(long seed, int epoch) {
        return new Rng(seed).split(EVAL_STREAM).split(epoch);
    }

    /** Trains from the beginning. */
    public TrainResult fit(VAE model, Optimizer optimizer, Dataset train, Dataset test) {
        return fit(model, optimizer, train, test, TrainingState.initial());
    }

    /**
     * Trains from {@code start}: for a resume, the model and optimizer must already hold the
     * state of the checkpoint {@code start} came from (see {@link #resume}).
     *
     * @param model     the model, updated in place
     * @param optimizer an optimizer over the model's parameters
     * @param train     the training set
     * @param test      the test set, or null for no evaluation
     * @param start     where to start
     */
    public TrainResult fit(VAE model, Optimizer optimizer, Dataset train, Dataset test, TrainingState start) {
        int d = model.config().inputDim();
        if (train.dim() != d || (test != null && test.dim() != d)) {
            throw new IllegalArgumentException("the model takes " + d + " features but the training set has " + train.dim()
                    + (test == null ? "" : " and the test set " + test.dim()));
        }
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training set '" + train.name() + "' is empty");
        }
        stopRequested = false;
        Run run = new Run(model, optimizer, train, test, start);
        try {
            TrainResult r = run.execute();
            listener.onFinish(r);
            return r;
        } finally {
            run.close();
        }
    }

    /**
     * Restores a model and optimizer from a training checkpoint and returns where to resume.
     *
     * @throws dev.vae.models.io.CheckpointFormatException if the checkpoint is invalid, has no
     *                                                     training state, or does not fit
     */
    public static TrainingState resume(Path file, VAE model, Optimizer optimizer) {
        TrainingCheckpoint.Contents c = TrainingCheckpoint.read(file);
        if (c.state() == null) {
            throw new dev.vae.models.io.CheckpointFormatException(file, "holds no training state (metadata field training_state is missing)");
        }
        if (!c.model().equals(model.config())) {
            throw new dev.vae.models.io.CheckpointFormatException(file, "metadata field model_config " + c.model().toJson()
                    + " differs from the model's " + model.config().toJson());
        }
        TrainingCheckpoint.loadParameters(file, c, model);
        TrainingCheckpoint.loadOptimizer(file, c, optimizer);
        return c.state();
    }

    /** The mutable state of one call to fit. */
    private final class Run implements AutoCloseable {
        private final VAE model;
        private final Optimizer optimizer;
        private final Dataset trainSet;
        private final Tensor trainData;
        private final Tensor testData;
        private final Tensor recAcc;
        private final Tensor klAcc;
        private final Rng shuffleRng;
        private final Rng noiseRng;
        private final int n;
        private final int batches;
        private final long totalSteps;
        private final List<EpochMetrics> history;
        private int epoch;
        private int batch;
        private long step;
        private long shuffleCounter;
        private double lossSum;
        private double secondsBefore;
        private Path lastCheckpoint;
        private long lastCheckpointStep = -1;
        private double lastLoss;

        Run(VAE model, Optimizer optimizer, Dataset train, Dataset test, TrainingState s) {
            this.model = model;
            this.optimizer = optimizer;
            this.trainSet = train;
            this.n = train.size();
            this.batches = (n + config.batchSize() - 1) / config.batchSize();
            this.totalSteps = (long) batches * config.epochs();
            DType t = model.config().dtype();
            Tensor tr = null;
            Tensor te = null;
            Tensor ra = null;
            try {
                tr = train.toTensor(model.backend()).untrack();
                if (t != DType.FLOAT32) {
                    Tensor c = tr.cast(t).untrack();
                    tr.close();
                    tr = c;
                }
                if (test != null && config.evaluate()) {
                    te = test.toTensor(model.backend()).untrack();
                    if (t != DType.FLOAT32) {
                        Tensor c = te.cast(t).untrack();
                        te.close();
                        te = c;
                    }
                }
                ra = model.backend().scalar(s.reconstructionSum(), t).untrack();
                this.klAcc = model.backend().scalar(s.klSum(), t).untrack();
            } catch (RuntimeException e) {
                for (Tensor x : new Tensor[] {tr, te, ra}) {
                    if (x != null) {
                        x.close();
                    }
                }
                throw e;
            }
            this.trainData = tr;
            this.testData = te;
            this.recAcc = ra;
            this.shuffleRng = new Rng(config.seed()).split(SHUFFLE_STREAM);
            this.noiseRng = new Rng(config.seed()).split(NOISE_STREAM);
            this.noiseRng.seek(s.noiseCounter());
            this.history = new ArrayList<>(s.history());
            this.epoch = s.epoch();
            this.batch = s.batch();
            this.step = s.step();
            this.shuffleCounter = s.shuffleCounter();
            this.lossSum = s.lossSum();
            this.secondsBefore = s.epochSeconds();
            Path file = config.checkpoint();
            if (file != null && s.step() > 0 && Files.isRegularFile(file)) {
                try {
                    String written = SafetensorsReader.readHeader(file).metadata().get("step");
                    if (written != null) {
                        lastCheckpointStep = Long.parseLong(written);
                        lastCheckpoint = file;
                    }
                } catch (RuntimeException e) {
                    // an unreadable old file is simply not a good checkpoint
                }
            }
        }

        private TrainingState state(double epochSeconds, double rec, double kl) {
            return new TrainingState(epoch, batch, step, shuffleCounter, noiseRng.counter(), lossSum, rec, kl,
                    epochSeconds, history);
        }

        private TrainingState snapshot(double epochSeconds) {
            return state(epochSeconds, recAcc.item(), klAcc.item());
        }

        private void checkpoint(TrainingState s) {
            Path file = config.checkpoint();
            if (file == null) {
                return;
            }
            TrainingCheckpoint.write(file, model, optimizer, config, s);
            lastCheckpoint = file;
            lastCheckpointStep = s.step();
            listener.onCheckpoint(file, s);
        }

        TrainResult execute() {
            listener.onStart(config.epochs(), batches, snapshot(secondsBefore));
            while (epoch < config.epochs()) {
                shuffleRng.seek(shuffleCounter);
                int[] perm = shuffleRng.permutation(n);
                long t0 = System.nanoTime();
                while (batch < batches) {
                    double lr = config.schedule().rate(config.optimizer().lr(), step, epoch, totalSteps);
                    optimizer.setLearningRate(lr);
                    int from = batch * config.batchSize();
                    int to = Math.min(n, from + config.batchSize());
                    String bad = trainStep(Arrays.copyOfRange(perm, from, to));
                    if (bad != null) {
                        return diverged(bad);
                    }
                    batch++;
                    step++;
                    double seconds = secondsBefore + (System.nanoTime() - t0) * 1e-9;
                    boolean stop = stopRequested;
                    if (stop || (config.checkpointEverySteps() > 0 && step % config.checkpointEverySteps() == 0 && batch < batches)) {
                        checkpoint(snapshot(seconds));
                    }
                    listener.onStep(new StepInfo(epoch, batch - 1, batches, step, lastLoss / (to - from), lr));
                    if (stop) {
                        return new TrainResult(TrainResult.Status.STOPPED, "training stopped at epoch " + (epoch + 1) + ", step " + step
                                + (lastCheckpoint == null ? "" : "; checkpoint written to " + lastCheckpoint),
                                history, snapshot(seconds), lastCheckpoint);
                    }
                }
                double seconds = secondsBefore + (System.nanoTime() - t0) * 1e-9;
                endEpoch(seconds);
            }
            TrainingState s = snapshot(0);
            return new TrainResult(TrainResult.Status.COMPLETED, "training completed: " + config.epochs() + " epochs, "
                    + step + " steps" + (lastCheckpoint == null ? "" : "; checkpoint " + lastCheckpoint), history, s, lastCheckpoint);
        }

        /** @return null after a good step, or what diverged (the update is skipped) */
        private String trainStep(int[] rows) {
            try (Scope scope = Scope.open()) {
                Tensor x = trainData.gatherRows(rows);
                VaeLoss.Terms t = VaeLoss.compute(model, x, noiseRng, config.regularizer(), step);
                double loss = t.loss().item();
                if (!Double.isFinite(loss)) {
                    return "loss is " + loss;
                }
                t.loss().backward();
                if (config.clipNorm() > 0) {
                    double norm = GradientClipping.clipGlobalNorm(optimizer.parameters(), config.clipNorm());
                    if (!Double.isFinite(norm)) {
                        optimizer.zeroGrad();
                        return "gradient norm is " + norm;
                    }
                }
                optimizer.step();
                optimizer.zeroGrad();
                try (GradMode.Guard g = GradMode.disable()) {
                    recAcc.assign(recAcc.add(t.reconstruction()));
                    klAcc.assign(klAcc.add(t.kl()));
                }
                lossSum += loss;
                lastLoss = loss;
                return null;
            } catch (RuntimeException e) {
                optimizer.zeroGrad();
                throw e;
            }
        }

        private TrainResult diverged(String what) {
            optimizer.zeroGrad();
            String msg = String.format(Locale.ROOT, "training diverged at epoch %d, step %d (batch %d of %d): %s; ",
                    epoch + 1, step + 1, batch + 1, batches, what)
                    + (lastCheckpoint == null
                            ? (config.checkpoint() == null ? "no checkpoint was configured" : "no checkpoint had been written yet")
                            : "the last good checkpoint (step " + lastCheckpointStep + ") is kept at " + lastCheckpoint)
                    + "; try a lower learning rate or gradient clipping";
            return new TrainResult(TrainResult.Status.DIVERGED, msg, history, snapshot(secondsBefore), lastCheckpoint);
        }

        private void endEpoch(double seconds) {
            double rec = recAcc.item();
            double kl = klAcc.item();
            double testLoss = Double.NaN;
            double testRec = Double.NaN;
            double testKl = Double.NaN;
            int active = -1;
            long e0 = System.nanoTime();
            if (testData != null) {
                ElboReport r = Evaluator.elbo(model, testData, config.evalBatchSize(), evalRng(config.seed(), epoch));
                testLoss = r.loss();
                testRec = r.reconstruction();
                testKl = r.kl();
                active = r.activeUnits();
            }
            double evalSeconds = (System.nanoTime() - e0) * 1e-9;
            EpochMetrics m = new EpochMetrics(epoch + 1, step, lossSum / n, rec / n, kl / n, testLoss, testRec, testKl, active,
                    seconds, evalSeconds, seconds > 0 ? n / seconds : Double.NaN, optimizer.learningRate(), model.backend().name());
            history.add(m);
            epoch++;
            batch = 0;
            shuffleCounter = shuffleRng.counter();
            lossSum = 0;
            secondsBefore = 0;
            try (Scope scope = Scope.open()) {
                Tensor zero = model.backend().scalar(0, model.config().dtype());
                recAcc.assign(zero);
                klAcc.assign(zero);
            }
            listener.onEpoch(m);
            checkpoint(state(0, 0, 0));
        }

        @Override
        public void close() {
            for (Tensor x : new Tensor[] {trainData, testData, recAcc, klAcc}) {
                if (x != null) {
                    x.close();
                }
            }
        }

        @Override
        public String toString() {
            return "training run on " + trainSet.name();
        }
    }
}
