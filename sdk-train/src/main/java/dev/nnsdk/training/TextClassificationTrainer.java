package dev.nnsdk.training;

import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.io.TrainingRun;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.inference.TextClassifier;
import dev.nnsdk.inference.TextEmbedder;
import dev.nnsdk.SdkSettings;
import dev.nnsdk.repository.BackboneRef;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.training.data.PrecomputedFeatures;
import dev.nnsdk.training.data.TextDataset;
import dev.nnsdk.training.data.TextExample;
import dev.nnsdk.training.internal.HeadRun;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains a classification head on a frozen text backbone. Obtain one with
 * {@link FineTuning#textClassification()}; every setting but {@link HeadTraining#train(Object) train(TextDataset)} has a default
 * (backbone {@code all-minilm-l6-v2}, 10% stratified validation split, the {@link dev.nnsdk.training.head.Head#auto()
 * auto} head (tuned linear head or an MLP, whichever scores best on validation),
 * {@link TrainingConfig#defaults()}).
 *
 * <p>The backbone runs once per text (features are cached in memory and on disk); epochs run over
 * the cached features. With a checkpoint directory, the state after every epoch is saved there and
 * {@link #resume(boolean) resume} continues from it, ending with exactly the weights and metrics of
 * an uninterrupted run.
 *
 * <p>With {@link #optBackboneTraining} the backbone's layers train too (end to end, tokenised batches, on DJL
 * PyTorch); the saved directory then holds the trained backbone ({@code backbone.pt}) and exports to one ONNX file.
 */
public final class TextClassificationTrainer extends HeadTraining<TextClassificationTrainer, TextEmbedder, TextDataset> {
    private PrecomputedFeatures features;
    private dev.nnsdk.training.config.BackboneTraining backboneTraining = dev.nnsdk.training.config.BackboneTraining.none();
    /** -1: not set ({@link #DEFAULT_WINDOWS} where it applies, see {@link #optWindows}). */
    private int windows = -1;

    /**
     * The windows a long text is averaged over when {@link #optWindows} is not called, the trainer embeds the texts
     * itself with a frozen backbone, and at least one training text is longer than the backbone's maximum length.
     */
    public static final int DEFAULT_WINDOWS = 8;

    TextClassificationTrainer() {
        super("all-minilm-l6-v2");
    }

    @Override
    TextClassificationTrainer self() {
        return this;
    }

    @Override
    String idOf(TextEmbedder embedder) {
        return embedder.descriptor().id();
    }

    /**
     * Features of the training and validation texts computed elsewhere (e.g. on Spark with sdk-spark):
     * {@link #fit()} takes them instead of running the backbone on the texts.
     */
    public TextClassificationTrainer optFeatures(PrecomputedFeatures features) {
        this.features = Objects.requireNonNull(features, "features");
        return this;
    }

    /**
     * Trains the backbone too ({@link dev.nnsdk.training.config.BackboneTraining}: which layers, learning rates,
     * clipping, accumulation, max length); default {@code none}: a head on the frozen backbone's cached features.
     * Needs a TorchScript backbone (engine {@code djl}); the head is linear.
     */
    public TextClassificationTrainer optBackboneTraining(dev.nnsdk.training.config.BackboneTraining training) {
        this.backboneTraining = Objects.requireNonNull(training, "training");
        return this;
    }

    /**
     * How the frozen backbone embeds texts longer than its maximum length: 0 truncates them; {@code N >= 2} averages
     * the vectors of up to N consecutive windows ({@link dev.nnsdk.repository.TextSpec#windows()}). The saved model
     * keeps the setting, so {@code predict}, {@code evaluate} and its {@code export-onnx} file embed the same way. Not
     * with backbone training, a shared backbone or precomputed features. Default: {@value #DEFAULT_WINDOWS} when at
     * least one training text is longer than the backbone's maximum length (logged, recorded in the provenance as
     * {@code windows}), else 0; always 0 with backbone training, a shared backbone or precomputed features.
     */
    public TextClassificationTrainer optWindows(int windows) {
        if (windows < 0 || windows == 1 || windows > dev.nnsdk.repository.TextSpec.MAX_WINDOWS) {
            throw new InvalidInputException("--windows must be 0 (truncate) or 2.." + dev.nnsdk.repository.TextSpec.MAX_WINDOWS
                    + ", got " + windows);
        }
        this.windows = windows;
        return this;
    }

    /** Extracts features (once), trains, and returns the classifier with the best epoch's head. */
    public TrainedTextClassifier fit() {
        dev.nnsdk.djl.DjlSystemProperties.apply();
        if (train == null) {
            throw new IllegalStateException("No training data: call train(...) before fit()");
        }
        train.requireTrainable();
        TextDataset trainPart = train;
        TextDataset validPart = validation;
        if (validPart == null) {
            TextDataset.Split s = train.stratifiedSplit(validationFraction, config.seed());
            trainPart = s.train();
            validPart = s.validation();
        }
        trainPart.requireTrainable();
        requireValidationExamples(train.name(), validPart.name(), validPart.size(), train.counts());
        List<String> labels = trainPart.labels();
        int[] yTrain = indices(trainPart, labels, "training");
        int[] yValid = indices(validPart, labels, "validation");
        int windows = this.windows >= 0 ? this.windows : autoWindows(trainPart);
        if (windows >= 2 && (backboneTraining.enabled() || sharedBackbone != null || features != null)) {
            throw new InvalidInputException("Windows over long texts (--windows " + windows + ") apply to a head on a "
                    + "frozen backbone the trainer loads itself; not with "
                    + (backboneTraining.enabled() ? "backbone training (--train-backbone), which truncates at --max-length"
                    : sharedBackbone != null ? "a shared backbone" : "precomputed features"));
        }
        if (backboneTraining.enabled()) {
            return fitBackbone(trainPart, validPart, labels, yTrain, yValid);
        }

        TextEmbedder embedder = sharedBackbone != null ? new SharedEmbedder(sharedBackbone)
                : windows >= 2 ? TextEmbedder.load(withWindows(dev.nnsdk.repository.ModelRepository.resolve(backbone), windows),
                        options)
                : TextEmbedder.load(backbone, options);
        try {
            float[][] xTrain = features != null
                    ? features.lookup(trainPart.texts(), sources(trainPart), backbone, embedder.dimension(),
                            "texts of the training data " + train.name())
                    : cache.features(embedder, trainPart.texts(), "train", listeners);
            float[][] xValid = features != null
                    ? features.lookup(validPart.texts(), sources(validPart), backbone, embedder.dimension(),
                            "texts of " + (validation != null ? "the validation data " : "") + validPart.name())
                    : cache.features(embedder, validPart.texts(), "validation", listeners);
            ModelDescriptor bd = embedder.descriptor();
            BackboneRef ref = HeadRun.backboneRef(bd, backbone, sharedBackbone != null);
            HeadRun.Result r = HeadRun.train(config, head, xTrain, yTrain, xValid, yValid, labels, listeners, checkpointDir,
                    resume, HeadRun.identity(config, head, labels, ref, embedder.engine(), trainPart.sha256(),
                            validPart.sha256()));
            TextClassifier clf = TextClassifier.withHead(embedder, r.best, labels);
            Map<String, Object> data = new LinkedHashMap<String, Object>();
            data.put("train", dataset(trainPart));
            data.put("validation", dataset(validPart));
            Map<String, Object> info = HeadRun.info(ModelDescriptor.TEXT_CLASSIFICATION, config, r.head, labels, data,
                    r.state, ref, embedder.engine(), trainPart.sha256(), validPart.sha256());
            if (r.tuning != null) {
                info.put("fit", r.tuning);        // solver, L2 search or auto head search, feature statistics
            }
            info.put("windows", bd.text() == null ? 0 : bd.text().windows());
            return new TrainedTextClassifier(clf, r.best, cache, embedder, new TrainingRun(r.head, labels, ref, bd, r.history,
                    r.state.bestEpoch, r.state.stoppedEarly, r.validation, info));
        } catch (RuntimeException e) {
            embedder.close();
            throw e;
        }
    }

    /** {@code d} with {@code windows} set on its text pipeline. */
    private ModelDescriptor withWindows(ModelDescriptor d, int windows) {
        if (d.text() == null) {
            throw new InvalidInputException("Backbone '" + backbone + "' is not a text model");
        }
        return d.withText(d.text().toBuilder().optWindows(windows).build());
    }

    /**
     * The default of {@link #optWindows}: {@value #DEFAULT_WINDOWS} when the trainer embeds the texts itself with a
     * frozen backbone and some training text fills the backbone's maximum length (it would be truncated), else 0 (or
     * the backbone's own {@code text.windows}).
     */
    private int autoWindows(TextDataset trainPart) {
        if (backboneTraining.enabled() || sharedBackbone != null || features != null) {
            return 0;
        }
        ModelDescriptor d = dev.nnsdk.repository.ModelRepository.resolve(backbone);
        if (d.text() == null) {
            return 0;
        }
        if (d.text().windows() != 0) {
            return d.text().windows();
        }
        int max = d.text().maxLength();
        int longer = 0;
        dev.nnsdk.io.Checksums.verify(d.text().tokenizer().path(), d.text().tokenizer().sha256());
        try (dev.nnsdk.text.Tokenizer tok = dev.nnsdk.text.Tokenizers.create(d.text().tokenizer().path(), max)) {
            List<String> texts = new java.util.ArrayList<String>(trainPart.size());
            for (String t : trainPart.texts()) {
                String c = t == null ? "" : t;
                texts.add(d.text().lowerCase() ? c.toLowerCase(java.util.Locale.ROOT) : c);
            }
            for (dev.nnsdk.text.Encoding e : tok.encodeAll(texts)) {
                longer += e.length() >= max ? 1 : 0;
            }
        }
        if (longer == 0) {
            return 0;
        }
        org.slf4j.LoggerFactory.getLogger(TextClassificationTrainer.class).info("{} of {} training texts are longer than "
                + "the backbone's {} word pieces: each text is embedded as the mean of up to {} consecutive windows "
                + "(kept in the saved model; --windows 0 / optWindows(0) truncates instead)", longer, trainPart.size(),
                max, DEFAULT_WINDOWS);
        return DEFAULT_WINDOWS;
    }

    /** Backbone + head end to end ({@link dev.nnsdk.training.internal.BackboneRun}). */
    private TrainedTextClassifier fitBackbone(TextDataset trainPart, TextDataset validPart, List<String> labels, int[] yTrain,
                                              int[] yValid) {
        if (features != null) {
            throw new InvalidInputException("Precomputed features and backbone training exclude each other: the "
                    + "backbone's features change while it trains");
        }
        dev.nnsdk.training.head.Head head = backboneTrainingHead();
        ModelDescriptor bd = sharedBackbone != null ? sharedBackbone.descriptor()
                : dev.nnsdk.repository.ModelRepository.resolve(backbone);
        dev.nnsdk.repository.Artifact pt = dev.nnsdk.training.internal.BackboneRun.trainableArtifact(bd, backbone,
                options.engine());
        BackboneRef ref = HeadRun.backboneRef(bd, backbone, sharedBackbone != null);
        Map<String, Object> identity = HeadRun.identity(config, head, labels, ref, "djl", trainPart.sha256(),
                validPart.sha256());
        identity.put("backboneTraining", backboneTraining.toMap());
        java.nio.file.Path module;
        try {
            module = java.nio.file.Files.createTempFile("nnsdk-trained-backbone-", ".pt");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot create a temporary file for the trained backbone: "
                    + e.getMessage(), e);
        }
        TextEmbedder embedder = null;
        try {
            dev.nnsdk.training.internal.BackboneRun.Result r = dev.nnsdk.training.internal.BackboneRun.train(bd, pt,
                    backboneTraining, config, trainPart.texts(), yTrain, validPart.texts(), yValid, labels, listeners,
                    checkpointDir, resume, identity, module, probeFeatures(bd, trainPart, validPart));
            String sha = dev.nnsdk.io.Checksums.sha256(module);
            ModelDescriptor trained = ModelDescriptor.builder().setId(bd.id() + "-fine-tuned")
                    .setTask(ModelDescriptor.TEXT_EMBEDDING)
                    .addArtifact(dev.nnsdk.engine.ModelFormat.TORCHSCRIPT, new dev.nnsdk.repository.Artifact(module, sha))
                    .optInputNames(bd.inputNames()).optOutputNames(bd.outputNames())
                    .optText(bd.text().toBuilder().optMaxLength(r.maxLength).build()).build();
            embedder = TextEmbedder.load(trained, options.toBuilder().optEngine("djl").build());
            TextClassifier clf = TextClassifier.withHead(embedder, r.head, labels);
            Map<String, Object> data = new LinkedHashMap<String, Object>();
            data.put("train", dataset(trainPart));
            data.put("validation", dataset(validPart));
            Map<String, Object> info = HeadRun.info(ModelDescriptor.TEXT_CLASSIFICATION, config, head, labels, data, r.state,
                    ref, "djl", trainPart.sha256(), validPart.sha256());
            info.put("backboneTraining", r.info);
            HeadRun.summariseTrainedBackbone(info, r.info, sha);
            return new TrainedTextClassifier(clf, r.head, new dev.nnsdk.training.internal.FeatureCache(
                    dev.nnsdk.SdkSettings.cacheDir().resolve("features"), false), embedder,
                    new TrainingRun(head, labels, ref, trained, r.history, r.state.bestEpoch, r.state.stoppedEarly,
                            r.validation, info, module, r.maxLength), module);
        } catch (java.io.IOException e) {
            HeadRun.cleanUp(embedder, module);
            throw new java.io.UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            HeadRun.cleanUp(embedder, module);
            throw e;
        }
    }

    /**
     * When the run tokenises at the backbone's own max length, the linear probe's frozen features are exactly what
     * frozen-head training computes: take them from the feature cache (computed once by the backbone's ONNX file when
     * it has one, else its TorchScript one) instead of a separate pass; {@code null} otherwise.
     */
    private dev.nnsdk.training.internal.BackboneRun.ProbeFeatures probeFeatures(ModelDescriptor bd, TextDataset trainPart,
                                                                                 TextDataset validPart) {
        if (dev.nnsdk.training.internal.BackboneRun.maxLength(backboneTraining, bd) != bd.text().maxLength()) {
            return null;
        }
        boolean onnx = bd.artifacts().containsKey(dev.nnsdk.engine.ModelFormat.ONNX) && HeadRun.engineAvailable("onnx");
        ModelOptions o = options.toBuilder().optEngine(onnx ? "onnx" : "djl").build();
        return new dev.nnsdk.training.internal.BackboneRun.ProbeFeatures(
                () -> frozenFeatures(bd, o, trainPart, "train"), () -> frozenFeatures(bd, o, validPart, "validation"),
                "the frozen backbone on engine " + o.engine() + " (feature cache)");
    }

    private float[][] frozenFeatures(ModelDescriptor bd, ModelOptions o, TextDataset d, String phase) {
        try (TextEmbedder e = sharedBackbone != null && o.engine().equals(sharedBackbone.engine())
                ? new SharedEmbedder(sharedBackbone) : TextEmbedder.load(bd, o)) {
            return cache.features(e, d.texts(), phase, listeners);
        }
    }

    private static List<String> sources(TextDataset d) {
        List<String> out = new java.util.ArrayList<String>(d.size());
        for (TextExample e : d.examples()) {
            out.add(e.source());
        }
        return out;
    }

    private static int[] indices(TextDataset d, List<String> labels, String role) {
        int[] y = new int[d.size()];
        for (int i = 0; i < y.length; i++) {
            TextExample e = d.examples().get(i);
            y[i] = labels.indexOf(e.label());
            if (y[i] < 0) {
                throw new InvalidInputException(e.source() + ": " + role + " label '" + e.label()
                        + "' does not occur in the training data " + labels);
            }
        }
        return y;
    }

    private static Map<String, Object> dataset(TextDataset d) {
        return HeadRun.dataset(d.name(), d.size(), d.sha256(), d.counts());
    }

    /** The SDK version (from the build), or {@code dev}. */
    public static String sdkVersion() {
        return HeadRun.sdkVersion();
    }

    /** A borrowed embedder: close() does nothing, the owner closes it. */
    private static final class SharedEmbedder implements TextEmbedder {
        private final TextEmbedder delegate;

        SharedEmbedder(TextEmbedder delegate) {
            this.delegate = delegate;
        }

        @Override
        public float[] embed(String text) {
            return delegate.embed(text);
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            return delegate.embedAll(texts);
        }

        @Override
        public int dimension() {
            return delegate.dimension();
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
