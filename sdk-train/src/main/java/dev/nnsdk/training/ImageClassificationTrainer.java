package dev.nnsdk.training;

import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.io.TrainingRun;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.image.Image;
import dev.nnsdk.inference.ImageClassifier;
import dev.nnsdk.SdkSettings;
import dev.nnsdk.repository.BackboneRef;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.training.data.Augmentation;
import dev.nnsdk.training.data.ImageDataset;
import dev.nnsdk.training.data.ImageExample;
import dev.nnsdk.training.internal.HeadRun;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Trains a classification head on the {@code features} output of a frozen image backbone. Obtain
 * one with {@link FineTuning#imageClassification()}; every setting but {@link HeadTraining#train(Object) train(ImageDataset)}
 * has a default (backbone {@code mobilenet-v2-nsfw}, 10% stratified validation split, the auto head (tuned linear or MLP, the best on validation),
 * no augmentation, {@link TrainingConfig#defaults()}).
 *
 * <pre>{@code
 * try (TrainedImageClassifier clf = FineTuning.imageClassification()
 *         .backbone("mobilenet-v2-nsfw")                      // its "features" output, frozen
 *         .train(ImageDataset.read(Path.of("photos/train")))    // one sub-folder per class
 *         .augmentation(Augmentation.parse("flip,rotation=10,copies=2"))
 *         .fit()) {
 *     clf.save(Path.of("out/photos"));
 * }
 * }</pre>
 *
 * <p>The backbone runs once per image (and once per augmented copy); features are cached in
 * memory and on disk, keyed by the backbone's checksums, its preprocessing, the engine and each
 * image's content hash plus its augmentation. Unreadable images are skipped with a warning naming
 * them ({@link ImageDataset#readable()}). With a checkpoint directory the state after every epoch
 * is saved and {@link #resume(boolean) resume} continues from it.
 */
public final class ImageClassificationTrainer extends HeadTraining<ImageClassificationTrainer, ImageClassifier, ImageDataset> {
    private Augmentation augmentation = Augmentation.none();

    ImageClassificationTrainer() {
        super("mobilenet-v2-nsfw");
    }

    @Override
    ImageClassificationTrainer self() {
        return this;
    }

    @Override
    String idOf(ImageClassifier classifier) {
        return classifier.descriptor().id();
    }

    /**
     * Random flips / rotations / shifts / zooms: each training image is used as it is plus
     * {@link Augmentation#copies()} augmented copies, each through the backbone once (seeded, so
     * cached and reproducible). Validation images are never augmented.
     */
    public ImageClassificationTrainer optAugmentation(Augmentation augmentation) {
        this.augmentation = Objects.requireNonNull(augmentation, "augmentation");
        return this;
    }

    /** @deprecated renamed optAugmentation; kept for existing callers. */
    @Deprecated
    public ImageClassificationTrainer augmentation(Augmentation augmentation) {
        return optAugmentation(augmentation);
    }

    /** Extracts features (once), trains, and returns the classifier with the kept epoch's head. */
    public TrainedImageClassifier fit() {
        dev.nnsdk.djl.DjlSystemProperties.apply();
        if (train == null) {
            throw new IllegalStateException("No training data: call train(...) before fit()");
        }
        ImageDataset all = train.requireTrainable().readable();
        ImageDataset trainPart = all;
        ImageDataset validPart = validation == null ? null : validation.readable();
        if (validPart == null) {
            ImageDataset.Split s = all.stratifiedSplit(validationFraction, config.seed());
            trainPart = s.train();
            validPart = s.validation();
        }
        trainPart.requireTrainable();
        requireValidationExamples(all.name(), validPart.name(), validPart.size(), all.counts());
        List<String> labels = trainPart.labels();
        int[] yValid = indices(validPart, labels, "validation");
        ImageClassifier bb = sharedBackbone != null ? new SharedImageClassifier(sharedBackbone)
                : ImageClassifier.load(backbone, options);
        try {
            ModelDescriptor bd = bb.descriptor();
            if (bd.image() == null || bd.image().featuresOutput() == null) {
                throw new InvalidInputException("Backbone '" + bd.id() + "' names no features output (descriptor field "
                        + "image.features), so there is nothing to train a head on");
            }
            TrainingInputs in = trainingInputs(trainPart, labels);
            float[][] xTrain = cache.features(bb, in.keys, in::load, "train", listeners);
            List<String> validKeys = new ArrayList<String>(validPart.size());
            for (ImageExample e : validPart.examples()) {
                validKeys.add(e.contentKey());
            }
            List<ImageExample> validExamples = validPart.examples();
            float[][] xValid = cache.features(bb, validKeys, i -> validExamples.get(i).load(), "validation", listeners);
            BackboneRef ref = HeadRun.backboneRef(bd, backbone, sharedBackbone != null);
            Map<String, Object> identity = HeadRun.identity(config, head, labels, ref, bb.engine(), trainPart.sha256(),
                    validPart.sha256());
            identity.put("augmentation", augmentation.toMap());
            HeadRun.Result r = HeadRun.train(config, head, xTrain, in.labels, xValid, yValid, labels, listeners,
                    checkpointDir, resume, identity);
            Map<String, Object> data = new LinkedHashMap<String, Object>();
            data.put("train", HeadRun.dataset(trainPart.name(), trainPart.size(), trainPart.sha256(), trainPart.counts()));
            data.put("validation", HeadRun.dataset(validPart.name(), validPart.size(), validPart.sha256(), validPart.counts()));
            Map<String, Object> info = HeadRun.info(ModelDescriptor.IMAGE_CLASSIFICATION, config, r.head, labels, data,
                    r.state, ref, bb.engine(), trainPart.sha256(), validPart.sha256());
            if (r.tuning != null) {
                info.put("fit", r.tuning);        // solver, L2 search or auto head search, feature statistics
            }
            info.put("augmentation", augmentation.toMap());
            ImageClassifier clf = ImageClassifier.withHead(bb, r.best, labels, bd);
            return new TrainedImageClassifier(clf, r.best, cache, bb, new TrainingRun(r.head, labels, ref, bd, r.history,
                    r.state.bestEpoch, r.state.stoppedEarly, r.validation, info));
        } catch (RuntimeException e) {
            bb.close();
            throw e;
        }
    }

    /** The training images plus their augmented copies, with cache keys and labels. */
    private final class TrainingInputs {
        final List<String> keys = new ArrayList<String>();
        final List<ImageExample> examples = new ArrayList<ImageExample>();
        final List<Integer> copies = new ArrayList<Integer>();
        int[] labels;

        Image load(int i) {
            Image im = examples.get(i).load();
            int c = copies.get(i);
            if (c == 0) {
                return im;
            }
            return augmentation.apply(im, new Random(config.seed() * 1_000_003L + 7919L * i + c));
        }
    }

    private TrainingInputs trainingInputs(ImageDataset d, List<String> labels) {
        TrainingInputs in = new TrainingInputs();
        int[] y = indices(d, labels, "training");
        int copies = augmentation.enabled() ? augmentation.copies() : 0;
        List<Integer> ys = new ArrayList<Integer>();
        String aug = augmentation.toMap().toString() + " seed " + config.seed();
        for (int i = 0; i < d.size(); i++) {
            ImageExample e = d.examples().get(i);
            for (int c = 0; c <= copies; c++) {
                int index = in.examples.size();
                in.examples.add(e);
                in.copies.add(c);
                in.keys.add(c == 0 ? e.contentKey() : e.contentKey() + " | " + aug + " | input " + index + " copy " + c);
                ys.add(y[i]);
            }
        }
        in.labels = new int[ys.size()];
        for (int i = 0; i < in.labels.length; i++) {
            in.labels[i] = ys.get(i);
        }
        return in;
    }

    static int[] indices(ImageDataset d, List<String> labels, String role) {
        int[] y = new int[d.size()];
        for (int i = 0; i < y.length; i++) {
            ImageExample e = d.examples().get(i);
            y[i] = labels.indexOf(e.label());
            if (y[i] < 0) {
                throw new InvalidInputException(e.source() + ": " + role + " label '" + e.label()
                        + "' does not occur in the training data " + labels);
            }
        }
        return y;
    }

    /** A borrowed classifier: close() does nothing, the owner closes it. */
    private static final class SharedImageClassifier implements ImageClassifier {
        private final ImageClassifier delegate;

        SharedImageClassifier(ImageClassifier delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<dev.nnsdk.inference.Classification> classify(Image image, int k) {
            return delegate.classify(image, k);
        }

        @Override
        public List<dev.nnsdk.inference.Classification> classify(Path imageFile, int k) {
            return delegate.classify(imageFile, k);
        }

        @Override
        public List<List<dev.nnsdk.inference.Classification>> classifyAll(List<Image> images, int k) {
            return delegate.classifyAll(images, k);
        }

        @Override
        public float[] features(Image image) {
            return delegate.features(image);
        }

        @Override
        public List<float[]> featuresAll(List<Image> images) {
            return delegate.featuresAll(images);
        }

        @Override
        public List<String> labels() {
            return delegate.labels();
        }

        @Override
        public ModelDescriptor descriptor() {
            return delegate.descriptor();
        }

        @Override
        public String engine() {
            return delegate.engine();
        }

        @Override
        public void close() {
        }
    }
}
