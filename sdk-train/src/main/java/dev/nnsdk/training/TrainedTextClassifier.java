package dev.nnsdk.training;

import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.TextClassifier;
import dev.nnsdk.internal.Head;
import dev.nnsdk.internal.TextClassifierImpl;
import dev.nnsdk.training.data.TextDataset;
import dev.nnsdk.training.io.SavedModelWriter;
import dev.nnsdk.training.listener.EpochResult;
import dev.nnsdk.training.metrics.ClassificationMetrics;
import dev.nnsdk.training.internal.FeatureCache;
import dev.nnsdk.inference.TextEmbedder;

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
    private final FeatureCache cache;
    private final TextEmbedder embedder;

    TrainedTextClassifier(TextClassifierImpl classifier, FeatureCache cache, TextEmbedder embedder, TrainingRun run) {
        this.classifier = classifier;
        this.cache = cache;
        this.embedder = embedder;
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

    /** The backbone's feature vectors of {@code texts} (through the feature cache: computed once per text list). */
    public List<float[]> features(List<String> texts) {
        return java.util.Arrays.asList(cache.features(embedder, texts, "features",
                Collections.<dev.nnsdk.training.listener.TrainingListener>emptyList()));
    }

    /** Scores the classifier on another labelled dataset (features through the feature cache). */
    public ClassificationMetrics evaluate(TextDataset data) {
        if (data.size() == 0) {
            throw new dev.nnsdk.InvalidInputException("Dataset " + data.name() + " has no examples");
        }
        List<String> labels = labels();
        int[] truth = new int[data.size()];
        int[] pred = new int[data.size()];
        float[][] features = cache.features(embedder, data.texts(), "evaluate",
                Collections.<dev.nnsdk.training.listener.TrainingListener>emptyList());
        for (int i = 0; i < truth.length; i++) {
            dev.nnsdk.training.data.TextExample e = data.examples().get(i);
            truth[i] = labels.indexOf(e.label());
            if (truth[i] < 0) {
                throw new dev.nnsdk.InvalidInputException(e.source() + ": label '" + e.label()
                        + "' is not one the model predicts " + labels);
            }
            pred[i] = Head.argmax(classifier.head().logits(features[i]));
        }
        return ClassificationMetrics.compute(truth, pred, labels);
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
