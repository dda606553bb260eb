package dev.nnsdk.training.internal;

import dev.nnsdk.djl.training.DenseHeadModel;
import dev.nnsdk.djl.training.OptimizerSettings;
import dev.nnsdk.djl.training.TrainingSession;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.head.Head;
import dev.nnsdk.training.listener.TrainingListener;
import dev.nnsdk.training.metrics.ClassificationMetrics;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Trains a dense head on cached features with DJL PyTorch autograd. Deterministic: initial
 * weights come from {@code Random(seed)}, and epoch {@code e} shuffles and draws dropout masks
 * from {@code Random(mix(seed, e))}, so resuming after epoch {@code e} replays the exact same run.
 * The epoch loop (listeners, early stopping, checkpoints, NaN stop) is {@link EpochLoop}'s; the tensors live
 * in sdk-djl's training surface ({@link DenseHeadModel}).
 */
public final class HeadTrainer {
    private final TrainingConfig cfg;
    private final Head head;
    private final int[] sizes;
    private final float[][] xTrain;
    private final int[] yTrain;
    private final float[][] xValid;
    private final int[] yValid;
    private final List<String> labels;
    private final float[] classWeights;
    private final List<TrainingListener> listeners;
    private final Path checkpointDir;
    private final String fingerprint;

    public HeadTrainer(TrainingConfig cfg, Head head, float[][] xTrain, int[] yTrain, float[][] xValid, int[] yValid,
                       List<String> labels, List<TrainingListener> listeners, Path checkpointDir, String fingerprint) {
        this.cfg = cfg;
        this.head = head;
        this.sizes = head.layerSizes(xTrain[0].length, labels.size());
        this.xTrain = xTrain;
        this.yTrain = yTrain;
        this.xValid = xValid;
        this.yValid = yValid;
        this.labels = labels;
        this.listeners = listeners;
        this.checkpointDir = checkpointDir;
        this.fingerprint = fingerprint;
        this.classWeights = classWeights(yTrain, labels.size(), cfg.balancedClassWeights());
    }

    static float[] classWeights(int[] y, int classes, boolean balanced) {
        float[] w = new float[classes];
        java.util.Arrays.fill(w, 1f);
        if (balanced) {
            long[] count = new long[classes];
            for (int v : y) {
                count[v]++;
            }
            for (int c = 0; c < classes; c++) {
                w[c] = count[c] == 0 ? 0f : (float) (y.length / (double) (classes * count[c]));
            }
        }
        return w;
    }

