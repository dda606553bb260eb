package dev.nnsdk.training.metrics;

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
}
