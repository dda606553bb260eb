package dev.nnsdk.training.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.training.GradientCollector;
import dev.nnsdk.SdkSettings;
import dev.nnsdk.training.TrainingConfig;
import dev.nnsdk.training.TrainingException;
import dev.nnsdk.training.listener.EpochResult;
import dev.nnsdk.training.listener.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains a two-tower recommender with the BPR loss on DJL PyTorch autograd. Parameters (in
 * {@link TrainState#params} order): user embedding U (users x d), item embedding E (items x d),
 * item bias b (items), and, when text features X (items x f) are given, the projection W (f x d).
 * The item vector is {@code X[i] W + E[i]} (hybrid) or {@code E[i]} (matrix factorisation); the
 * score is {@code U[u] . v[i] + b[i]}.
 *
 * <p>Each epoch pairs every training interaction (u, i) with one negative j drawn uniformly from
 * the allowed items the user has no training interaction with, shuffled; the loss is
 * {@code softplus(-(s(u,i) - s(u,j)))} plus {@code l2} times the squared norms of the batch's
 * user and item embedding rows (and biases). W gets the config's weight decay. The optimizer step is
 * {@link OptimizerState}'s, whose moments are checkpointed. Deterministic: initial weights from
 * {@code Random(seed)}, epoch {@code e} draws from {@code Random(mix(seed, e))}, so a resumed run
 * ends exactly like an uninterrupted one. Hybrid item embeddings start at zero, so items without
 * training interactions keep a pure content vector.
 */
public final class BprTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(BprTrainer.class);

    /** Computes validation metrics of given user / item vectors: {loss, hr, ndcg}. */
    public interface Validator {
        double[] validate(float[] userVectors, float[] itemVectors, float[] itemBias, int dim);
    }

    private final TrainingConfig cfg;
    private final int users;
    private final int items;
    private final int dim;
    private final double l2;
    private final int[][] positives;
    private final int[] negativePool;
    private final float[] features;
    private final int featureDim;
    private final Validator validator;
    private final boolean watchHr;
    private boolean useItemEmbedding = true;
    private final List<TrainingListener> listeners;
    private final Path checkpointDir;
    private final String fingerprint;

    /**
     * @param positives    per user, the training items
     * @param negativePool items negatives are drawn from
     * @param features     items x featureDim row-major text features, or {@code null} for matrix factorisation
     */
    public BprTrainer(TrainingConfig cfg, int users, int items, int dim, double l2, int[][] positives, int[] negativePool,
                      float[] features, int featureDim, Validator validator, List<TrainingListener> listeners,
                      Path checkpointDir, String fingerprint) {
        this.cfg = cfg;
        this.users = users;
        this.items = items;
        this.dim = dim;
        this.l2 = l2;
        this.positives = positives;
        this.negativePool = negativePool;
        this.features = features;
        this.featureDim = features == null ? 0 : featureDim;
        this.validator = validator;
        this.watchHr = TrainingConfig.ACCURACY.equals(cfg.earlyStoppingMetric());
        this.listeners = listeners;
        this.checkpointDir = checkpointDir;
        this.fingerprint = fingerprint;
    }

    /** Hybrid only: {@code false} drops the learned item embedding (content-only item vectors). */
    public BprTrainer itemEmbedding(boolean on) {
        this.useItemEmbedding = on || features == null;
        return this;
    }

    public int featureDim() {
        return featureDim;
    }

    /** Fresh weights from {@code Random(seed)}: U ~ N(0, 0.1^2); E ~ N(0, 0.1^2) (MF) or 0 (hybrid); b = 0; W Glorot. */
    public TrainState initialState() {
        TrainState s = new TrainState();
        s.fingerprint = fingerprint;
        Random rnd = new Random(cfg.seed());
        float[] u = new float[users * dim];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) (rnd.nextGaussian() * 0.1);
        }
        float[] e = new float[items * dim];
        if (features == null) {
            for (int i = 0; i < e.length; i++) {
                e[i] = (float) (rnd.nextGaussian() * 0.1);
            }
        }
        s.params.add(u);
        s.params.add(e);
        s.params.add(new float[items]);
        if (features != null) {
            float[] w = new float[featureDim * dim];
            double a = Math.sqrt(6.0 / (featureDim + dim));
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) ((rnd.nextDouble() * 2 - 1) * a);
            }
            s.params.add(w);
        }
        for (float[] p : s.params) {
            s.moment1.add(new float[p.length]);
            s.moment2.add(new float[p.length]);
            s.best.add(p.clone());
        }
        return s;
    }

    private Shape shapeOf(int i) {
        switch (i) {
            case 0:
                return new Shape(users, dim);
            case 1:
                return new Shape(items, dim);
            case 2:
                return new Shape(items, 1);
            default:
                return new Shape(featureDim, dim);
        }
    }

    /** Item vectors (items x d) of flat parameters, in plain Java: X W + E, or E. */
    public float[] itemVectors(List<float[]> params) {
        float[] e = params.get(1);
        if (features == null) {
            return e.clone();
        }
        float[] w = params.get(3);
        float[] v = useItemEmbedding ? e.clone() : new float[items * dim];
        for (int i = 0; i < items; i++) {
            int xo = i * featureDim;
            int vo = i * dim;
            for (int r = 0; r < featureDim; r++) {
                float x = features[xo + r];
                if (x == 0) {
                    continue;
                }
                int wo = r * dim;
                for (int k = 0; k < dim; k++) {
                    v[vo + k] += x * w[wo + k];
                }
            }
        }
        return v;
    }

    /** Runs the remaining epochs of {@code s} and returns the final state (best weights in {@code s.best}). */
    public TrainState train(TrainState s, String phase) {
        dev.nnsdk.djl.DjlSystemProperties.apply();
        ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) cfg.seed());
        // The steps are many small ops: one intra-op thread is several times faster than a pool
        // (no fork/join or spin-wait per op, which is ruinous on a shared machine) and keeps the
        // reductions' order fixed.
        int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        try {
            return trainEpochs(s, phase, engine);
        } finally {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        }
    }

    private TrainState trainEpochs(TrainState s, String phase, ai.djl.engine.Engine engine) {
        int[] pu;
        int[] pi;
        int n = 0;
        for (int[] p : positives) {
            n += p.length;
        }
        if (n == 0) {
            throw new TrainingException("No training interactions for " + phase);
        }
        pu = new int[n];
        pi = new int[n];
        for (int u = 0, k = 0; u < users; u++) {
            for (int i : positives[u]) {
                pu[k] = u;
                pi[k++] = i;
            }
        }
        java.util.List<java.util.HashSet<Integer>> own = new ArrayList<java.util.HashSet<Integer>>();
        for (int[] p : positives) {
            java.util.HashSet<Integer> h = new java.util.HashSet<Integer>();
            for (int i : p) {
                h.add(i);
            }
            own.add(h);
        }
        int bs = Math.min(cfg.batchSize(), n);
        int steps = (n + bs - 1) / bs;
        long totalSteps = (long) steps * cfg.epochs();
        for (TrainingListener l : listeners) {
            l.onTrainingStart(s.epochsDone + 1, cfg.epochs(), steps);
        }
        try (NDManager mgr = engine.newBaseManager(ai.djl.Device.cpu())) {
            boolean[] decayed = new boolean[s.params.size()];
            if (decayed.length > 3) {
                decayed[3] = true;                       // the text projection; embeddings and biases are not decayed
            }
            OptimizerState opt = new OptimizerState(mgr, s, this::shapeOf, decayed, cfg);
            List<NDArray> params = opt.params;
            NDArray x = features == null ? null : mgr.create(features, new Shape(items, featureDim));
            for (int epoch = s.epochsDone + 1; epoch <= cfg.epochs() && !s.stoppedEarly; epoch++) {
                long t0 = System.nanoTime();
                Random rnd = new Random(cfg.seed() * 1_000_003L + epoch);
                int[] perm = permutation(n, rnd);
                int[] neg = new int[n];
                for (int k = 0; k < n; k++) {
                    int u = pu[perm[k]];
                    java.util.HashSet<Integer> h = own.get(u);
                    int j;
                    int tries = 0;
                    do {
                        j = negativePool[rnd.nextInt(negativePool.length)];
                    } while (h.contains(j) && ++tries < 1000);
                    neg[k] = j;
                }
                double lossSum = 0;
                long correct = 0;
                double lr = cfg.learningRate();
                for (int b = 0; b < steps; b++) {
                    int from = b * bs;
                    int to = Math.min(n, from + bs);
                    int m = to - from;
                    lr = cfg.schedule().rate(cfg.learningRate(), s.step, totalSteps, epoch - 1);
                    long[] ub = new long[m];
                    long[] ib = new long[m];
                    long[] jb = new long[m];
                    for (int k = from; k < to; k++) {
                        ub[k - from] = pu[perm[k]];
                        ib[k - from] = pi[perm[k]];
                        jb[k - from] = neg[k];
                    }
                    try (NDScope scope = new NDScope()) {
                        NDArray uIdx = mgr.create(ub);
                        NDArray iIdx = mgr.create(ib);
                        NDArray jIdx = mgr.create(jb);
                        NDArray loss;
                        NDArray diff;
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDArray vu = rows(params.get(0), uIdx);
                            NDArray ei = rows(params.get(1), iIdx);
                            NDArray ej = rows(params.get(1), jIdx);
                            NDArray bi = rows(params.get(2), iIdx).reshape(m);
                            NDArray bj = rows(params.get(2), jIdx).reshape(m);
                            NDArray vi = ei;
                            NDArray vj = ej;
                            if (x != null) {
                                vi = rows(x, iIdx).matMul(params.get(3));
                                vj = rows(x, jIdx).matMul(params.get(3));
                                if (useItemEmbedding) {
                                    vi = vi.add(ei);
                                    vj = vj.add(ej);
                                } else {
                                    ei = ei.mul(0f);
                                    ej = ej.mul(0f);
                                }
                            }
                            NDArray si = vu.mul(vi).sum(new int[] {1}).add(bi);
                            NDArray sj = vu.mul(vj).sum(new int[] {1}).add(bj);
                            diff = si.sub(sj);
                            NDArray z = diff.neg();
                            NDArray bpr = z.maximum(0f).add(z.abs().neg().exp().add(1f).log()).mean();
                            NDArray reg = vu.square().sum().add(ei.square().sum()).add(ej.square().sum())
                                    .add(bi.square().sum()).add(bj.square().sum()).mul((float) (l2 / m));
                            loss = bpr.add(reg);
                            gc.backward(loss);
                            loss = bpr;
                        }
                        float lv = loss.getFloat();
                        if (Float.isNaN(lv) || Float.isInfinite(lv)) {
                            throw new TrainingException("Training (" + phase + ") diverged: the loss became " + lv
                                    + " at epoch " + epoch + ", batch " + (b + 1) + " (learning rate " + lr
                                    + "). Lower the learning rate and train again.");
                        }
                        lossSum += lv * (double) m;
                        for (float d : diff.toFloatArray()) {
                            if (d > 0) {
                                correct++;
                            }
                        }
                        opt.step(s.step + 1, lr);
                        s.step++;
                    }
                    for (TrainingListener l : listeners) {
                        l.onBatchEnd(epoch, b + 1, steps, lossSum / Math.max(1, to));
                    }
                }
                opt.copyTo(s);
                double[] v = validator.validate(s.params.get(0), itemVectors(s.params), s.params.get(2), dim);
                EpochResult r = new EpochResult(epoch, cfg.epochs(), lr, lossSum / n, correct / (double) n, v[0], v[1],
                        v[2], (System.nanoTime() - t0) / 1e9);
                double score = watchHr ? v[1] : v[2];
                if (s.bestEpoch == 0 || score > s.bestScore) {
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
                LOG.debug("{} {}", phase, r);
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

    /** Rows of a matrix by index (torch.embedding: differentiable with respect to the matrix). */
    private static NDArray rows(NDArray matrix, NDArray idx) {
        return matrix.getNDArrayInternal().embedding(idx, matrix, SparseFormat.DENSE).head();
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
}
