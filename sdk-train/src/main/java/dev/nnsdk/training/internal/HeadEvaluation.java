package dev.nnsdk.training.internal;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.inference.ImageClassifier;
import dev.nnsdk.format.HeadWeights;
import dev.nnsdk.training.data.ImageDataset;
import dev.nnsdk.training.data.ImageExample;
import dev.nnsdk.training.listener.TrainingListener;
import dev.nnsdk.training.metrics.ClassificationMetrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Scores a head on a labelled image dataset, with the backbone's features through the feature cache. */
public final class HeadEvaluation {
    private HeadEvaluation() {
    }

    /** Unreadable images are skipped with a warning; a label the head does not predict is an error naming the image. */
    public static ClassificationMetrics images(HeadWeights head, List<String> labels, ImageClassifier backbone, ImageDataset data,
                                              FeatureCache cache) {
        ImageDataset d = data.readable();
        if (d.size() == 0) {
            throw new InvalidInputException("Dataset " + data.name() + " has no examples");
        }
        int[] truth = new int[d.size()];
        for (int i = 0; i < truth.length; i++) {
            ImageExample e = d.examples().get(i);
            truth[i] = labels.indexOf(e.label());
            if (truth[i] < 0) {
                throw new InvalidInputException(e.source() + ": label '" + e.label() + "' is not one the model predicts "
                        + labels);
            }
        }
        float[][] features = features(backbone, d, cache);
        int[] pred = new int[truth.length];
        for (int i = 0; i < pred.length; i++) {
            pred[i] = HeadWeights.argmax(head.logits(features[i]));
        }
        return ClassificationMetrics.compute(truth, pred, labels);
    }

    /** The backbone features of every example of {@code d} (already {@link ImageDataset#readable() readable}), cached. */
    public static float[][] features(ImageClassifier backbone, ImageDataset d, FeatureCache cache) {
        List<String> keys = new ArrayList<String>(d.size());
        for (ImageExample e : d.examples()) {
            keys.add(e.contentKey());
        }
        List<ImageExample> examples = d.examples();
        return cache.features(backbone, keys, i -> examples.get(i).load(), "features",
                Collections.<TrainingListener>emptyList());
    }
}
