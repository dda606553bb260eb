package dev.nnsdk.training;

import dev.nnsdk.training.io.TrainingRun;

import dev.nnsdk.format.HeadWeights;
import dev.nnsdk.training.io.SavedModelWriter;
import dev.nnsdk.training.listener.EpochResult;
import dev.nnsdk.training.metrics.ClassificationMetrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What every fine-tuned classifier knows about how it was trained, and how it saves itself:
 * validation metrics of the kept epoch, per-epoch history, training info with provenance, and an
 * atomic {@link #save(Path) save} to a model directory that loads on either engine.
 */
public abstract class TrainedHead {
    final TrainingRun run;

    TrainedHead(TrainingRun run) {
        this.run = run;
    }

    /** The trained head (plain Java). */
    public abstract HeadWeights head();

    /** Validation metrics of the kept epoch. */
    public ClassificationMetrics validationMetrics() {
        return run.validationMetrics;
    }

    /** One entry per epoch trained. */
    public List<EpochResult> history() {
        return Collections.unmodifiableList(run.history);
    }

    /** The epoch whose weights are kept (1-based). */
    public int bestEpoch() {
        return run.bestEpoch;
    }

    public boolean stoppedEarly() {
        return run.stoppedEarly;
    }

    /** Training configuration, datasets and provenance, as written to {@code training.json}. */
    public Map<String, Object> trainingInfo() {
        return run.info;
    }

    /** Saves the model directory atomically; refuses an existing directory. */
    public void save(Path dir) {
        save(dir, false);
    }

    /** Saves the model directory atomically; replaces an existing one only when {@code overwrite}. */
    public void save(Path dir, boolean overwrite) {
        try {
            SavedModelWriter.write(dir, overwrite, head(), run);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a file the classifier owns (the trained backbone module before it is saved), if any. */
    static void deleteOwned(Path owned) {
        if (owned != null) {
            try {
                java.nio.file.Files.deleteIfExists(owned);
            } catch (IOException e) {
                org.slf4j.LoggerFactory.getLogger(TrainedHead.class).warn("Cannot delete {}: {}", owned, e.getMessage());
            }
        }
    }
}
