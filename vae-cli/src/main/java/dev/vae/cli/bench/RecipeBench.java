package dev.vae.cli.bench;

import dev.vae.api.Backend;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.optim.Adam;
import dev.vae.api.random.Rng;
import dev.vae.models.data.Dataset;
import dev.vae.models.vae.KlRegularizer;
import dev.vae.models.vae.VAE;
import dev.vae.models.vae.VaeLoss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * Runs the {@link Recipe} on one backend at one batch size: a timed run (warm-up, then repeats
 * of a fixed number of steps, every step timed) on the backend as it is, and a profiled run of the
 * same length on the backend wrapped in {@link TimingKernels}, which says where a step's time
 * goes. Each run builds its own freshly initialised model (seeded, so all backends start from the
 * same weights) and draws full batches from a seeded permutation of the data, reshuffled whenever
 * it is used up.
 */
public final class RecipeBench {
    /**
     * How long to run.
     *
     * @param warmup  untimed steps before measuring
     * @param steps   timed steps per repeat
     * @param repeats timed repeats
     * @param seed    seeds the model, the batch order and the noise
     */
    public record Settings(int warmup, int steps, int repeats, long seed) {
        /** Validates the counts. */
        public Settings {
            if (warmup < 0 || steps < 1 || repeats < 1) {
                throw new IllegalArgumentException("need warmup >= 0, steps >= 1 and repeats >= 1, got " + warmup + ", "
                        + steps + " and " + repeats);
            }
        }
    }

    /**
     * The timed run.
     *
     * @param stepMs           every timed step's wall time, in order
     * @param repeatMeanMs     each repeat's mean step time
     * @param lastLossPerSample the loss per sample of the last step (a sanity check that the
     *                          backends train alike)
     * @param liveArraysGrowth backend arrays alive after the run minus before (0 if nothing leaks)
     * @param memory           what the run used
     * @param devicePeakBytes  the most device memory the backend reported in use after a timed step
     *                         ({@link dev.vae.api.spi.Kernels#deviceMemoryInUse}), -1 if it reports none
     */
    public record Timing(double[] stepMs, double[] repeatMeanMs, double lastLossPerSample, long liveArraysGrowth,
                         MemoryProbe.Usage memory, long devicePeakBytes) {
        /** @return the mean step time over all timed steps */
        public double meanMs() {
            return Stats.mean(stepMs);
        }
    }

    /**
     * The profiled run.
     *
     * @param steps      profiled steps
     * @param wallNanos  their total wall time
     * @param kernels    kernel times accumulated over them
     * @param phaseNanos wall time per {@link Phase}, indexed by ordinal
     */
    public record Profile(int steps, long wallNanos, TimingKernels.Snapshot kernels, long[] phaseNanos) {
        /** @return the mean wall time of a profiled step in milliseconds */
        public double msPerStep() {
            return wallNanos / 1e6 / steps;
        }

        /** @return the mean time per step charged to {@code c}, in milliseconds */
        public double msPerStep(KernelCategory c) {
            return kernels.nanos(c) / 1e6 / steps;
        }

        /** @return the mean wall time per step of {@code p}, in milliseconds */
        public double msPerStep(Phase p) {
            return phaseNanos[p.ordinal()] / 1e6 / steps;
        }

        /** @return step time outside every kernel call (autodiff, scopes, glue), ms per step */
        public double overheadMsPerStep() {
            return Math.max(0, wallNanos - kernels.totalNanos()) / 1e6 / steps;
        }
    }

    /** The parts of a training step, timed separately in the profiled run. */
    public enum Phase {
        /** Batch gather, forward pass, loss, reading the loss to the host. */
        FORWARD,
        /** Back-propagation. */
        BACKWARD,
        /** The Adam update. */
        OPTIMIZER,
        /** Dropping gradients and closing the step's scope (releasing its arrays). */
        CLEANUP
    }

    private RecipeBench() {
    }

    /**
     * The timed run on {@code backend}.
     *
     * @param backend the backend, used as it is
     * @param data    the training samples (at least {@code batch} of them)
     * @param batch   the batch size
     * @param s       the run's length and seed
     * @return step times and memory use
     */
    public static Timing time(Backend backend, Dataset data, int batch, Settings s) {
        MemoryProbe memory = new MemoryProbe();
        long liveBefore = backend.liveArrays();
        memory.start();
        double[] stepMs = new double[s.steps() * s.repeats()];
        double[] repeatMeans = new double[s.repeats()];
        double lastLoss;
        long devicePeak = -1;
        try (Loop loop = new Loop(backend, data, batch, s.seed(), null)) {
            for (int i = 0; i < s.warmup(); i++) {
                loop.step(null);
            }
            int k = 0;
            for (int r = 0; r < s.repeats(); r++) {
                long r0 = System.nanoTime();
                for (int i = 0; i < s.steps(); i++) {
                    long t0 = System.nanoTime();
                    loop.step(null);
                    stepMs[k++] = (System.nanoTime() - t0) / 1e6;
                    OptionalLong device = backend.kernels().deviceMemoryInUse();
                    if (device.isPresent()) {
                        devicePeak = Math.max(devicePeak, device.getAsLong());
                    }
                }
                repeatMeans[r] = (System.nanoTime() - r0) / 1e6 / s.steps();
            }
            lastLoss = loop.lastLoss / batch;
        }
        MemoryProbe.Usage used = memory.stop();
        return new Timing(stepMs, repeatMeans, lastLoss, backend.liveArrays() - liveBefore, used, devicePeak);
    }

