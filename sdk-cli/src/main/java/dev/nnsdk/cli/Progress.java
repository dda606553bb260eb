package dev.nnsdk.cli;

import dev.nnsdk.training.listener.ProgressBars;
import me.tongfei.progressbar.ProgressBar;

/**
 * Progress on stderr for long work ({@link ProgressBars}: in place on a terminal, one line per interval in logs);
 * silent for short work or when disabled.
 */
final class Progress implements AutoCloseable {
    /** Work smaller than this shows no bar. */
    static final long THRESHOLD = 256;

    private final ProgressBar bar;

    Progress(String task, long total, boolean enabled) {
        this(task, total, enabled, THRESHOLD);
    }

    /** With an explicit threshold: slow items (whole reviews, images) deserve a bar sooner. */
    Progress(String task, long total, boolean enabled, long threshold) {
        this.bar = enabled && total >= threshold ? ProgressBars.create(task, total, "") : null;
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
