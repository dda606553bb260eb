package dev.nnsdk.training;

import dev.nnsdk.training.io.TrainingRun;

import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.TextClassifier;
import dev.nnsdk.format.HeadWeights;
import dev.nnsdk.training.data.TextDataset;
import dev.nnsdk.training.metrics.ClassificationMetrics;
import dev.nnsdk.training.internal.FeatureCache;
import dev.nnsdk.inference.TextEmbedder;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

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
public final class TrainedTextClassifier extends TrainedHead implements TextClassifier {
    private final TextClassifier classifier;
    private final HeadWeights head;
    private final FeatureCache cache;
    private final TextEmbedder embedder;

    /** A file this classifier owns (the trained backbone module before it is saved), deleted on close; or null. */
    private final java.nio.file.Path owned;

    TrainedTextClassifier(TextClassifier classifier, HeadWeights head, FeatureCache cache, TextEmbedder embedder, TrainingRun run) {
        this(classifier, head, cache, embedder, run, null);
    }

    TrainedTextClassifier(TextClassifier classifier, HeadWeights head, FeatureCache cache, TextEmbedder embedder, TrainingRun run,
                          java.nio.file.Path owned) {
        super(run);
        this.owned = owned;
        this.classifier = classifier;
        this.head = head;
        this.cache = cache;
        this.embedder = embedder;
    }

    @Override
    public HeadWeights head() {
        return head;
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
            pred[i] = HeadWeights.argmax(head.logits(features[i]));
        }
        return ClassificationMetrics.compute(truth, pred, labels);
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
        try {
            classifier.close();
        } finally {
            deleteOwned(owned);
        }
    }
}
