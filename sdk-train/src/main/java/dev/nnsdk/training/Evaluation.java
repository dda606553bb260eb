package dev.nnsdk.training;

import dev.nnsdk.training.metrics.ClassificationMetrics;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.TextClassifier;
import dev.nnsdk.training.data.TextDataset;
import dev.nnsdk.training.data.TextExample;

import java.util.List;

/**
 * Scores a classifier on a labelled dataset.
 *
 * <pre>{@code
 * ClassificationMetrics m = Evaluation.evaluate(classifier, Datasets.read(Path.of("test.jsonl")));
 * }</pre>
 */
public final class Evaluation {
    private Evaluation() {
    }

    /** Classifies every text and compares with its label; a label the model does not know is an error naming its line. */
    public static ClassificationMetrics evaluate(TextClassifier classifier, TextDataset data) {
        if (data.size() == 0) {
            throw new InvalidInputException("Dataset " + data.name() + " has no examples");
        }
        List<String> labels = classifier.labels();
        int[] truth = new int[data.size()];
        for (int i = 0; i < truth.length; i++) {
            TextExample e = data.examples().get(i);
            truth[i] = labels.indexOf(e.label());
            if (truth[i] < 0) {
                throw new InvalidInputException(e.source() + ": label '" + e.label() + "' is not one the model predicts "
                        + labels);
            }
        }
        List<Classification> pred = classifier.classifyAll(data.texts());
        int[] p = new int[pred.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = pred.get(i).index();
        }
        return ClassificationMetrics.compute(truth, p, labels);
    }

    /**
     * Scores a saved classifier directory on a labelled dataset, with the backbone's features
     * taken from (and added to) the feature cache: the same numbers as
     * {@code evaluate(TextClassifier.load(dir, options), data)}, but each text is embedded once across runs.
     */
    public static ClassificationMetrics evaluate(java.nio.file.Path modelDir, TextDataset data, dev.nnsdk.ModelOptions options) {
        return evaluate(modelDir, data, options, java.util.Collections.<dev.nnsdk.training.listener.TrainingListener>emptyList());
    }

    /** As {@link #evaluate(java.nio.file.Path, TextDataset, dev.nnsdk.ModelOptions)}, reporting feature extraction to the listeners (e.g. a progress bar). */
    public static ClassificationMetrics evaluate(java.nio.file.Path modelDir, TextDataset data, dev.nnsdk.ModelOptions options,
                                                 List<dev.nnsdk.training.listener.TrainingListener> listeners) {
        if (data.size() == 0) {
            throw new InvalidInputException("Dataset " + data.name() + " has no examples");
        }
        dev.nnsdk.repository.ModelDescriptor d = dev.nnsdk.repository.ModelRepository.resolve(modelDir);
        if (d.head() == null) {
            throw new InvalidInputException(modelDir + " is not a fine-tuned classifier (its model.json has no head)");
        }
        if (dev.nnsdk.repository.HeadSpec.IN_MODEL.equals(d.head().type())) {
            // an export-onnx file: the model computes the probabilities itself (no features to cache)
            try (TextClassifier clf = TextClassifier.load(d, options)) {
                return evaluate(clf, data);
            }
        }
        dev.nnsdk.format.HeadWeights head = dev.nnsdk.format.HeadWeights.read(d.head());
        List<String> labels = d.head().labels();
        int[] truth = new int[data.size()];
        for (int i = 0; i < truth.length; i++) {
            TextExample e = data.examples().get(i);
            truth[i] = labels.indexOf(e.label());
            if (truth[i] < 0) {
                throw new InvalidInputException(e.source() + ": label '" + e.label() + "' is not one the model predicts "
                        + labels);
            }
        }
        float[][] features;
        try (dev.nnsdk.inference.TextEmbedder embedder = dev.nnsdk.inference.TextEmbedder.load(d, options)) {
            features = new dev.nnsdk.training.internal.FeatureCache().features(embedder, data.texts(), "evaluate", listeners);
        }
        int[] p = new int[truth.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = dev.nnsdk.format.HeadWeights.argmax(head.logits(features[i]));
        }
        return ClassificationMetrics.compute(truth, p, labels);
    }

    /**
     * Scores a saved image classifier directory on a labelled image dataset, with the backbone's
     * features taken from (and added to) the feature cache. Unreadable images are skipped with a
     * warning naming them.
     */
    public static ClassificationMetrics evaluate(java.nio.file.Path modelDir, dev.nnsdk.training.data.ImageDataset data,
                                                 dev.nnsdk.ModelOptions options) {
        return evaluate(modelDir, data, options, java.util.Collections.<dev.nnsdk.training.listener.TrainingListener>emptyList());
    }

    /** As {@link #evaluate(java.nio.file.Path, dev.nnsdk.training.data.ImageDataset, dev.nnsdk.ModelOptions)}, with listeners. */
    public static ClassificationMetrics evaluate(java.nio.file.Path modelDir, dev.nnsdk.training.data.ImageDataset data,
                                                 dev.nnsdk.ModelOptions options, List<dev.nnsdk.training.listener.TrainingListener> listeners) {
        dev.nnsdk.repository.ModelDescriptor d = dev.nnsdk.repository.ModelRepository.resolve(modelDir);
        if (d.head() == null && d.image() != null && d.image().scoresOutput() != null && !d.image().labels().isEmpty()) {
            return scoredImages(d, data, options);    // an export-onnx file or any classifier with its own scores
        }
        if (d.head() == null || d.image() == null) {
            throw new InvalidInputException(modelDir + " is not a fine-tuned image classifier (its model.json has "
                    + (d.head() == null ? "no head" : "no image backbone") + ")");
        }
        dev.nnsdk.format.HeadWeights head = dev.nnsdk.format.HeadWeights.read(d.head());
        try (dev.nnsdk.inference.ImageClassifier backbone = dev.nnsdk.inference.ImageClassifier.load(d, options)) {
            return dev.nnsdk.training.internal.HeadEvaluation.images(head, d.head().labels(), backbone, data,
                    new dev.nnsdk.training.internal.FeatureCache(), listeners);
        }
    }

    /** A model whose output already is the class scores ({@code image.scores}, {@code image.labels}). */
    private static ClassificationMetrics scoredImages(dev.nnsdk.repository.ModelDescriptor d,
                                                      dev.nnsdk.training.data.ImageDataset data, dev.nnsdk.ModelOptions options) {
        dev.nnsdk.training.data.ImageDataset readable = data.readable();
        if (readable.size() == 0) {
            throw new InvalidInputException("Dataset " + data.name() + " has no examples");
        }
        try (dev.nnsdk.inference.ImageClassifier clf = dev.nnsdk.inference.ImageClassifier.load(d, options)) {
            List<String> labels = clf.labels();
            int[] truth = new int[readable.size()];
            int[] pred = new int[truth.length];
            for (int i = 0; i < truth.length; i++) {
                dev.nnsdk.training.data.ImageExample e = readable.examples().get(i);
                truth[i] = labels.indexOf(e.label());
                if (truth[i] < 0) {
                    throw new InvalidInputException(e.source() + ": label '" + e.label() + "' is not one the model predicts "
                            + labels);
                }
                pred[i] = clf.classify(e.load(), 1).get(0).index();
            }
            return ClassificationMetrics.compute(truth, pred, labels);
        }
    }
}
