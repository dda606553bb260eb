package dev.nnsdk.training;

import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.TextClassifier;
import dev.nnsdk.internal.Head;
import dev.nnsdk.internal.TextClassifierImpl;
import dev.nnsdk.training.data.TextDataset;
import dev.nnsdk.training.io.SavedModelWriter;
import dev.nnsdk.training.listener.EpochResult;
import dev.nnsdk.training.metrics.ClassificationMetrics;
import dev.nnsdk.training.metrics.Evaluation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The result of {@link TextClassificationTrainer#fit()}: a ready {@link TextClassifier} (backbone +
 * the best epoch's head) that also knows how it was trained and can be saved.
 *
 * <pre>{@code
 * try (TrainedTextClassifier clf = FineTuning.textClassification()...fit()) {
 *     System.out.println(clf.validationMetrics());
 *     clf.save(Path.of("out/sentiment"));
 * }
 * }</pre>
 */
public final class TrainedTextClassifier implements TextClassifier {
    private final TextClassifierImpl classifier;
    private final TrainingRun run;

    TrainedTextClassifier(TextClassifierImpl classifier, TrainingRun run) {
        this.classifier = classifier;
        this.run = run;
    }

    /** Validation metrics of the kept (best) epoch. */
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

    /** The trained head (plain Java). */
    public Head head() {
        return classifier.head();
    }

    /** Training configuration, datasets and provenance, as written to {@code training.json}. */
    public Map<String, Object> trainingInfo() {
        return run.info;
    }

    /** Scores the classifier on another labelled dataset. */
    public ClassificationMetrics evaluate(TextDataset data) {
        return Evaluation.evaluate(this, data);
    }

    /** Saves the model directory atomically; refuses an existing directory. */
    public void save(Path dir) {
        save(dir, false);
    }

    /** Saves the model directory atomically; replaces an existing one only when {@code overwrite}. */
    public void save(Path dir, boolean overwrite) {
        try {
            SavedModelWriter.write(dir, overwrite, classifier.head(), run);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the model to " + dir + ": " + e.getMessage(), e);
        }
    }

    TrainingRun run() {
        return run;
    }

    @Override
    public Classification classify(String text) {
        return classifier.classify(text);
    }

    @Override
    public List<Classification> classify(String text, int k) {
        return classifier.classify(text, k);
    }

    @Override
    public List<Classification> classifyAll(List<String> texts) {
        return classifier.classifyAll(texts);
    }

    @Override
    public List<float[]> probabilities(List<String> texts) {
        return classifier.probabilities(texts);
    }

    @Override
    public List<String> labels() {
        return classifier.labels();
    }

    @Override
    public String engine() {
        return classifier.engine();
    }

    @Override
    public void close() {
        classifier.close();
    }
}
