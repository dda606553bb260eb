package dev.nnsdk.training.listener;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * Progress bars on stderr that stay readable everywhere: on a terminal one line redrawn in place, fitting 80 columns
 * (no speed, elapsed time only); in a log or pipe (no console) one plain line per update interval, no carriage
 * returns, the same line never printed twice. Used by the trainers' listener and by {@code sdk-cli}.
 *
 * <pre>{@code
 * try (ProgressBar bar = ProgressBars.create("embed", texts.size(), " texts")) { ... bar.stepBy(n); }
 * }</pre>
 */
public final class ProgressBars {
    /** Widest line drawn: fits an 80-column terminal. */
    public static final int WIDTH = 79;
    /** Seconds between lines when stderr is not a terminal. */
    public static final int LOG_INTERVAL_SECONDS = 5;

    private ProgressBars() {
    }

    /** A bar on {@code System.err}; terminal or log mode from {@link System#console()}. */
    public static ProgressBar create(String task, long max, String unit) {
        return create(task, max, unit, System.err, System.console() != null && !"dumb".equals(System.getenv("TERM")));
    }

    /** A bar on {@code err}, drawn in place when {@code terminal}, else one line per interval. */
    public static ProgressBar create(String task, long max, String unit, PrintStream err, boolean terminal) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII).setUnit(unit, 1).hideEta().setMaxRenderedLength(WIDTH);
        if (terminal) {
            b.setConsumer(new ConsoleProgressBarConsumer(err, WIDTH)).setUpdateIntervalMillis(300);
        } else {
            b.setConsumer(new DelegatingProgressBarConsumer(new Lines(err), WIDTH))
                    .setUpdateIntervalMillis(LOG_INTERVAL_SECONDS * 1000);
        }
        return b.build();
    }

    /** Prints each rendered state as a line, skipping a repeat of the previous one (the final state comes twice). */
    private static final class Lines implements Consumer<String> {
        private final PrintStream err;
        private String last;

        Lines(PrintStream err) {
            this.err = err;
        }

        @Override
        public synchronized void accept(String line) {
            String l = line.replace("\r", "").trim();
            if (!l.isEmpty() && !l.equals(last)) {
                err.println(l);
                last = l;
            }
        }
    }
}
