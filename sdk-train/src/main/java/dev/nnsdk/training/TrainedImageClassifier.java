package dev.nnsdk.training;

import dev.nnsdk.image.Image;
import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.ImageClassifier;
import dev.nnsdk.internal.Head;
import dev.nnsdk.internal.ImageHeadClassifier;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.training.data.ImageDataset;
import dev.nnsdk.training.internal.FeatureCache;
import dev.nnsdk.training.internal.HeadEvaluation;
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
public final class TrainedImageClassifier implements ImageClassifier {
    private final ImageHeadClassifier classifier;
    private final TrainingRun run;
    private final FeatureCache cache;
    private final ImageClassifier backbone;

    TrainedImageClassifier(ImageHeadClassifier classifier, FeatureCache cache, ImageClassifier backbone, TrainingRun run) {
        this.classifier = classifier;
        this.cache = cache;
        this.backbone = backbone;
        this.run = run;
    }

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

    /** The trained head (plain Java). */
    public Head head() {
        return classifier.head();
    }

    /** Training configuration, datasets, augmentation and provenance, as written to {@code training.json}. */
    public Map<String, Object> trainingInfo() {
        return run.info;
    }

    /**
     * Scores the classifier on another labelled dataset (features through the feature cache, so a
     * second evaluation of the same images does not run the backbone again). Unreadable images are
     * skipped with a warning.
     */
    public ClassificationMetrics evaluate(ImageDataset data) {
        return HeadEvaluation.images(classifier.head(), labels(), backbone, data, cache);
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

    /**
     * Class probabilities of every readable image of a dataset, in dataset order (unreadable
     * images are skipped with a warning, as in training), with the backbone's features through the
     * feature cache.
     */
    public List<float[]> probabilities(ImageDataset data) {
        float[][] f = HeadEvaluation.features(backbone, data.readable(), cache);
        List<float[]> out = new java.util.ArrayList<float[]>(f.length);
        for (float[] row : f) {
            out.add(classifier.head().probabilities(row));
        }
        return out;
    }

    /** Class probabilities of each image, in input order. */
    public List<float[]> probabilities(List<Image> images) {
        return classifier.probabilities(images);
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
        classifier.close();
    }
}
