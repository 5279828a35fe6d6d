package dev.vae.cli.physics;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;

/** Progress bars on the error stream (or nothing, when bars are turned off). */
final class Bars {
    private final PrintWriter err;
    private final boolean on;

    /**
     * @param err where bars are drawn
     * @param on  whether to draw them
     */
    Bars(PrintWriter err, boolean on) {
        this.err = err;
        this.on = on;
    }

    /** A bar that can be stepped and closed; a no-op when bars are off. */
    interface Bar extends AutoCloseable {
        /** Moves the bar to {@code n}. */
        void stepTo(long n);

        /** Sets the text after the bar. */
        void message(String text);

        @Override
        void close();
    }

    /**
     * @param task the label
     * @param max  the total
     * @return a new bar
     */
    Bar open(String task, long max) {
        if (!on) {
            return new Bar() {
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
