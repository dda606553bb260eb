package dev.nnsdk.training.internal;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.SdkSettings;
import dev.nnsdk.djl.training.TorchScriptClassifier;
import dev.nnsdk.djl.training.TorchScriptClassifier.NamedState;
import dev.nnsdk.djl.training.TrainingSession;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.format.HeadWeights;
import dev.nnsdk.image.ImagePreprocessor;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.TextSpec;
import dev.nnsdk.text.Encoding;
import dev.nnsdk.text.Tokenizer;
import dev.nnsdk.text.Tokenizers;
import dev.nnsdk.training.config.BackboneTraining;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.data.Augmentation;
import dev.nnsdk.training.data.ImageExample;
import dev.nnsdk.training.listener.EpochResult;
import dev.nnsdk.training.listener.TrainingListener;
import dev.nnsdk.training.metrics.ClassificationMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains a backbone (TorchScript, DJL PyTorch) and a linear head end to end, through the shared {@link EpochLoop}:
 * a text encoder on texts tokenised once at the run's max length ({@link #train}), or an image model on images
 * decoded and preprocessed one micro-batch at a time ({@link #trainImages}; never all of them in memory).
 * For both, the head starts from the L-BFGS linear
 * probe on the frozen backbone's features (so training starts at the frozen model's accuracy, and the first noisy
 * steps do not push the backbone around: "linear probe, then fine-tune"); each epoch visits the examples in a seeded
 * order whose batches hold texts of similar length (shuffled chunks sorted by length, batches in shuffled order), and
 * each optimizer step accumulates micro-batches, clips, and applies AdamW with the backbone and head rates scaled by
 * the schedule. A NaN or infinite loss or gradient stops training with the weights of before that step; checkpoints
 * (after each epoch and, optionally, every N steps) hold the trained tensors and their moments
 * ({@link BackboneState}) so that {@code resume} ends with exactly the uninterrupted run's weights.
 */
public final class BackboneRun {
    private static final Logger LOG = LoggerFactory.getLogger(BackboneRun.class);
    private static final String STATE_KEY = "backboneState";
    private static final String STATE_SHA_KEY = "backboneStateSha256";
    private static final List<String> INPUTS = Arrays.asList("input_ids", "attention_mask", "token_type_ids");

    /** The outcome of {@link #train}. */
    public static final class Result {
        public final HeadWeights head;
        public final TrainState state;
        public final ClassificationMetrics validation;
        public final List<EpochResult> history;
        /** The trained backbone module (TorchScript), written to the file the caller gave. */
        public final Path module;
        public final int maxLength;
        /** training.json's {@code backboneTraining}: layers, trained tensors, rates, steps, the probe's fit. */
        public final Map<String, Object> info;

        Result(HeadWeights head, TrainState state, ClassificationMetrics validation, List<EpochResult> history, Path module,
               int maxLength, Map<String, Object> info) {
            this.head = head;
            this.state = state;
            this.validation = validation;
            this.history = history;
            this.module = module;
            this.maxLength = maxLength;
            this.info = info;
        }
    }

    private BackboneRun() {
    }

    /**
     * The frozen backbone's features of the training and validation texts, computed elsewhere (the feature cache of
     * frozen-head training, when the run's max length is the backbone's own), for the linear probe the head starts from.
     */
    public static final class ProbeFeatures {
        private final java.util.function.Supplier<float[][]> train;
        private final java.util.function.Supplier<float[][]> validation;
        final String source;

        public ProbeFeatures(java.util.function.Supplier<float[][]> train, java.util.function.Supplier<float[][]> validation,
                             String source) {
            this.train = train;
            this.validation = validation;
            this.source = source;
        }

        float[][] train() {
            return train.get();
        }

        float[][] validation() {
            return validation.get();
        }
    }

    /**
     * The backbone's TorchScript artifact, or an error naming the engine and what would work.
     *
     * @param engine the engine the caller asked for ({@code null}: any)
     */
    public static Artifact trainableArtifact(ModelDescriptor d, String requested, String engine) {
        requireDjl(engine);
        if (d.text() == null) {
            throw new InvalidInputException("--train-backbone: backbone '" + requested + "' is not a text model (task "
                    + d.task() + "); use --task image-classification for an image backbone");
        }
        Artifact pt = torchScript(d, requested, "all-minilm-l6-v2");
        if (d.text().pooling() != TextSpec.Pooling.MEAN || !d.text().normalize()) {
            throw new InvalidInputException("--train-backbone trains mean-pooled, L2-normalised text encoders; backbone '"
                    + requested + "' pools with " + d.text().pooling().id() + (d.text().normalize() ? "" : " without normalisation"));
        }
        if (!INPUTS.equals(d.inputNames())) {
            throw new InvalidInputException("--train-backbone needs a backbone with the inputs " + INPUTS + "; '" + requested
                    + "' has " + d.inputNames());
        }
        if (!d.text().queryPrompt().isEmpty() || !d.text().documentPrompt().isEmpty()) {
            throw new InvalidInputException("--train-backbone: backbone '" + requested + "' uses prompts, which backbone "
                    + "training does not apply yet");
        }
        return pt;
    }

    /** The image backbone's TorchScript artifact, or an error naming the engine and what would work. */
    public static Artifact trainableImageArtifact(ModelDescriptor d, String requested, String engine) {
        requireDjl(engine);
        if (d.image() == null || d.image().featuresOutput() == null) {
            throw new InvalidInputException("--train-backbone: backbone '" + requested + "' is not an image model with a "
                    + "features output (descriptor field image.features), so there is nothing to put the head on");
        }
        Artifact pt = torchScript(d, requested, "mobilenet-v2-nsfw");
        if (featuresIndex(d) < 0) {
            throw new InvalidInputException("--train-backbone: backbone '" + requested + "' names its features output '"
                    + d.image().featuresOutput() + "', which is not one of its outputs " + d.outputNames());
        }
        return pt;
    }

    /** The 0-based index of an image backbone's features output (0 when the descriptor lists no output names). */
    public static int featuresIndex(ModelDescriptor d) {
        return d.outputNames().isEmpty() ? 0 : d.outputNames().indexOf(d.image().featuresOutput());
    }

    private static void requireDjl(String engine) {
        if (engine != null && !"djl".equals(engine)) {
            throw new InvalidInputException("--train-backbone trains the backbone with DJL PyTorch (engine djl), but engine '"
                    + engine + "' was asked for" + ("onnx".equals(engine) ? " (ONNX Runtime runs models for inference only;"
                    + " its Java build cannot train)" : "") + ". Use --engine djl (or no --engine) with a backbone that has a "
                    + "TorchScript artifact, or --train-backbone none to train a head on the frozen backbone on any engine");
        }
    }

    private static Artifact torchScript(ModelDescriptor d, String requested, String zooExample) {
        Artifact pt = d.artifacts().get(ModelFormat.TORCHSCRIPT);
        if (pt == null) {
            throw new InvalidInputException("--train-backbone: backbone '" + requested + "' has no trainable artifact: it has "
                    + formats(d) + ", and ONNX files run on engine onnx (ONNX Runtime), for inference only. Training the "
                    + "backbone needs a TorchScript file run by engine djl (DJL PyTorch): the zoo's " + zooExample + " has one "
                    + "in the shared assets" + (SdkSettings.assetsDir() == null ? " (not configured here: set the environment "
                    + "variable " + SdkSettings.ASSETS_ENV + ")" : "") + "; a model directory can name one in model.json "
                    + "(artifacts.torchscript). Or train a head on the frozen backbone (--train-backbone none), on any engine");
        }
        return pt;
    }

    private static String formats(ModelDescriptor d) {
        List<String> f = new ArrayList<String>();
        for (ModelFormat m : d.artifacts().keySet()) {
            f.add(m.id());
        }
        return f.toString();
    }

    /** The max length the run tokenises at. */
    public static int maxLength(BackboneTraining bt, ModelDescriptor d) {
        int max = d.text().maxLength();
        if (bt.maxLength() > max) {
            throw new InvalidInputException("--max-length " + bt.maxLength() + " exceeds the backbone's maximum of " + max
                    + " word pieces");
        }
        return bt.maxLength() == 0 ? max : bt.maxLength();
    }

    /**
     * Trains (or resumes) and writes the trained module to {@code moduleOut}.
     *
     * @param identity what makes two runs the same (fingerprinted); a checkpoint of another run is refused
     */
    public static Result train(ModelDescriptor d, Artifact pt, BackboneTraining bt, TrainingConfig cfg, List<String> trainTexts,
                               int[] yTrain, List<String> validTexts, int[] yValid, List<String> labels,
                               List<TrainingListener> listeners, Path checkpointDir, boolean resume,
                               Map<String, Object> identity, Path moduleOut, ProbeFeatures probeFeatures) {
        Checksums.verify(pt.path(), pt.sha256());
        int maxLength = maxLength(bt, d);
        Checksums.verify(d.text().tokenizer().path(), d.text().tokenizer().sha256());
        Batches train;
        Batches valid;
        try (Tokenizer tok = Tokenizers.create(d.text().tokenizer().path(), maxLength)) {
            train = new Batches(tok.encodeAll(clean(trainTexts, d.text().lowerCase())));
            valid = new Batches(tok.encodeAll(clean(validTexts, d.text().lowerCase())));
        }
        return run(session -> TorchScriptClassifier.load(session, pt.path(), labels.size(), new float[0], new float[0],
                bt.layers(), settings(bt)), pt, bt, cfg, train, yTrain, valid, yValid, labels, listeners, checkpointDir, resume,
                identity, moduleOut, probeFeatures, maxLength, "the TorchScript backbone at max length " + maxLength);
    }

    /**
     * Trains (or resumes) an image backbone and its head on images decoded a micro-batch at a time, and writes the
     * trained module to {@code moduleOut}. With an enabled {@code augmentation}, every training image is transformed
     * afresh each time an epoch takes it (seeded by the run's seed, the epoch and the image: a resumed epoch sees the
     * same transforms); validation images never are.
     *
     * @param identity what makes two runs the same (fingerprinted); a checkpoint of another run is refused
     */
    public static Result trainImages(ModelDescriptor d, Artifact pt, BackboneTraining bt, TrainingConfig cfg,
                                     List<ImageExample> trainImages, int[] yTrain, List<ImageExample> validImages,
                                     int[] yValid, List<String> labels, List<TrainingListener> listeners, Path checkpointDir,
                                     boolean resume, Map<String, Object> identity, Path moduleOut,
                                     ProbeFeatures probeFeatures, Augmentation augmentation) {
        Checksums.verify(pt.path(), pt.sha256());
        ImagePreprocessor pre = new ImagePreprocessor(d.image());
        ImageBatches train = new ImageBatches(trainImages, pre, augmentation, cfg.seed());
        ImageBatches valid = new ImageBatches(validImages, pre, Augmentation.none(), cfg.seed());
        int features = featuresIndex(d);
        return run(session -> TorchScriptClassifier.loadImage(session, pt.path(), pre.shape(1), features, labels.size(),
                new float[0], new float[0], bt.layers(), settings(bt)), pt, bt, cfg, train, yTrain, valid, yValid, labels,
                listeners, checkpointDir, resume, identity, moduleOut, probeFeatures, 0, "the TorchScript backbone");
    }

    private static TorchScriptClassifier.Settings settings(BackboneTraining bt) {
        return new TorchScriptClassifier.Settings(bt.weightDecay(), bt.layerDecay(), bt.clipNorm(),
                BackboneTraining.BATCH_NORM_AFFINE.equals(bt.batchNorm()));
    }

    private static Result run(java.util.function.Function<TrainingSession, TorchScriptClassifier> loader, Artifact pt,
                              BackboneTraining bt, TrainingConfig cfg, Examples train, int[] yTrain, Examples valid,
                              int[] yValid, List<String> labels, List<TrainingListener> listeners, Path checkpointDir,
                              boolean resume, Map<String, Object> identity, Path moduleOut, ProbeFeatures probeFeatures,
                              int maxLength, String featureSource) {
        String fingerprint = HeadRun.fingerprint(identity);
        TrainState resumed = EpochLoop.resume(checkpointDir, resume, fingerprint,
                "the configuration, backbone training settings, backbone or data changed");
        // The schedule scales the base rate; the backbone's rate is the base (so messages name it), the head's follows.
        TrainingConfig run = cfg.withLearningRate(bt.backboneLearningRate());
        try (TrainingSession session = TrainingSession.open(cfg.seed(), bt.resolvedThreads());
             TorchScriptClassifier model = loader.apply(session)) {
            Map<String, Object> info = new LinkedHashMap<String, Object>();
            TrainState s;
            if (resumed != null) {
                s = resumed;
                BackboneState st = BackboneState.read(checkpointDir.resolve(String.valueOf(s.extra.get(STATE_KEY))),
                        String.valueOf(s.extra.get(STATE_SHA_KEY)));
                model.restore(st.current);
                @SuppressWarnings("unchecked")
                Map<String, Object> probe = (Map<String, Object>) s.extra.get("probe");
                if (probe != null) {
                    info.put("probe", probe);
                }
                Objective o = new Objective(model, bt, run, train, yTrain, valid, yValid, labels);
                o.kept = st.kept;
                o.stateFile = String.valueOf(s.extra.get(STATE_KEY));
                return finish(model, o, s, run, listeners, checkpointDir, bt, info, moduleOut, maxLength, pt);
            }
            // Linear probe on the frozen backbone's features: the head's starting point.
            float[][] xTrain;
            float[][] xValid;
            if (probeFeatures != null) {
                xTrain = probeFeatures.train();
                xValid = probeFeatures.validation();
            } else {
                xTrain = features(model, train, "probe train", listeners);
                xValid = features(model, valid, "probe validation", listeners);
            }
            TrainingConfig.Builder pb = TrainingConfig.builder().optSolver("lbfgs").optTune(cfg.tune()).optSeed(cfg.seed())
                    .optBalancedClassWeights(cfg.balancedClassWeights());
            if (!Double.isNaN(cfg.l2())) {
                pb.optL2(cfg.l2());
            }
            HeadRun.Result probe = HeadRun.probe(pb.build(), xTrain, yTrain, xValid, yValid, labels);
            model.setHead(probe.best.weights(0), probe.best.bias(0));
            Map<String, Object> p = new LinkedHashMap<String, Object>();
            p.put("trainLoss", meanLoss(probe.best, xTrain, yTrain));
            p.put("validationLoss", meanLoss(probe.best, xValid, yValid));
            p.put("validationAccuracy", probe.validation.accuracy());
            p.put("validationMacroF1", probe.validation.macroF1());
            if (probe.tuning != null) {
                p.put("l2", probe.tuning.get("l2"));
                p.put("C", probe.tuning.get("C"));
            }
            p.put("features", probeFeatures != null ? probeFeatures.source : featureSource);
            info.put("probe", p);
            LOG.info("Linear probe on the frozen backbone: validation accuracy {}", probe.validation.accuracy());
            s = new TrainState();
            s.fingerprint = fingerprint;
            s.params.add(probe.best.weights(0));
            s.params.add(probe.best.bias(0));
            s.best.add(probe.best.weights(0).clone());
            s.best.add(probe.best.bias(0).clone());
            s.extra.put("probe", p);
            Objective o = new Objective(model, bt, run, train, yTrain, valid, yValid, labels);
            return finish(model, o, s, run, listeners, checkpointDir, bt, info, moduleOut, maxLength, pt);
        }
    }

    private static Result finish(TorchScriptClassifier model, Objective o, TrainState s, TrainingConfig run,
                                 List<TrainingListener> listeners, Path checkpointDir, BackboneTraining bt,
                                 Map<String, Object> info, Path moduleOut, int maxLength, Artifact pt) {
        EpochLoop loop = new EpochLoop(run, listeners, checkpointDir, null, true, r -> {
            double score = r.validMetric(run.earlyStoppingMetric());
            return TrainingConfig.LOSS.equals(run.earlyStoppingMetric()) ? -score : score;
        }).withStepCheckpoints(bt.checkpointEverySteps());
        s = loop.run(s, o);
        if (o.kept != null && s.bestEpoch != s.epochsDone) {
            model.restore(o.kept);       // early stopping: the kept epoch's backbone and head
        }
        float[] w = model.parameter("head.weight");
        float[] b = model.parameter("head.bias");
        HeadWeights head = new HeadWeights(new float[][] {w}, new float[][] {b}, new int[] {model.featureSize()});
        double[] v = o.evaluate();
        ClassificationMetrics vm = o.lastMetrics;
        LOG.debug("kept epoch {}: validation loss {} accuracy {}", s.bestEpoch, v[0], v[1]);
        try {
            Files.createDirectories(moduleOut.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(moduleOut)) {
                model.save(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the trained backbone to " + moduleOut + ": " + e.getMessage(), e);
        }
        List<EpochResult> history = new ArrayList<EpochResult>();
        for (Map<String, Object> h : s.history) {
            history.add(EpochResult.fromMap(h, run.epochs()));
        }
        info.put("layers", bt.layers());
        List<String> trained = model.trainableParameterNames();
        info.put("trainedTensors", trained.size());
        info.put("trainedParameters", count(model, trained));
        info.put("trainedLayers", layerNames(trained));
        info.put("backboneLearningRate", bt.backboneLearningRate());
        info.put("headLearningRate", bt.headLearningRate());
        info.put("layerDecay", bt.layerDecay());
        info.put("clipNorm", bt.clipNorm());
        info.put("weightDecay", bt.weightDecay() + " (AdamW, weight matrices and kernels only: no biases, no "
                + "LayerNorm/BatchNorm parameters)");
        if (maxLength == 0) {
            info.put("batchNorm", BackboneTraining.BATCH_NORM_AFFINE.equals(bt.batchNorm())
                    ? "affine: scale and shift of the trained blocks train; running statistics fixed (eval-mode batch_norm)"
                    : "frozen: scale, shift and running statistics fixed");
        }
        info.put("batchSize", run.batchSize());
        info.put("microBatch", o.micro);
        if (maxLength > 0) {
            info.put("maxLength", maxLength);
        }
        info.put("steps", s.step);
        info.put("schedule", run.schedule().toMap());
        info.put("engine", "djl");
        info.put("untrainedModule", pt.path().getFileName().toString());
        info.put("untrainedModuleSha256", pt.sha256());
        return new Result(head, s, vm, history, moduleOut, maxLength, info);
    }

    /** Mean cross-entropy of {@code head} on features {@code x} (plain Java). */
    private static double meanLoss(HeadWeights head, float[][] x, int[] y) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += -Math.log(Math.max(head.probabilities(x[i])[y[i]], 1e-12));
        }
        return sum / Math.max(1, x.length);
    }

    private static long count(TorchScriptClassifier model, List<String> names) {
        long n = 0;
        for (String p : names) {
            long c = 1;
            for (long x : model.shape(p)) {
                c *= x;
            }
            n += c;
        }
        return n;
    }

    /** The distinct layer prefixes of the trained tensors, e.g. {@code encoder.layer.5}, {@code pooler}. */
    static List<String> layerNames(List<String> trained) {
        List<String> out = new ArrayList<String>();
        java.util.regex.Pattern layer = java.util.regex.Pattern.compile(
                "^(.*?(?:layer|layers|blocks|block|h)\\.\\d+)\\.|^(?:.*\\.)?(block_\\d+|expanded_conv|Conv_1|Conv1|bn_Conv1)_");
        for (String n : trained) {
            java.util.regex.Matcher m = layer.matcher(n);
            String key = m.find() ? (m.group(1) != null ? m.group(1) : "bn_Conv1".equals(m.group(2)) ? "Conv1" : m.group(2))
                    : n.contains(".") ? n.substring(0, n.indexOf('.')) : n;
            if (!out.contains(key)) {
                out.add(key);
            }
        }
        return out;
    }

    /** Pooled, normalised features of every text (no gradients), in input order. */
    private static float[][] features(TorchScriptClassifier model, Examples data, String phase, List<TrainingListener> listeners) {
        int n = data.size();
        float[][] out = new float[n][];
        int[] order = data.byLength();
        for (TrainingListener l : listeners) {
            l.onFeaturesStart(phase, n);
        }
        int step = 16;
        for (int from = 0; from < n; from += step) {
            dev.nnsdk.CancelledException.checkInterrupted("computing " + phase + " features");
            int to = Math.min(n, from + step);
            float[][] f = data.features(model, order, from, to);
            for (int r = 0; r < f.length; r++) {
                out[order[from + r]] = f[r];
            }
            for (TrainingListener l : listeners) {
                l.onFeaturesProgress(phase, to, n);
            }
        }
        for (TrainingListener l : listeners) {
            l.onFeaturesEnd(phase, false);
        }
        return out;
    }

    /** Cross-entropy of the backbone + head on tokenised texts, one accumulated optimizer step per batch. */
    private static final class Objective implements EpochLoop.Objective {
        private final TorchScriptClassifier model;
        private final BackboneTraining bt;
        private final TrainingConfig run;
        private final Examples train;
        private final int[] yTrain;
        private final Examples valid;
        private final int[] yValid;
        private final List<String> labels;
        final int micro;
        private int[] order;
        private double lossSum;
        private long correct;
        private int seen;
        List<NamedState> kept;
        ClassificationMetrics lastMetrics;
        String stateFile;

        Objective(TorchScriptClassifier model, BackboneTraining bt, TrainingConfig run, Examples train, int[] yTrain,
                  Examples valid, int[] yValid, List<String> labels) {
            this.model = model;
            this.bt = bt;
            this.run = run;
            this.train = train;
            this.yTrain = yTrain;
            this.valid = valid;
            this.yValid = yValid;
            this.labels = labels;
            int bs = Math.min(run.batchSize(), train.size());
            this.micro = bt.microBatch() == 0 ? bs : Math.min(bt.microBatch(), bs);
        }

        @Override
        public int examples() {
            return train.size();
        }

        /**
         * The epoch's order: a seeded permutation cut into chunks of 32 batches, each sorted by length, then the full
         * batches in shuffled order (the last, partial batch stays last: the loop slices consecutive batches).
         */
        @Override
        public void beginEpoch(int epoch, Random rnd) {
            train.epoch(epoch);
            int n = train.size();
            int bs = Math.min(run.batchSize(), n);
            int[] perm = EpochLoop.permutation(n, rnd);
            int chunk = bs * 32;
            Integer[] boxed = new Integer[n];
            for (int i = 0; i < n; i++) {
                boxed[i] = perm[i];
            }
            for (int from = 0; from < n; from += chunk) {
                Arrays.sort(boxed, from, Math.min(n, from + chunk),
                        (a, c) -> Integer.compare(train.length(c), train.length(a)));
            }
            int full = n / bs;
            int[] batchOrder = EpochLoop.permutation(full, rnd);
            order = new int[n];
            int at = 0;
            for (int b : batchOrder) {
                for (int i = 0; i < bs; i++) {
                    order[at++] = boxed[b * bs + i];
                }
            }
            for (int i = full * bs; i < n; i++) {
                order[at++] = boxed[i];
            }
            lossSum = 0;
            correct = 0;
            seen = 0;
        }

        @Override
        public void resumeEpoch(int epoch, int stepsDone, TrainState s) {
            lossSum = ((Number) s.extra.get("lossSum")).doubleValue();
            correct = ((Number) s.extra.get("correct")).longValue();
            seen = ((Number) s.extra.get("seen")).intValue();
        }

        @Override
        public Double step(int batch, int steps, int from, int to, double lr, long t) {
            double factor = lr / run.learningRate();
            int total = to - from;
            double batchLoss = 0;
            for (int m = from; m < to; m += micro) {
                int e = Math.min(to, m + micro);
                int[] y = new int[e - m];
                for (int i = m; i < e; i++) {
                    y[i - m] = yTrain[order[i]];
                }
                double loss = train.accumulate(model, order, m, e, y, (e - m) / (double) total);
                if (Double.isNaN(loss) || Double.isInfinite(loss)) {
                    return loss;
                }
                batchLoss += loss * (e - m);
                correct += model.lastCorrect();
            }
            double norm = model.update(bt.backboneLearningRate() * factor, bt.headLearningRate() * factor, t);
            if (Double.isNaN(norm) || Double.isInfinite(norm)) {
                return norm;    // the update was not applied
            }
            lossSum += batchLoss;
            seen += total;
            return lossSum / seen;
        }

        @Override
        public double[] endEpoch() {
            return new double[] {lossSum / Math.max(1, seen), correct / (double) Math.max(1, seen)};
        }

        @Override
        public double[] validate(TrainState s) {
            s.params.set(0, model.parameter("head.weight"));
            s.params.set(1, model.parameter("head.bias"));
            return evaluate();
        }

        /** {loss, accuracy, macro-F1} on the validation texts; {@link #lastMetrics} holds the metrics. */
        double[] evaluate() {
            int n = valid.size();
            int[] order = valid.byLength();
            int[] pred = new int[n];
            double loss = 0;
            for (int from = 0; from < n; from += 16) {
                int to = Math.min(n, from + 16);
                float[][] prob = valid.probabilities(model, order, from, to);
                for (int r = 0; r < prob.length; r++) {
                    int row = order[from + r];
                    pred[row] = HeadWeights.argmax(prob[r]);
                    loss += -Math.log(Math.max(prob[r][yValid[row]], 1e-12));
                }
            }
            lastMetrics = ClassificationMetrics.compute(yValid, pred, labels);
            return new double[] {loss / Math.max(1, n), lastMetrics.accuracy(), lastMetrics.macroF1()};
        }

        @Override
        public void onKept(int epoch) {
            if (run.patience() > 0) {
                List<NamedState> now = model.state();
                List<NamedState> values = new ArrayList<NamedState>(now.size());
                for (NamedState t : now) {
                    values.add(new NamedState(t.name, t.value, null, null));
                }
                kept = values;
            }
        }

        @Override
        public void beforeCheckpoint(TrainState s, Path dir) {
            s.extra.put("lossSum", lossSum);
            s.extra.put("correct", correct);
            s.extra.put("seen", seen);
            String name = "backbone-state-" + s.step + ".bin";
            try {
                String sha = new BackboneState(model.state(), kept).write(dir, name);
                s.extra.put(STATE_KEY, name);
                s.extra.put(STATE_SHA_KEY, sha);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the backbone checkpoint " + dir.resolve(name) + ": "
                        + e.getMessage(), e);
            }
        }

        @Override
        public void afterCheckpoint(TrainState s, Path dir) {
            String keep = String.valueOf(s.extra.get(STATE_KEY));
            if (stateFile != null && !stateFile.equals(keep)) {
                try {
                    Files.deleteIfExists(dir.resolve(stateFile));
                } catch (IOException e) {
                    LOG.warn("Cannot delete the old backbone checkpoint {}: {}", dir.resolve(stateFile), e.getMessage());
                }
            }
            stateFile = keep;
        }
    }

    private static List<String> clean(List<String> texts, boolean lowerCase) {
        List<String> out = new ArrayList<String>(texts.size());
        for (String t : texts) {
            String c = t == null ? "" : t;
            out.add(lowerCase ? c.toLowerCase(Locale.ROOT) : c);
        }
        return out;
    }

    /** The examples of a run as the model takes them: a slice of rows to a loss, probabilities or features. */
    interface Examples {
        int size();

        /** An example's length for the epoch's length-sorted chunks (0 for all: the order is the permutation). */
        int length(int i);

        /** The training epoch about to run (its examples may depend on it, e.g. random augmentation). */
        default void epoch(int epoch) {
        }

        /** Forward + backward of rows {@code rows[from..to)}, see {@link TorchScriptClassifier#accumulate}. */
        double accumulate(TorchScriptClassifier model, int[] rows, int from, int to, int[] labels, double scale);

        float[][] probabilities(TorchScriptClassifier model, int[] rows, int from, int to);

        float[][] features(TorchScriptClassifier model, int[] rows, int from, int to);

        /** Row indices sorted by length (longest first), for inference passes. */
        default int[] byLength() {
            Integer[] idx = new Integer[size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (a, c) -> Integer.compare(length(c), length(a)));
            int[] out = new int[idx.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = idx[i];
            }
            return out;
        }
    }

    /** Images decoded and preprocessed one slice at a time (so never all of them in memory). */
    static final class ImageBatches implements Examples {
        private final List<ImageExample> images;
        private final ImagePreprocessor pre;
        private final Augmentation augmentation;
        private final long seed;
        private int epoch;

        ImageBatches(List<ImageExample> images, ImagePreprocessor pre, Augmentation augmentation, long seed) {
            this.images = images;
            this.pre = pre;
            this.augmentation = augmentation;
            this.seed = seed;
        }

        @Override
        public void epoch(int epoch) {
            this.epoch = epoch;
        }

        @Override
        public int size() {
            return images.size();
        }

        @Override
        public int length(int i) {
            return 0;
        }

        /** Rows {@code rows[from..to)} decoded and preprocessed, flat in the model's layout (augmented if training). */
        float[] pixels(int[] rows, int from, int to, boolean training) {
            int per = pre.valuesPerImage();
            float[] x = new float[(to - from) * per];
            java.nio.FloatBuffer buf = java.nio.FloatBuffer.wrap(x);
            for (int r = from; r < to; r++) {
                dev.nnsdk.image.Image im = images.get(rows[r]).load();
                if (training && augmentation.enabled()) {
                    im = augmentation.apply(im, new Random(seed * 1_000_003L + 7_919L * rows[r] + 104_729L * epoch));
                }
                pre.apply(im, buf);
            }
            return x;
        }

        float[] pixels(int[] rows, int from, int to) {
            return pixels(rows, from, to, false);
        }

        @Override
        public double accumulate(TorchScriptClassifier model, int[] rows, int from, int to, int[] labels, double scale) {
            return model.accumulateImages(pixels(rows, from, to, true), to - from, labels, scale);
        }

        @Override
        public float[][] probabilities(TorchScriptClassifier model, int[] rows, int from, int to) {
            return model.imageProbabilities(pixels(rows, from, to), to - from);
        }

        @Override
        public float[][] features(TorchScriptClassifier model, int[] rows, int from, int to) {
            return model.imageFeatures(pixels(rows, from, to), to - from);
        }
    }

    /** Tokenised texts and right-padded batches of them. */
    static final class Batches implements Examples {
        final long[][] ids;
        final long[][] types;

        Batches(List<Encoding> enc) {
            ids = new long[enc.size()][];
            types = new long[enc.size()][];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = enc.get(i).ids();
                types[i] = enc.get(i).typeIds();
            }
        }

        @Override
        public int size() {
            return ids.length;
        }

        @Override
        public int length(int i) {
            return ids[i].length;
        }

        @Override
        public double accumulate(TorchScriptClassifier model, int[] rows, int from, int to, int[] labels, double scale) {
            Padded p = pad(rows, from, to);
            return model.accumulate(p.ids, p.mask, p.types, p.batch, p.seq, labels, scale);
        }

        @Override
        public float[][] probabilities(TorchScriptClassifier model, int[] rows, int from, int to) {
            Padded p = pad(rows, from, to);
            return model.probabilities(p.ids, p.mask, p.types, p.batch, p.seq);
        }

        @Override
        public float[][] features(TorchScriptClassifier model, int[] rows, int from, int to) {
            Padded p = pad(rows, from, to);
            return model.features(p.ids, p.mask, p.types, p.batch, p.seq);
        }

        /** Rows {@code rows} right-padded to their longest: {ids, mask, types} as flat [batch, seq] arrays, and seq. */
        Padded pad(int[] rows, int from, int to) {
            int seq = 1;
            for (int r = from; r < to; r++) {
                seq = Math.max(seq, ids[rows[r]].length);
            }
            int b = to - from;
            long[] id = new long[b * seq];
            long[] mask = new long[b * seq];
            long[] type = new long[b * seq];
            for (int r = 0; r < b; r++) {
                long[] x = ids[rows[from + r]];
                long[] t = types[rows[from + r]];
                System.arraycopy(x, 0, id, r * seq, x.length);
                System.arraycopy(t, 0, type, r * seq, t.length);
                Arrays.fill(mask, r * seq, r * seq + x.length, 1L);
            }
            return new Padded(id, mask, type, b, seq);
        }

    }

    /** One padded batch. */
    static final class Padded {
        final long[] ids;
        final long[] mask;
        final long[] types;
        final int batch;
        final int seq;

        Padded(long[] ids, long[] mask, long[] types, int batch, int seq) {
            this.ids = ids;
            this.mask = mask;
            this.types = types;
            this.batch = batch;
            this.seq = seq;
        }
    }
}
