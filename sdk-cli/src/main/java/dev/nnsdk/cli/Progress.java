package dev.nnsdk.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A console progress bar on stderr for long work; silent for short work or when disabled. */
final class Progress implements AutoCloseable {
    /** Work smaller than this shows no bar. */
    static final long THRESHOLD = 256;

    private final ProgressBar bar;

    Progress(String task, long total, boolean enabled) {
        this.bar = enabled && total >= THRESHOLD ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(500).showSpeed().build() : null;
    }

    void step(long n) {
        if (bar != null) {
            bar.stepBy(n);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
