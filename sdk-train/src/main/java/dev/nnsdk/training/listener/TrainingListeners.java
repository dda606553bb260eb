package dev.nnsdk.training.listener;

import me.tongfei.progressbar.ProgressBar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/** Ready-made listeners: a console progress bar and a logger. */
public final class TrainingListeners {
    private TrainingListeners() {
    }

    /**
     * Progress bars on stderr: one for feature extraction (examples, speed, ETA), one over all
     * epochs' steps with the running loss and the last validation metrics, and one line per epoch.
     */
    public static TrainingListener progressBar() {
        return new ProgressBarListener();
    }

    /** One SLF4J INFO line per epoch. */
    public static TrainingListener logging() {
        return new TrainingListener() {
            private final Logger log = LoggerFactory.getLogger("dev.nnsdk.training");

            @Override
            public void onEpochEnd(EpochResult r) {
                log.info("{}", r);
            }
        };
    }

    private static final class ProgressBarListener implements TrainingListener {
        private ProgressBar features;
        private ProgressBar epochs;
        private int stepsPerEpoch;
        private String last = "";

        private static ProgressBar bar(String task, long max, String unit) {
            return ProgressBars.create(task, max, unit);
        }

        @Override
        public void onFeaturesStart(String phase, int total) {
            features = bar("embed " + phase, total, " ex");
        }

        @Override
        public void onFeaturesProgress(String phase, int done, int total) {
            if (features != null) {
                features.stepTo(done);
            }
        }

        @Override
        public void onFeaturesEnd(String phase, boolean fromCache) {
            if (features != null) {
                features.setExtraMessage(fromCache ? "(cached)" : "");
                features.close();
                features = null;
            }
        }

        @Override
        public void onTrainingStart(int startEpoch, int total, int steps) {
            onTrainingStart("train", startEpoch, total, steps);
        }

        @Override
        public void onTrainingStart(String name, int startEpoch, int total, int steps) {
            stepsPerEpoch = steps;
            last = "";
            epochs = bar(name, (long) total * steps, " steps");
            epochs.stepTo((long) (startEpoch - 1) * steps);
        }

        @Override
        public void onBatchEnd(int epoch, int step, int steps, double runningLoss) {
            if (epochs != null) {
                epochs.stepTo((long) (epoch - 1) * steps + step);
                epochs.setExtraMessage(String.format(Locale.ROOT, "ep %d loss %.3f%s", epoch, runningLoss, last));
            }
        }

        @Override
        public void onEpochEnd(EpochResult r) {
            last = String.format(Locale.ROOT, " val acc %.3f", r.validAccuracy());
            if (epochs != null) {
                epochs.setExtraMessage(String.format(Locale.ROOT, "ep %d loss %.3f%s", r.epoch(), r.trainLoss(), last));
            }
        }

        @Override
        public void onTrainingEnd(int bestEpoch, boolean stoppedEarly) {
            if (epochs != null) {
                if (stoppedEarly) {
                    epochs.stepTo(epochs.getMax());
                }
                epochs.close();
                epochs = null;
            }
            System.err.println("best epoch: " + bestEpoch + (stoppedEarly ? " (stopped early)" : ""));
        }
    }
}
