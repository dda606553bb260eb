package dev.nnsdk.training;

import dev.nnsdk.training.config.BackboneTraining;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.io.TrainingRun;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ModelRepository;
import dev.nnsdk.training.internal.BackboneRun;
import dev.nnsdk.training.internal.FeatureCache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

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
 *
 * <p>With {@link #optBackboneTraining} the backbone's top blocks (or all of it) train too, end to end on DJL PyTorch
 * (a TorchScript backbone); images are then decoded one micro-batch at a time in every epoch, and the saved directory
 * holds the trained backbone ({@code backbone.pt}).
 */
public final class ImageClassificationTrainer extends HeadTraining<ImageClassificationTrainer, ImageClassifier, ImageDataset> {
    private Augmentation augmentation = Augmentation.none();
    private BackboneTraining backboneTraining = BackboneTraining.none();

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
     * cached and reproducible). Validation images are never augmented. With {@link #optBackboneTraining} the
     * copies are not precomputed: every training image is transformed afresh each epoch (seeded by the seed, the
     * epoch and the image), and {@code copies} must stay at its default.
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

    /**
     * Trains the backbone too ({@link BackboneTraining}: which blocks, learning rates, clipping, accumulation,
     * BatchNorm); default {@code none}: a head on the frozen backbone's cached features. Needs a TorchScript backbone
     * (engine {@code djl}); the head is linear; augmentation, if set, is drawn afresh each epoch.
     */
    public ImageClassificationTrainer optBackboneTraining(BackboneTraining training) {
        this.backboneTraining = Objects.requireNonNull(training, "training");
        return this;
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
        if (backboneTraining.enabled()) {
            return fitBackbone(trainPart, validPart, labels, yValid);
        }
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

    /** Backbone + head end to end ({@link BackboneRun#trainImages}). */
    private TrainedImageClassifier fitBackbone(ImageDataset trainPart, ImageDataset validPart, List<String> labels,
                                               int[] yValid) {
        if (augmentation.enabled() && augmentation.copies() != 1) {
            throw new InvalidInputException("With --train-backbone, --augment transforms every training image afresh "
                    + "each epoch, so copies=" + augmentation.copies() + " does not apply; drop copies (or train more "
                    + "epochs)");
        }
        dev.nnsdk.training.head.Head head = backboneTrainingHead();
        ModelDescriptor bd = sharedBackbone != null ? sharedBackbone.descriptor() : ModelRepository.resolve(backbone);
        Artifact pt = BackboneRun.trainableImageArtifact(bd, backbone, options.engine());
        BackboneRef ref = HeadRun.backboneRef(bd, backbone, sharedBackbone != null);
        Map<String, Object> identity = HeadRun.identity(config, head, labels, ref, "djl", trainPart.sha256(),
                validPart.sha256());
        identity.put("backboneTraining", backboneTraining.toMap());
        if (augmentation.enabled()) {
            identity.put("augmentation", augmentation.toMap());
        }
        int[] yTrain = indices(trainPart, labels, "training");
        Path module;
        try {
            module = Files.createTempFile("nnsdk-trained-backbone-", ".pt");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary file for the trained backbone: " + e.getMessage(), e);
        }
        ImageClassifier clf = null;
        try {
            BackboneRun.Result r = BackboneRun.trainImages(bd, pt, backboneTraining, config, trainPart.examples(), yTrain,
                    validPart.examples(), yValid, labels, listeners, checkpointDir, resume, identity, module,
                    probeFeatures(bd, trainPart, validPart), augmentation);
            String sha = Checksums.sha256(module);
            ModelDescriptor trained = ModelDescriptor.builder().setId(bd.id() + "-fine-tuned").setTask(bd.task())
                    .addArtifact(ModelFormat.TORCHSCRIPT, new Artifact(module, sha))
                    .optInputNames(bd.inputNames()).optOutputNames(bd.outputNames()).optImage(bd.image()).build();
            ImageClassifier trainedBackbone = ImageClassifier.load(trained, options.toBuilder().optEngine("djl").build());
            clf = trainedBackbone;
            clf = ImageClassifier.withHead(trainedBackbone, r.head, labels, trained);    // owns the backbone from here
            Map<String, Object> data = new LinkedHashMap<String, Object>();
            data.put("train", HeadRun.dataset(trainPart.name(), trainPart.size(), trainPart.sha256(), trainPart.counts()));
            data.put("validation", HeadRun.dataset(validPart.name(), validPart.size(), validPart.sha256(), validPart.counts()));
            Map<String, Object> info = HeadRun.info(ModelDescriptor.IMAGE_CLASSIFICATION, config, head, labels, data,
                    r.state, ref, "djl", trainPart.sha256(), validPart.sha256());
            info.put("backboneTraining", r.info);
            if (augmentation.enabled()) {
                info.put("augmentation", augmentation.toMap());
            }
            HeadRun.summariseTrainedBackbone(info, r.info, sha);
            return new TrainedImageClassifier(clf, r.head, new FeatureCache(SdkSettings.cacheDir().resolve("features"),
                    false), trainedBackbone, new TrainingRun(head, labels, ref, trained, r.history, r.state.bestEpoch,
                    r.state.stoppedEarly, r.validation, info, module, 0), module);
        } catch (IOException e) {
            HeadRun.cleanUp(clf, module);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            HeadRun.cleanUp(clf, module);
            throw e;
        }
    }

    /**
     * The linear probe's frozen features are exactly what frozen-head training computes: take them from the feature
     * cache (computed once by the backbone's ONNX file when it has one and ONNX Runtime is present, else by djl).
     */
    private BackboneRun.ProbeFeatures probeFeatures(ModelDescriptor bd, ImageDataset trainPart, ImageDataset validPart) {
        boolean onnx = bd.artifacts().containsKey(ModelFormat.ONNX) && HeadRun.engineAvailable("onnx");
        ModelOptions o = options.toBuilder().optEngine(onnx ? "onnx" : "djl").build();
        return new BackboneRun.ProbeFeatures(() -> frozenFeatures(bd, o, trainPart, "train"),
                () -> frozenFeatures(bd, o, validPart, "validation"),
                "the frozen backbone on engine " + o.engine() + " (feature cache)");
    }

    private float[][] frozenFeatures(ModelDescriptor bd, ModelOptions o, ImageDataset d, String phase) {
        List<String> keys = new ArrayList<String>(d.size());
        for (ImageExample e : d.examples()) {
            keys.add(e.contentKey());
        }
        List<ImageExample> examples = d.examples();
        try (ImageClassifier e = sharedBackbone != null && o.engine().equals(sharedBackbone.engine())
                ? new SharedImageClassifier(sharedBackbone) : ImageClassifier.load(bd, o)) {
            return cache.features(e, keys, i -> examples.get(i).load(), phase, listeners);
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
