package dev.vae.cli.output;

import dev.vae.models.train.EpochMetrics;
import dev.vae.models.train.StepInfo;
import dev.vae.models.train.TrainingListener;
import dev.vae.models.train.TrainingState;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Draws one progress bar per epoch on the error stream (with the running batch loss) and prints
 * a summary line per epoch on the output stream; forwards epoch metrics to a consumer.
 */
public final class ProgressListener implements TrainingListener {
    private final PrintWriter out;
    private final Bars bars;
    private final Consumer<EpochMetrics> onEpoch;
    private Bars.Bar bar;
    private int epochs;
    private int batches;

    /**
     * @param out     receives one line per epoch
     * @param err     receives the progress bars
     * @param bars    whether to draw bars (only on a terminal)
     * @param onEpoch receives every epoch's metrics
     */
    public ProgressListener(PrintWriter out, PrintWriter err, boolean bars, Consumer<EpochMetrics> onEpoch) {
        this.out = out;
        this.bars = new Bars(err, bars);
        this.onEpoch = onEpoch;
    }

    @Override
    public void onStart(int totalEpochs, int batchesPerEpoch, TrainingState state) {
        this.epochs = totalEpochs;
        this.batches = batchesPerEpoch;
        out.printf(Locale.ROOT, "%5s %11s %11s %9s %9s %8s %10s%n", "epoch", "train_loss", "test_loss", "recon", "kl", "seconds",
                "samples/s");
        out.flush();
        if (state.batch() > 0 && state.epoch() < totalEpochs) {
            openBar(state.epoch(), state.batch());
        }
    }

    private void openBar(int epoch, int done) {
        if (!bars.on()) {
            return;
        }
        bar = bars.open(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs), batches);
        bar.stepTo(done);
    }

    @Override
    public void onStep(StepInfo s) {
        if (bars.on() && bar == null) {
            openBar(s.epoch(), s.batch());
        }
        if (bar != null) {
            bar.stepTo(s.batch() + 1);
            bar.message(String.format(Locale.ROOT, "loss %.2f", s.loss()));
        }
    }

    @Override
    public void onEpoch(EpochMetrics m) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        out.printf(Locale.ROOT, "%5d %11.4f %11.4f %9.4f %9.4f %8.2f %10.0f%n", m.epoch(), m.trainLoss(), m.testLoss(),
                m.testReconstruction(), m.testKl(), m.seconds(), m.samplesPerSecond());
        out.flush();
        onEpoch.accept(m);
    }

    /** Closes an open bar (after an interruption). */
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
