package dev.vae.cli.output;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;

/**
 * Progress bars on the error stream, or nothing when bars are turned off or the process has no
 * terminal (a redirected run gets its per-epoch summary lines, not a pile of bar refreshes).
 */
public final class Bars {
    private final PrintWriter err;
    private final boolean on;

    /**
     * @param err       where bars are drawn
     * @param requested whether the user wants bars (false with {@code --no-progress}); they are
     *                  drawn only when the process also has a terminal
     */
    public Bars(PrintWriter err, boolean requested) {
        this.err = err;
        this.on = requested && System.console() != null;
    }

    /** @return whether bars are drawn */
    public boolean on() {
        return on;
    }

    /** A bar that can be stepped and closed; a no-op when bars are off. */
    public interface Bar extends AutoCloseable {
        /** Moves the bar to {@code n}. */
        void stepTo(long n);

        /** Sets the text after the bar. */
        void message(String text);

        /** Removes the bar and ends its line. */
        @Override
        void close();
    }

    private static final Bar NONE = new Bar() {
        @Override
        public void stepTo(long n) {
        }

        @Override
        public void message(String text) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * @param task the label
     * @param max  the total
     * @return a new bar (a no-op when bars are off)
     */
    public Bar open(String task, long max) {
        if (!on) {
            return NONE;
        }
        ProgressBar pb = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250).setConsumer(new DelegatingProgressBarConsumer(line -> {
                    err.print('\r' + line);
                    err.flush();
                }, 100)).continuousUpdate().build();
        return new Bar() {
            @Override
            public void stepTo(long n) {
                pb.stepTo(n);
            }

            @Override
            public void message(String text) {
                pb.setExtraMessage(text);
            }

            @Override
            public void close() {
                pb.close();
                err.println();
                err.flush();
            }
        };
    }
}
