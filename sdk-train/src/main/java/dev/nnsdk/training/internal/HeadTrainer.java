package dev.nnsdk.training.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.nnsdk.SdkSettings;
import dev.nnsdk.training.TrainingConfig;
import dev.nnsdk.training.TrainingException;
import dev.nnsdk.training.head.Head;
import dev.nnsdk.training.listener.EpochResult;
import dev.nnsdk.training.listener.TrainingListener;
import dev.nnsdk.training.metrics.ClassificationMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Trains a dense head on cached features with DJL PyTorch autograd. Deterministic: initial
 * weights come from {@code Random(seed)}, and epoch {@code e} shuffles and draws dropout masks
 * from {@code Random(mix(seed, e))}, so resuming after epoch {@code e} replays the exact same run.
 * The optimizer step (Adam or SGD with momentum, moments checkpointed) is {@link OptimizerState}'s.
 */
public final class HeadTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(HeadTrainer.class);

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
     * Runs the remaining epochs of {@code s} (from scratch or a checkpoint) and returns the final state.
     * The steps run on one libtorch intra-op thread (restored afterwards): a head's matrices are too
     * small to gain from more, and multi-threaded float sums vary with the machine's load, which
     * Adam amplifies on near-zero gradients; one thread makes runs and resumed runs bit-identical.
     */
    public TrainState train(TrainState s) {
        dev.nnsdk.djl.DjlSystemProperties.apply();
        ai.djl.engine.Engine.getEngine("PyTorch");
        int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        try {
            return trainSingleThreaded(s);
        } finally {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        }
    }

    private TrainState trainSingleThreaded(TrainState s) {
        ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) cfg.seed());
        int n = xTrain.length;
        int bs = Math.min(cfg.batchSize(), n);
        int steps = (n + bs - 1) / bs;
        long totalSteps = (long) steps * cfg.epochs();
        for (TrainingListener l : listeners) {
            l.onTrainingStart(s.epochsDone + 1, cfg.epochs(), steps);
        }
        try (NDManager mgr = engine.newBaseManager(ai.djl.Device.cpu())) {
            boolean[] decayed = new boolean[s.params.size()];
            for (int i = 0; i < decayed.length; i += 2) {
                decayed[i] = true;                       // weights, not biases
            }
            OptimizerState opt = new OptimizerState(mgr, s, this::shapeOf, decayed, cfg);
            List<NDArray> params = opt.params;
            int classes = labels.size();
            NDArray xAll = mgr.create(flatten(xTrain), new Shape(n, xTrain[0].length));
            NDArray tAll = mgr.create(weightedTargets(yTrain, classes), new Shape(n, classes));
            NDArray yAll = mgr.create(toLongs(yTrain));
            for (int epoch = s.epochsDone + 1; epoch <= cfg.epochs() && !s.stoppedEarly; epoch++) {
                long t0 = System.nanoTime();
                Random rnd = new Random(cfg.seed() * 1_000_003L + epoch);
                int[] perm = permutation(n, rnd);
                NDArray lossSum = mgr.zeros(new Shape());
                NDArray correct = mgr.zeros(new Shape(), ai.djl.ndarray.types.DataType.INT64);
                double lr = cfg.learningRate();
                // One gather per epoch puts the rows in this epoch's order; batches are then plain slices
                // (per-step DJL calls, not arithmetic, dominate the time of a small head).
                try (NDScope epochScope = new NDScope()) {
                    NDArray order = mgr.create(toLongs(perm));
                    NDArray xE = xAll.get(order);
                    NDArray tE = tAll.get(order);
                    NDArray yE = yAll.get(order);
                    for (int b = 0; b < steps; b++) {
                        int from = b * bs;
                        int to = Math.min(n, from + bs);
                        lr = cfg.schedule().rate(cfg.learningRate(), s.step, totalSteps, epoch - 1);
                        double running = Double.NaN;
                        double wsum = 0;
                        for (int i = from; i < to; i++) {
                            wsum += classWeights[yTrain[perm[i]]];
                        }
                        try (NDScope scope = new NDScope()) {
                            NDArray x = xE.get(from + ":" + to);
                            NDArray t = tE.get(from + ":" + to);
                            NDArray mask = dropoutMask(mgr, rnd, to - from);
                            NDArray logits;
                            NDArray loss;
                            try (GradientCollector gc = engine.newGradientCollector()) {
                                logits = forward(params, x, mask);
                                // Class-weighted mean cross-entropy: targets hold w[y] at the label's column.
                                loss = logits.logSoftmax(1).mul(t).sum().mul((float) (-1.0 / wsum));
                                gc.backward(loss);
                            }
                            lossSum.addi(loss.mul((float) (to - from)));
                            correct.addi(logits.argMax(1).eq(yE.get(from + ":" + to)).sum()
                                    .toType(ai.djl.ndarray.types.DataType.INT64, false));
                            opt.step(s.step + 1, lr);
                            s.step++;
                            if (b % 25 == 24 || b == steps - 1) {
                                running = lossSum.getFloat() / to;
                                if (Double.isNaN(running) || Double.isInfinite(running)) {
                                    throw new TrainingException("Training diverged: the loss became " + running + " in epoch "
                                            + epoch + " (by batch " + (b + 1) + ", learning rate " + lr + "). "
                                            + (s.epochsDone > 0 ? "The checkpoint of epoch " + s.epochsDone + " is kept in "
                                            + checkpointDir + "." : "No epoch finished, so there is no checkpoint.")
                                            + " Lower the learning rate and train again.");
                                }
                            }
                        }
                        if (!Double.isNaN(running)) {
                            for (TrainingListener l : listeners) {
                                l.onBatchEnd(epoch, b + 1, steps, running);
                            }
                        }
                    }
                }
                double trainLoss = lossSum.getFloat() / (double) n;
                double trainAcc = correct.getLong() / (double) n;
                lossSum.close();
                correct.close();
                opt.copyTo(s);
                float[][] validLogits = logits(s.params, xValid);
                double validLoss = meanLoss(validLogits, yValid);
                ClassificationMetrics vm = ClassificationMetrics.compute(yValid, argmax(validLogits), labels);
                EpochResult r = new EpochResult(epoch, cfg.epochs(), lr, trainLoss, trainAcc, validLoss,
                        vm.accuracy(), vm.macroF1(), (System.nanoTime() - t0) / 1e9);
                double score = r.validMetric(cfg.earlyStoppingMetric());
                if (TrainingConfig.LOSS.equals(cfg.earlyStoppingMetric())) {
                    score = -score;
                }
                // Without early stopping (patience 0) the last epoch is kept; with it, the best one.
                if (cfg.patience() == 0 || s.bestEpoch == 0 || score > s.bestScore) {
                    s.bestScore = score;
                    s.bestEpoch = epoch;
                    s.badEpochs = 0;
                    s.best = new ArrayList<float[]>();
                    for (float[] p : s.params) {
                        s.best.add(p.clone());
                    }
                } else {
                    s.badEpochs++;
                    if (cfg.patience() > 0 && s.badEpochs >= cfg.patience()) {
                        s.stoppedEarly = true;
                    }
                }
                s.epochsDone = epoch;
                s.history.add(r.toMap());
                if (checkpointDir != null) {
                    Checkpoints.write(checkpointDir, s);
                }
                LOG.debug("{}", r);
                for (TrainingListener l : listeners) {
                    l.onEpochEnd(r);
                }
            }
        }
        for (TrainingListener l : listeners) {
            l.onTrainingEnd(s.bestEpoch, s.stoppedEarly);
        }
        return s;
    }

    private Shape shapeOf(int paramIndex) {
        int k = paramIndex / 2;
        return paramIndex % 2 == 0 ? new Shape(sizes[k + 1], sizes[k]) : new Shape(sizes[k + 1]);
    }

    private static int[] permutation(int n, Random rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
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
    private NDArray dropoutMask(NDManager mgr, Random rnd, int rows) {
        if (sizes.length < 3 || head.dropout() <= 0) {
            return null;
        }
        int h = sizes[1];
        float keep = (float) (1 - head.dropout());
        float[] m = new float[rows * h];
        for (int i = 0; i < m.length; i++) {
            m[i] = rnd.nextFloat() < keep ? 1f / keep : 0f;
        }
        return mgr.create(m, new Shape(rows, h));
    }

    private static NDArray forward(List<NDArray> params, NDArray x, NDArray mask) {
        NDArray h = x;
        int layers = params.size() / 2;
        for (int k = 0; k < layers; k++) {
            h = h.matMul(params.get(2 * k).transpose()).add(params.get(2 * k + 1));
            if (k < layers - 1) {
                h = h.maximum(0f);
                if (mask != null) {
                    h = h.mul(mask);
                }
            }
        }
        return h;
    }

    /** Row i holds the class weight of y[i] in column y[i], zeros elsewhere. */
    private float[] weightedTargets(int[] y, int classes) {
        float[] t = new float[y.length * classes];
        for (int i = 0; i < y.length; i++) {
            t[i * classes + y[i]] = classWeights[y[i]];
        }
        return t;
    }

    private static long[] toLongs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
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

    /** Unused; keeps listeners list immutable for callers. */
    static List<TrainingListener> none() {
        return Collections.emptyList();
    }
}