    /** A fresh state: Glorot-uniform weights from {@code Random(seed)}, zero biases and moments. */
    public TrainState initialState() {
        TrainState s = new TrainState();
        s.fingerprint = fingerprint;
        Random rnd = new Random(cfg.seed());
        for (int k = 0; k + 1 < sizes.length; k++) {
            int in = sizes[k];
            int out = sizes[k + 1];
            float[] w = new float[in * out];
            double a = Math.sqrt(6.0 / (in + out));
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) ((rnd.nextDouble() * 2 - 1) * a);
            }
            s.params.add(w);
            s.params.add(new float[out]);
        }
        for (float[] p : s.params) {
            s.moment1.add(new float[p.length]);
            s.moment2.add(new float[p.length]);
            s.best.add(p.clone());
        }
        return s;
    }

    /**
     * Runs the remaining epochs of {@code s} (from scratch or a checkpoint) and returns the final state,
     * through the shared {@link EpochLoop}; the steps run in a {@link TrainingSession} (sdk-djl: one
     * libtorch intra-op thread, so runs and resumed runs are bit-identical).
     */
    public TrainState train(TrainState s) {
        return train(s, Integer.MAX_VALUE);
    }

    /** {@link #train(TrainState)}, ending after epoch {@code stopAfterEpoch} with the schedule of the full run. */
    TrainState train(TrainState s, int stopAfterEpoch) {
        try (TrainingSession session = TrainingSession.open(cfg.seed())) {
            boolean[] decayed = new boolean[s.params.size()];
            for (int i = 0; i < decayed.length; i += 2) {
                decayed[i] = true;                       // weights, not biases
            }
            DenseHeadModel model = new DenseHeadModel(session, sizes, s.params, s.moment1, s.moment2, decayed,
                    optimizerSettings(cfg));
            model.setData(flatten(xTrain), xTrain.length, weightedTargets(yTrain, labels.size()), yTrain);
            EpochLoop loop = new EpochLoop(cfg, listeners, checkpointDir, null, true, r -> {
                double score = r.validMetric(cfg.earlyStoppingMetric());
                return TrainingConfig.LOSS.equals(cfg.earlyStoppingMetric()) ? -score : score;
            });
            return loop.stopAfterEpoch(stopAfterEpoch).run(s, new Objective(model));
        }
    }

    /** The optimizer of {@code cfg} as the training surface takes it. */
    public static OptimizerSettings optimizerSettings(TrainingConfig cfg) {
        return "adam".equals(cfg.optimizer().name())
                ? OptimizerSettings.adam(cfg.optimizer().beta1(), cfg.optimizer().beta2(), cfg.optimizer().epsilon(),
                cfg.weightDecay())
                : OptimizerSettings.sgd(cfg.optimizer().momentum(), cfg.weightDecay());
    }

    /** Class-weighted cross-entropy on the cached features, in the epoch's shuffled order. */
    private final class Objective implements EpochLoop.Objective {
        private final DenseHeadModel model;
        private int[] perm;
        private Random rnd;

        Objective(DenseHeadModel model) {
            this.model = model;
        }

        @Override
        public int examples() {
            return xTrain.length;
        }

        @Override
        public void beginEpoch(int epoch, Random rnd) {
            this.rnd = rnd;
            this.perm = EpochLoop.permutation(xTrain.length, rnd);
            model.beginEpoch(perm);
        }

        @Override
        public Double step(int b, int steps, int from, int to, double lr, long t) {
            double wsum = 0;
            for (int i = from; i < to; i++) {
                wsum += classWeights[yTrain[perm[i]]];
            }
            model.step(from, to, dropoutMask(rnd, to - from), wsum, lr, t);
            return b % 25 == 24 || b == steps - 1 ? model.lossSum() / to : null;
        }

        @Override
        public double[] endEpoch() {
            int n = xTrain.length;
            double[] r = {model.lossSum() / (double) n, model.correct() / (double) n};
            model.endEpoch();
            return r;
        }

        @Override
        public double[] validate(TrainState s) {
            model.copyTo(s.params, s.moment1, s.moment2);
            float[][] validLogits = logits(s.params, xValid);
            ClassificationMetrics vm = ClassificationMetrics.compute(yValid, argmax(validLogits), labels);
            return new double[] {meanLoss(validLogits, yValid), vm.accuracy(), vm.macroF1()};
        }
    }

    private static float[] flatten(float[][] x) {
        int d = x[0].length;
        float[] flat = new float[x.length * d];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, flat, i * d, d);
        }
        return flat;
    }

    /** Inverted-dropout mask for the hidden layer, or {@code null} (linear head or no dropout). */
    private float[] dropoutMask(Random rnd, int rows) {
        if (sizes.length < 3 || head.dropout() <= 0) {
            return null;
        }
        int h = sizes[1];
        float keep = (float) (1 - head.dropout());
        float[] m = new float[rows * h];
        for (int i = 0; i < m.length; i++) {
            m[i] = rnd.nextFloat() < keep ? 1f / keep : 0f;
        }
        return m;
    }

    /** Row i holds the class weight of y[i] in column y[i], zeros elsewhere. */
    private float[] weightedTargets(int[] y, int classes) {
        float[] t = new float[y.length * classes];
        for (int i = 0; i < y.length; i++) {
            t[i * classes + y[i]] = classWeights[y[i]];
        }
        return t;
    }

    /** Logits of the head with weights {@code params} (no dropout), in plain Java. */
    float[][] logits(List<float[]> params, float[][] x) {
        dev.nnsdk.format.HeadWeights h = toHead(params, sizes);
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = h.logits(x[i]);
        }
        return out;
    }

    /** Builds the plain-Java head from flat parameters (W0, b0, W1, b1, ...). */
    public static dev.nnsdk.format.HeadWeights toHead(List<float[]> params, int[] sizes) {
        int layers = params.size() / 2;
        float[][] w = new float[layers][];
        float[][] b = new float[layers][];
        int[] ins = new int[layers];
        for (int k = 0; k < layers; k++) {
            w[k] = params.get(2 * k);
            b[k] = params.get(2 * k + 1);
            ins[k] = sizes[k];
        }
        return new dev.nnsdk.format.HeadWeights(w, b, ins);
    }

    public int[] sizes() {
        return sizes.clone();
    }

    private double meanLoss(float[][] logits, int[] y) {
        double sum = 0;
        double wsum = 0;
        for (int i = 0; i < y.length; i++) {
            float[] p = dev.nnsdk.format.HeadWeights.softmax(logits[i]);
            double w = classWeights[y[i]];
            sum += -w * Math.log(Math.max(p[y[i]], 1e-12));
            wsum += w;
        }
        return wsum == 0 ? 0 : sum / wsum;
    }

    static int[] argmax(float[][] logits) {
        int[] out = new int[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = dev.nnsdk.format.HeadWeights.argmax(logits[i]);
        }
        return out;
    }
}
