package dev.nnsdk.training.internal;

import dev.nnsdk.djl.training.BprModel;
import dev.nnsdk.djl.training.TrainingSession;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.config.TrainingException;
import dev.nnsdk.training.listener.TrainingListener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
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
 * user and item embedding rows (and biases). W gets the config's weight decay. The tensors and the
 * optimizer step live in sdk-djl's {@link BprModel}; the epoch loop (listeners, early stopping,
 * checkpoints, NaN stop) is {@link EpochLoop}'s. Deterministic: initial weights from
 * {@code Random(seed)}, epoch {@code e} draws from {@code Random(mix(seed, e))}, so a resumed run
 * ends exactly like an uninterrupted one. Hybrid item embeddings start at zero, so items without
 * training interactions keep a pure content vector.
 */
public final class BprTrainer {
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
        int n = 0;
        for (int[] p : positives) {
            n += p.length;
        }
        if (n == 0) {
            throw new TrainingException("No training interactions for " + phase);
        }
        final int[] pu = new int[n];
        final int[] pi = new int[n];
        for (int u = 0, k = 0; u < users; u++) {
            for (int i : positives[u]) {
                pu[k] = u;
                pi[k++] = i;
            }
        }
        final List<HashSet<Integer>> own = new ArrayList<HashSet<Integer>>();
        for (int[] p : positives) {
            HashSet<Integer> h = new HashSet<Integer>();
            for (int i : p) {
                h.add(i);
            }
            own.add(h);
        }
        // The steps are many small ops: TrainingSession runs them on one intra-op thread, several times faster
        // than a pool on a shared machine, with the reductions' order fixed.
        try (TrainingSession session = TrainingSession.open(cfg.seed())) {
            boolean[] decayed = new boolean[s.params.size()];
            if (decayed.length > 3) {
                decayed[3] = true;                       // the text projection; embeddings and biases are not decayed
            }
            final BprModel model = new BprModel(session, users, items, dim, l2, features, featureDim, useItemEmbedding,
                    s.params, s.moment1, s.moment2, decayed, HeadTrainer.optimizerSettings(cfg));
            EpochLoop loop = new EpochLoop(cfg, listeners, checkpointDir, phase, false,
                    r -> watchHr ? r.validAccuracy() : r.validMacroF1());
            final int total = n;
            return loop.run(s, new EpochLoop.Objective() {
                private int[] perm;
                private int[] neg;
                private double lossSum;
                private long correct;

                @Override
                public int examples() {
                    return total;
                }

                @Override
                public void beginEpoch(int epoch, Random rnd) {
                    perm = EpochLoop.permutation(total, rnd);
                    neg = new int[total];
                    for (int k = 0; k < total; k++) {
                        HashSet<Integer> h = own.get(pu[perm[k]]);
                        int j;
                        int tries = 0;
                        do {
                            j = negativePool[rnd.nextInt(negativePool.length)];
                        } while (h.contains(j) && ++tries < 1000);
                        neg[k] = j;
                    }
                    lossSum = 0;
                    correct = 0;
                }

                @Override
                public Double step(int b, int steps, int from, int to, double lr, long t) {
                    int m = to - from;
                    long[] ub = new long[m];
                    long[] ib = new long[m];
                    long[] jb = new long[m];
                    for (int k = from; k < to; k++) {
                        ub[k - from] = pu[perm[k]];
                        ib[k - from] = pi[perm[k]];
                        jb[k - from] = neg[k];
                    }
                    BprModel.StepResult r = model.step(ub, ib, jb, lr, t);
                    lossSum += r.loss * (double) m;
                    correct += r.correctPairs;
                    return lossSum / Math.max(1, to);
                }

                @Override
                public double[] endEpoch() {
                    return new double[] {lossSum / total, correct / (double) total};
                }

                @Override
                public double[] validate(TrainState st) {
                    model.copyTo(st.params, st.moment1, st.moment2);
                    return validator.validate(st.params.get(0), itemVectors(st.params), st.params.get(2), dim);
                }
            });
        }
    }
}