    /**
     * The profiled run: the backend's kernels wrapped in {@link TimingKernels}, {@code
     * s.warmup()} untimed steps, then {@code s.steps()} profiled steps.
     *
     * @param timing the wrapped backend's kernels (reset before the profiled steps)
     * @param data   the training samples
     * @param batch  the batch size
     * @param s      the run's length and seed
     * @return where the time went
     */
    public static Profile profile(TimingKernels timing, Dataset data, int batch, Settings s) {
        Backend backend = Backend.of(timing);
        long[] phases = new long[Phase.values().length];
        try (Loop loop = new Loop(backend, data, batch, s.seed(), timing)) {
            for (int i = 0; i < s.warmup(); i++) {
                loop.step(null);
            }
            timing.reset();
            long t0 = System.nanoTime();
            for (int i = 0; i < s.steps(); i++) {
                loop.step(phases);
            }
            long wall = System.nanoTime() - t0;
            return new Profile(s.steps(), wall, timing.snapshot(), phases);
        }
    }

    /** One model, optimizer, data copy and batch order on one backend. */
    private static final class Loop implements AutoCloseable {
        private static final KlRegularizer PLAIN = KlRegularizer.none();
        private final Tensor data;
        private final VAE model;
        private final Adam optimizer;
        private final Rng shuffle;
        private final Rng noise;
        private final TimingKernels timing;
        private final int n;
        private final int batch;
        private int[] perm;
        private int pos;
        private long step;
        private double lastLoss;

        Loop(Backend backend, Dataset d, int batch, long seed, TimingKernels timing) {
            if (batch < 1 || batch > d.size()) {
                throw new IllegalArgumentException("batch size " + batch + " does not fit a data set of " + d.size() + " samples");
            }
            if (d.dim() != Recipe.model().inputDim()) {
                throw new IllegalArgumentException("the recipe takes " + Recipe.model().inputDim() + " features, the data has " + d.dim());
            }
            this.n = d.size();
            this.batch = batch;
            this.timing = timing;
            List<AutoCloseable> made = new ArrayList<>();
            try {
                this.data = d.toTensor(backend).untrack();
                made.add(data);
                this.model = new VAE(backend, Recipe.model(), new Rng(seed));
                made.add(model);
                this.optimizer = new Adam(model.parameters(), Recipe.LEARNING_RATE);
            } catch (RuntimeException e) {
                for (AutoCloseable c : made) {
                    closeQuietly(c);
                }
                throw e;
            }
            this.shuffle = new Rng(seed).split(1);
            this.noise = new Rng(seed).split(2);
        }

        private int[] nextRows() {
            if (perm == null || pos + batch > n) {
                perm = shuffle.permutation(n);
                pos = 0;
            }
            int[] rows = Arrays.copyOfRange(perm, pos, pos + batch);
            pos += batch;
            return rows;
        }

        /** One training step; accumulates phase wall times into {@code phases} if not null. */
        void step(long[] phases) {
            int[] rows = nextRows();
            long t0 = System.nanoTime();
            long t1;
            long t2;
            long t3;
            double loss;
            try (Scope scope = Scope.open()) {
                Tensor x = data.gatherRows(rows);
                VaeLoss.Terms t = VaeLoss.compute(model, x, noise, PLAIN, step);
                loss = t.loss().item();
                t1 = System.nanoTime();
                t.loss().backward();
                t2 = System.nanoTime();
                KernelCategory previous = timing == null ? null : timing.attributeTo(KernelCategory.OPTIMIZER);
                try {
                    optimizer.step();
                } finally {
                    if (timing != null) {
                        timing.attributeTo(previous);
                    }
                }
                t3 = System.nanoTime();
                optimizer.zeroGrad();
            }
            long t4 = System.nanoTime();
            if (phases != null) {
                phases[Phase.FORWARD.ordinal()] += t1 - t0;
                phases[Phase.BACKWARD.ordinal()] += t2 - t1;
                phases[Phase.OPTIMIZER.ordinal()] += t3 - t2;
                phases[Phase.CLEANUP.ordinal()] += t4 - t3;
            }
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("the recipe's loss became " + loss + " at step " + (step + 1));
            }
            lastLoss = loss;
            step++;
        }

        @Override
        public void close() {
            optimizer.close();
            model.close();
            data.close();
        }

        private static void closeQuietly(AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing; the first error is reported
            }
        }
    }
}
