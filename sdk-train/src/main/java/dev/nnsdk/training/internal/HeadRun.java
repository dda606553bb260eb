package dev.nnsdk.training.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.BackboneRef;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.head.Head;
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
import java.util.Properties;
import java.util.TreeMap;

/**
 * What every head fine-tuning run does once its features are cached, whatever the input type:
 * fingerprint the run, resume from a matching checkpoint, train, pick the kept epoch's head, score
 * it on the validation features, and describe the run (training.json) with its provenance.
 */
public final class HeadRun {
    private static final Logger LOG = LoggerFactory.getLogger(HeadRun.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The outcome of {@link #train}. */
    public static final class Result {
        public final TrainState state;
        public final dev.nnsdk.format.HeadWeights best;
        public final ClassificationMetrics validation;
        public final List<EpochResult> history;
        /**
         * How a linear head was fitted and its L2 picked, or how the auto head was chosen (candidates tried, feature
         * statistics), or {@code null} (mini-batch training).
         */
        public final Map<String, Object> tuning;
        /** The head that was trained and kept: {@code linear} or {@code mlp}, never {@code auto}. */
        public final Head head;

        Result(TrainState state, dev.nnsdk.format.HeadWeights best, ClassificationMetrics validation, List<EpochResult> history,
               Map<String, Object> tuning, Head head) {
            this.tuning = tuning;
            this.head = head;
            this.state = state;
            this.best = best;
            this.validation = validation;
            this.history = history;
        }
    }

    private HeadRun() {
    }

    /**
     * Trains (or resumes) a head on cached features. {@code identity} describes everything that
     * makes two runs the same (config, head, labels, backbone checksums, engine, data checksums);
     * a checkpoint written under another identity is refused.
     */
    public static Result train(TrainingConfig config, Head head, float[][] xTrain, int[] yTrain, float[][] xValid,
                               int[] yValid, List<String> labels, List<TrainingListener> listeners, Path checkpointDir,
                               boolean resume, Map<String, Object> identity) {
        String fingerprint = fingerprint(identity);
        Head requested = head;
        if (head.isAuto() && !searches(config, xValid.length)) {
            head = Head.linear();                         // explicit linear settings: today's linear head
        }
        TrainState state;
        int[] sizes;
        Map<String, Object> tuning = null;
        if ("lbfgs".equals(config.solver()) && "mlp".equals(head.type())) {
            throw new dev.nnsdk.InvalidInputException("--solver lbfgs fits linear heads only; the " + head.type()
                    + " head trains with --solver sgd (mini-batch epochs) or auto");
        }
        ClassificationMetrics selectionMetrics = null;
        if (head.isAuto()) {
            HeadSelection sel = HeadSelection.run(config, xTrain, yTrain, xValid, yValid, labels, listeners, fingerprint);
            selectionMetrics = sel.validation;
            head = sel.head;
            state = sel.state;
            sizes = sel.sizes;
            tuning = sel.tuning;
        } else if (config.usesLinearSolver(head)) {
            LinearHeadFit fit = LinearHeadFit.fit(config, xTrain, yTrain, xValid, yValid, labels, listeners, fingerprint);
            state = fit.state;
            sizes = head.layerSizes(xTrain[0].length, labels.size());
            tuning = fit.tuning;
        } else {
            HeadTrainer trainer = new HeadTrainer(config, head, xTrain, yTrain, xValid, yValid, labels, listeners,
                    checkpointDir, fingerprint);
            state = EpochLoop.resume(checkpointDir, resume, fingerprint,
                    "the configuration, head, backbone, engine or data changed");
            if (state == null) {
                state = trainer.initialState();
            }
            state = trainer.train(state);
            sizes = trainer.sizes();
        }
        if (requested.isAuto() && tuning != null && !"auto".equals(tuning.get("head"))) {
            tuning.put("head", "auto: linear only (" + autoOff(config, xValid.length) + ")");
        }
        dev.nnsdk.format.HeadWeights best = HeadTrainer.toHead(state.best, sizes);
        // After a refit the kept head has seen the validation examples: report the selection's figures instead.
        ClassificationMetrics vm = selectionMetrics != null ? selectionMetrics
                : validationMetrics(best, xValid, yValid, labels);
        List<EpochResult> history = new ArrayList<EpochResult>();
        int epochs = requested.isAuto() && "mlp".equals(head.type()) ? config.headSearch().maxEpochs() : config.epochs();
        for (Map<String, Object> h : state.history) {
            history.add(EpochResult.fromMap(h, epochs));
        }
        return new Result(state, best, vm, history, tuning, head);
    }

    /** Whether {@link Head#auto()} searches MLP heads under {@code config}, rather than being the linear head. */
    static boolean searches(TrainingConfig config, int validationExamples) {
        return autoOff(config, validationExamples) == null;
    }

    /** Why {@link Head#auto()} is the linear head alone under {@code config}, or {@code null} when it searches. */
    private static String autoOff(TrainingConfig config, int validationExamples) {
        if (!Double.isNaN(config.l2())) {
            return "an explicit L2";
        }
        if (!config.tune()) {
            return "tuning off";
        }
        if (!"auto".equals(config.solver())) {
            return "solver " + config.solver();
        }
        if (validationExamples == 0) {
            return "no validation examples";
        }
        if (config.headSearch().candidates().isEmpty()) {
            return "no MLP candidates";
        }
        return null;
    }

    /**
     * The linear probe backbone training starts from: the L-BFGS linear head (L2 picked on validation as
     * {@code config} says) on features centred and divided by ONE common scale, not per feature: per-feature
     * standardisation folds huge factors onto near-constant features (1 / their tiny spread), which a training backbone
     * then changes, and the logits explode.
     */
    public static Result probe(TrainingConfig config, float[][] xTrain, int[] yTrain, float[][] xValid, int[] yValid,
                               List<String> labels) {
        LinearHeadFit fit = LinearHeadFit.fit(config, xTrain, yTrain, xValid, yValid, labels,
                java.util.Collections.<TrainingListener>emptyList(), "probe", false);
        dev.nnsdk.format.HeadWeights best = HeadTrainer.toHead(fit.state.best, new int[] {xTrain[0].length, labels.size()});
        return new Result(fit.state, best, validationMetrics(best, xValid, yValid, labels), new ArrayList<EpochResult>(),
                fit.tuning, Head.linear());
    }

    /** Classification metrics of {@code head}'s argmax on {@code x} against {@code y}. */
    static ClassificationMetrics validationMetrics(dev.nnsdk.format.HeadWeights head, float[][] x, int[] y,
                                                   List<String> labels) {
        int[] pred = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            pred[i] = dev.nnsdk.format.HeadWeights.argmax(head.logits(x[i]));
        }
        return ClassificationMetrics.compute(y, pred, labels);
    }

    /** The identity map {@link #train} fingerprints; add input-specific entries (e.g. augmentation) to it. */
    public static Map<String, Object> identity(TrainingConfig config, Head head, List<String> labels, BackboneRef ref,
                                               String engine, String trainSha256, String validationSha256) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("config", config.toMap());
        m.put("head", head.toMap());
        m.put("labels", labels);
        m.put("backbone", ref.sha256());
        m.put("engine", engine);
        m.put("train", trainSha256);
        m.put("validation", validationSha256);
        return m;
    }

