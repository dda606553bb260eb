package dev.nnsdk.training;

import dev.nnsdk.training.io.TrainingRun;

import dev.nnsdk.image.Image;
import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.ImageClassifier;
import dev.nnsdk.format.HeadWeights;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.training.data.ImageDataset;
import dev.nnsdk.training.internal.FeatureCache;
import dev.nnsdk.training.internal.HeadEvaluation;
import dev.nnsdk.training.metrics.ClassificationMetrics;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of {@link ImageClassificationTrainer#fit()}: a ready {@link ImageClassifier} (frozen
 * backbone + the kept epoch's head) that also knows how it was trained and can be saved.
 *
 * <pre>{@code
 * try (TrainedImageClassifier clf = FineTuning.imageClassification()...fit()) {
 *     System.out.println(clf.validationMetrics().accuracy());
 *     clf.save(Path.of("out/fashion"));       // ImageClassifier.load(Path.of("out/fashion")) on either engine
 * }
 * }</pre>
 */
public final class TrainedImageClassifier extends TrainedHead implements ImageClassifier {
    private final ImageClassifier classifier;
    private final HeadWeights head;
    private final FeatureCache cache;
    private final ImageClassifier backbone;
    /** A file this classifier owns (the trained backbone module before it is saved), deleted on close; or null. */
    private final Path owned;

    TrainedImageClassifier(ImageClassifier classifier, HeadWeights head, FeatureCache cache, ImageClassifier backbone, TrainingRun run) {
        this(classifier, head, cache, backbone, run, null);
    }

    TrainedImageClassifier(ImageClassifier classifier, HeadWeights head, FeatureCache cache, ImageClassifier backbone,
                           TrainingRun run, Path owned) {
        super(run);
        this.owned = owned;
        this.classifier = classifier;
        this.head = head;
        this.cache = cache;
        this.backbone = backbone;
    }

    @Override
    public HeadWeights head() {
        return head;
    }

    /**
     * Scores the classifier on another labelled dataset (features through the feature cache, so a
     * second evaluation of the same images does not run the backbone again). Unreadable images are
     * skipped with a warning.
     */
    public ClassificationMetrics evaluate(ImageDataset data) {
        return HeadEvaluation.images(head, labels(), backbone, data, cache);
    }

    /**
     * Class probabilities of every readable image of a dataset, in dataset order (unreadable
     * images are skipped with a warning, as in training), with the backbone's features through the
     * feature cache.
     */
    public List<float[]> probabilities(ImageDataset data) {
        float[][] f = HeadEvaluation.features(backbone, data.readable(), cache);
        List<float[]> out = new java.util.ArrayList<float[]>(f.length);
        for (float[] row : f) {
            out.add(head.probabilities(row));
        }
        return out;
    }

    /** Class probabilities of each image, in input order. */
    public List<float[]> probabilities(List<Image> images) {
        List<float[]> out = new java.util.ArrayList<float[]>(images.size());
        for (float[] f : classifier.featuresAll(images)) {
            out.add(head.probabilities(f));
        }
        return out;
    }

    @Override
    public List<Classification> classify(Image image, int k) {
        return classifier.classify(image, k);
    }

    @Override
    public List<Classification> classify(Path imageFile, int k) {
        return classifier.classify(imageFile, k);
    }

    @Override
    public List<List<Classification>> classifyAll(List<Image> images, int k) {
        return classifier.classifyAll(images, k);
    }

    @Override
    public float[] features(Image image) {
        return classifier.features(image);
    }

    @Override
    public List<float[]> featuresAll(List<Image> images) {
        return classifier.featuresAll(images);
    }

    @Override
    public List<String> labels() {
        return classifier.labels();
    }

    @Override
    public ModelDescriptor descriptor() {
        return classifier.descriptor();
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
