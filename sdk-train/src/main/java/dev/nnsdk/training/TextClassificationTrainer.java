package dev.nnsdk.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.inference.TextEmbedder;
import dev.nnsdk.internal.SdkDefaults;
import dev.nnsdk.internal.TextClassifierImpl;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.BackboneRef;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.training.data.TextDataset;
import dev.nnsdk.training.data.TextExample;
import dev.nnsdk.training.head.Head;
import dev.nnsdk.training.internal.Checkpoints;
import dev.nnsdk.training.internal.FeatureCache;
import dev.nnsdk.training.internal.HeadTrainer;
import dev.nnsdk.training.internal.TrainState;
import dev.nnsdk.training.listener.EpochResult;
import dev.nnsdk.training.listener.TrainingListener;
import dev.nnsdk.training.metrics.ClassificationMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Trains a classification head on a frozen text backbone. Obtain one with
 * {@link FineTuning#textClassification()}; every setting but {@link #train(TextDataset)} has a default
 * (backbone {@code all-minilm-l6-v2}, 10% stratified validation split, linear head,
 * {@link TrainingConfig#defaults()}).
 *
 * <p>The backbone runs once per text (features are cached in memory and on disk); epochs run over
 * the cached features. With a checkpoint directory, the state after every epoch is saved there and
 * {@link #resume(boolean) resume} continues from it, ending with exactly the weights and metrics of
 * an uninterrupted run.
 */
public final class TextClassificationTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(TextClassificationTrainer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private String backbone = "all-minilm-l6-v2";
    private TextEmbedder sharedBackbone;
    private ModelOptions options = ModelOptions.defaults();
    private TextDataset train;
    private TextDataset validation;
    private double validationFraction = 0.1;
    private Head head = Head.linear();
    private TrainingConfig config = TrainingConfig.defaults();
    private final List<TrainingListener> listeners = new ArrayList<TrainingListener>();
    private Path checkpointDir;
    private boolean resume;
    private FeatureCache cache = new FeatureCache();

    TextClassificationTrainer() {
    }

    /** The frozen backbone: a zoo id or a model directory (default {@code all-minilm-l6-v2}). */
    public TextClassificationTrainer backbone(String idOrPath) {
        this.backbone = Objects.requireNonNull(idOrPath, "backbone");
        return this;
    }

    /** The backbone and the engine / device / batch size that compute its features. */
    public TextClassificationTrainer backbone(String idOrPath, ModelOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return backbone(idOrPath);
    }

    /**
     * An already loaded backbone, shared with the caller: it stays open after training and when the
     * returned classifier is closed (close it yourself). Saves reloading it for several runs.
     */
    public TextClassificationTrainer backbone(TextEmbedder embedder) {
        this.sharedBackbone = Objects.requireNonNull(embedder, "embedder");
        this.backbone = embedder.descriptor().id();
        return this;
    }

    public TextClassificationTrainer train(TextDataset train) {
        this.train = Objects.requireNonNull(train, "train");
        return this;
    }

    /** A seeded stratified share of the training data held out for validation (default 0.1). */
    public TextClassificationTrainer validation(double fraction) {
        this.validation = null;
        this.validationFraction = fraction;
        return this;
    }

    /** A separate validation dataset. */
    public TextClassificationTrainer validation(TextDataset validation) {
        this.validation = Objects.requireNonNull(validation, "validation");
        return this;
    }

    public TextClassificationTrainer head(Head head) {
        this.head = Objects.requireNonNull(head, "head");
        return this;
    }

    public TextClassificationTrainer config(TrainingConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        return this;
    }

    public TextClassificationTrainer listener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Where to save a checkpoint after every epoch (default: none). */
    public TextClassificationTrainer checkpointDir(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    /** Continue from the checkpoint in {@link #checkpointDir(Path)} when there is one. */
    public TextClassificationTrainer resume(boolean resume) {
        this.resume = resume;
        return this;
    }

    /** Where features are cached (default {@code <cache>/features} on disk plus memory). */
    public TextClassificationTrainer featureCache(FeatureCache cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
        return this;
    }

    /** Extracts features (once), trains, and returns the classifier with the best epoch's head. */
    public TrainedTextClassifier fit() {
        SdkDefaults.applyOffline();
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
        if (validPart.size() == 0) {
            throw new InvalidInputException("Validation data " + validPart.name() + " has no examples");
        }
        List<String> labels = trainPart.labels();
        int[] yTrain = indices(trainPart, labels, "training");
        int[] yValid = indices(validPart, labels, "validation");

        TextEmbedder embedder = sharedBackbone != null ? new SharedEmbedder(sharedBackbone)
                : TextEmbedder.load(backbone, options);
        try {
            float[][] xTrain = cache.features(embedder, trainPart.texts(), "train", listeners);
            float[][] xValid = cache.features(embedder, validPart.texts(), "validation", listeners);
            ModelDescriptor bd = embedder.descriptor();
            BackboneRef ref = new BackboneRef(bd.id(), backboneSource(), sums(bd));
            String fingerprint = fingerprint(labels, ref, embedder.engine(), trainPart, validPart);
            HeadTrainer trainer = new HeadTrainer(config, head, xTrain, yTrain, xValid, yValid, labels, listeners,
                    checkpointDir, fingerprint);
            TrainState state = null;
            if (resume && checkpointDir != null) {
                state = Checkpoints.read(checkpointDir);
                if (state != null && !fingerprint.equals(state.fingerprint)) {
                    throw new InvalidInputException("The checkpoint in " + checkpointDir + " belongs to a different run "
                            + "(the configuration, head, backbone, engine or data changed); delete it or train without --resume");
                }
                if (state == null) {
                    LOG.warn("No checkpoint in {}: training from the start", checkpointDir);
                } else {
                    LOG.info("Resuming after epoch {} from {}", state.epochsDone, checkpointDir);
                }
            }
            if (state == null) {
                state = trainer.initialState();
            }
            state = trainer.train(state);
            dev.nnsdk.internal.Head best = HeadTrainer.toHead(state.best, trainer.sizes());
            TextClassifierImpl clf = new TextClassifierImpl(embedder, best, labels);
            int[] pred = new int[xValid.length];
            for (int i = 0; i < pred.length; i++) {
                pred[i] = dev.nnsdk.internal.Head.argmax(best.logits(xValid[i]));
            }
            ClassificationMetrics vm = ClassificationMetrics.compute(yValid, pred, labels);
            List<EpochResult> history = new ArrayList<EpochResult>();
            for (Map<String, Object> h : state.history) {
                history.add(EpochResult.fromMap(h, config.epochs()));
            }
            Map<String, Object> info = info(ref, embedder.engine(), trainPart, validPart, labels, state, vm);
            return new TrainedTextClassifier(clf, cache, embedder, new TrainingRun(head, labels, ref, bd, history, state.bestEpoch,
                    state.stoppedEarly, vm, info));
        } catch (RuntimeException e) {
            embedder.close();
            throw e;
        }
    }

    private String backboneSource() {
        if (sharedBackbone != null) {
            return backbone;
        }
        Path p = Paths.get(backbone);
        return Files.exists(p) && !isZooId(backbone) ? p.toAbsolutePath().normalize().toString() : backbone;
    }

    private static boolean isZooId(String s) {
        return dev.nnsdk.repository.ModelRepository.ids().contains(s);
    }

    private static Map<String, String> sums(ModelDescriptor d) {
        Map<String, String> m = new TreeMap<String, String>();
        for (Map.Entry<ModelFormat, Artifact> e : d.artifacts().entrySet()) {
            if (e.getValue().sha256() != null) {
                m.put(e.getKey().id(), e.getValue().sha256());
            }
        }
        return m;
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

    private String fingerprint(List<String> labels, BackboneRef ref, String engine, TextDataset t, TextDataset v) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("config", config.toMap());
        m.put("head", head.toMap());
        m.put("labels", labels);
        m.put("backbone", ref.sha256());
        m.put("engine", engine);
        m.put("train", t.sha256());
        m.put("validation", v.sha256());
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return dev.nnsdk.internal.Checksums.hex(md.digest(JSON.writeValueAsString(m).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> info(BackboneRef ref, String engine, TextDataset t, TextDataset v, List<String> labels,
                                     TrainState s, ClassificationMetrics vm) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("task", ModelDescriptor.TEXT_CLASSIFICATION);
        m.put("config", config.toMap());
        m.put("head", head.toMap());
        m.put("labels", labels);
        Map<String, Object> data = new LinkedHashMap<String, Object>();
        data.put("train", dataset(t));
        data.put("validation", dataset(v));
        m.put("datasets", data);
        m.put("bestEpoch", s.bestEpoch);
        m.put("epochsRun", s.epochsDone);
        m.put("stoppedEarly", s.stoppedEarly);
        Map<String, Object> p = new LinkedHashMap<String, Object>();
        p.put("sdkVersion", sdkVersion());
        p.put("date", Instant.now().toString());
        p.put("seed", config.seed());
        p.put("backbone", ref.id());
        p.put("backboneSource", ref.source());
        p.put("backboneSha256", ref.sha256());
        p.put("featureEngine", engine);
        p.put("trainSha256", t.sha256());
        p.put("validationSha256", v.sha256());
        p.put("java", System.getProperty("java.version"));
        m.put("provenance", p);
        return m;
    }

    private static Map<String, Object> dataset(TextDataset d) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("name", d.name());
        m.put("examples", d.size());
        m.put("sha256", d.sha256());
        m.put("counts", d.counts());
        return m;
    }

    /** The SDK version (from the build), or {@code dev}. */
    public static String sdkVersion() {
        try (InputStream in = TextClassificationTrainer.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.startsWith("$")) {
                    return v;
                }
            }
        } catch (IOException e) {
            LOG.debug("No version.properties", e);
        }
        return "dev";
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