    static String fingerprint(Map<String, Object> identity) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return Checksums.hex(md.digest(JSON.writeValueAsString(identity).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The backbone as saved models name it: id, where it came from (zoo id or absolute path), artifact checksums. */
    public static BackboneRef backboneRef(ModelDescriptor d, String requested, boolean shared) {
        return new BackboneRef(d.id(), source(requested, shared), sums(d));
    }

    private static String source(String requested, boolean shared) {
        if (shared || ModelRepository.ids().contains(requested)) {
            return requested;
        }
        Path p = Paths.get(requested);
        return Files.exists(p) ? p.toAbsolutePath().normalize().toString() : requested;
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

    /**
     * training.json: task, config, head, labels, datasets, kept epoch, and provenance (SDK version,
     * date, seed, backbone, feature engine, data checksums, Java version).
     */
    public static Map<String, Object> info(String task, TrainingConfig config, Head head, List<String> labels,
                                           Map<String, Object> datasets, TrainState s, BackboneRef ref, String engine,
                                           String trainSha256, String validationSha256) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("task", task);
        m.put("config", config.toMap());
        m.put("head", head.toMap());
        m.put("labels", labels);
        m.put("datasets", datasets);
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
        p.put("trainSha256", trainSha256);
        p.put("validationSha256", validationSha256);
        p.put("java", System.getProperty("java.version"));
        m.put("provenance", p);
        return m;
    }

    /** One dataset's entry in training.json. */
    public static Map<String, Object> dataset(String name, int examples, String sha256, Map<String, Integer> counts) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("name", name);
        m.put("examples", examples);
        m.put("sha256", sha256);
        m.put("counts", counts);
        return m;
    }

    /** The SDK version (from the build), or {@code dev}. */
    public static String sdkVersion() {
        try (InputStream in = HeadRun.class.getResourceAsStream("/dev/nnsdk/training/version.properties")) {
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

    /** Whether engine {@code name} is on the class path. */
    public static boolean engineAvailable(String name) {
        try {
            dev.nnsdk.engine.Engines.named(name);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** After a failed backbone run: closes the model built from the trained module (if any) and deletes the module. */
    public static void cleanUp(AutoCloseable model, java.nio.file.Path module) {
        try {
            if (model != null) {
                model.close();
            }
        } catch (Exception e) {
            LoggerFactory.getLogger(HeadRun.class).warn("Cannot close the trained model: {}", e.getMessage());
        }
        try {
            java.nio.file.Files.deleteIfExists(module);
        } catch (java.io.IOException ignored) {
            // a temporary file; the OS cleans it
        }
    }

    /** Adds provenance.trainedBackbone (what was trained, rates, steps, the module's SHA-256) to training.json's info. */
    public static void summariseTrainedBackbone(Map<String, Object> info, Map<String, Object> backboneInfo, String sha256) {
        @SuppressWarnings("unchecked")
        Map<String, Object> provenance = (Map<String, Object>) info.get("provenance");
        Map<String, Object> summary = new LinkedHashMap<String, Object>();
        for (String key : new String[] {"layers", "trainedLayers", "trainedParameters", "backboneLearningRate",
                "headLearningRate", "steps", "maxLength", "batchNorm"}) {
            if (backboneInfo.containsKey(key)) {
                summary.put(key, backboneInfo.get(key));
            }
        }
        summary.put("sha256", sha256);
        provenance.put("trainedBackbone", summary);
    }
}
