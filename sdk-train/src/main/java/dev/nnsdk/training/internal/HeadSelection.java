package dev.nnsdk.training.internal;

import dev.nnsdk.format.HeadWeights;
import dev.nnsdk.training.config.HeadSearch;
import dev.nnsdk.training.config.LrSchedule;
import dev.nnsdk.training.config.Optimizer;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.head.Head;
import dev.nnsdk.training.listener.TrainingListener;
import dev.nnsdk.training.metrics.ClassificationMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Head#auto()} trains: the tuned linear head ({@link LinearHeadFit}) and every MLP candidate of
 * {@link TrainingConfig#headSearch()}, then keeps the one with the lowest class-weighted validation log-loss; a
 * candidate must beat the best simpler one (the linear head, then earlier candidates) by more than
 * {@link #MIN_GAIN} to be kept. The log-loss is the score because it is a proper, continuous score that the linear
 * L2 search and the MLPs' early stopping minimise already, and it is much less noisy than accuracy on the small
 * validation splits fine-tuning gets (400 reviews: one review is 0.25 points of accuracy).
 *
 * <p>MLP candidates train on centred features divided by one common scale ({@link Standardized}), each member
 * with {@link HeadTrainer} (Adam, warm-up + cosine, early stopping on the validation log-loss,
 * best epoch kept, no checkpoints: the search is minutes on cached features and deterministic, so a rerun gives the
 * same head); the members of a candidate are averaged in logit space, which is exactly one MLP with their hidden
 * layers side by side and the output weights divided by the member count, and the scaling is folded into
 * that first layer. So the kept head is a plain {@code head.bin} MLP (or linear) head, exported to ONNX as any other.
 * Seeded and deterministic; every candidate is logged and listed in training.json ({@code fit.tried}).
 */
final class HeadSelection {
    private static final Logger LOG = LoggerFactory.getLogger(HeadSelection.class);
    /** How much lower (relative) a more complex candidate's validation log-loss must be to be kept: 0.5%. */
    static final double MIN_GAIN = 0.005;

    final Head head;
    final TrainState state;
    final int[] sizes;
    final Map<String, Object> tuning;
    /** The kept head's validation metrics at selection time (before any refit), as HeadRun reports them. */
    final ClassificationMetrics validation;

    private HeadSelection(Head head, TrainState state, int[] sizes, Map<String, Object> tuning,
                          ClassificationMetrics validation) {
        this.head = head;
        this.state = state;
        this.sizes = sizes;
        this.tuning = tuning;
        this.validation = validation;
    }

    static HeadSelection run(TrainingConfig cfg, float[][] xTrain, int[] yTrain, float[][] xValid, int[] yValid,
                             List<String> labels, List<TrainingListener> listeners, String fingerprint) {
        long t0 = System.nanoTime();
        int d = xTrain[0].length;
        int k = labels.size();
        float[] cw = HeadTrainer.classWeights(yTrain, k, cfg.balancedClassWeights());
        List<Map<String, Object>> tried = new ArrayList<Map<String, Object>>();

        LinearHeadFit linear = LinearHeadFit.fit(cfg, xTrain, yTrain, xValid, yValid, labels, listeners, fingerprint);
        int[] linearSizes = {d, k};
        double[] lv = score(HeadTrainer.toHead(linear.state.best, linearSizes), xValid, yValid, labels, cw);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> linearTried = (List<Map<String, Object>>) linear.tuning.get("tried");
        for (Map<String, Object> m : linearTried) {
            Map<String, Object> e = new LinkedHashMap<String, Object>();
            e.put("head", "linear");
            e.putAll(m);
            tried.add(e);
        }
        LOG.info("auto head: linear (C {}): validation loss {}, accuracy {}",
                String.format("%.3g", (Double) linear.tuning.get("C")), f4(lv[0]), f4(lv[1]));
        Head bestHead = Head.linear();
        TrainState bestState = linear.state;
        int[] bestSizes = linearSizes;
        double bestLoss = lv[0];
        Map<String, Object> chosen = chosen("linear", lv);
        chosen.put("C", linear.tuning.get("C"));
        HeadSearch.Candidate bestCandidate = null;
        List<Integer> bestCandidateEpochs = null;

        HeadSearch search = cfg.headSearch();
        if (!search.candidates().isEmpty()) {
            Standardized z = new Standardized(xTrain);
            float[][] zTrain = z.apply(xTrain);
            float[][] zValid = z.apply(xValid);
            for (HeadSearch.Candidate c : search.candidates()) {
                long tc = System.nanoTime();
                List<TrainState> members = new ArrayList<TrainState>();
                List<Integer> bestEpochs = new ArrayList<Integer>();
                List<Integer> epochsRun = new ArrayList<Integer>();
                for (int m = 0; m < search.members(); m++) {
                    TrainingConfig mc = memberConfig(cfg, search, c, cfg.seed() + m, search.patience());
                    HeadTrainer t = new HeadTrainer(mc, Head.mlp(c.hidden()).dropout(c.dropout()), zTrain, yTrain,
                            zValid, yValid, labels, listeners, null, fingerprint);
                    TrainState s = t.train(t.initialState());
                    members.add(s);
                    bestEpochs.add(s.bestEpoch);
                    epochsRun.add(s.epochsDone);
                }
                int hidden = c.hidden() * members.size();
                int[] sizes = {d, hidden, k};
                List<float[]> params = z.fold(average(members, d, c.hidden(), k));
                double[] v = score(HeadTrainer.toHead(params, sizes), xValid, yValid, labels, cw);
                double seconds = (System.nanoTime() - tc) / 1e9;
                Map<String, Object> e = new LinkedHashMap<String, Object>();
                e.put("head", "mlp");
                e.putAll(c.toMap());
                e.put("members", members.size());
                e.put("bestEpochs", bestEpochs);
                e.put("epochsRun", epochsRun);
                e.put("validLoss", v[0]);
                e.put("validAccuracy", v[1]);
                e.put("seconds", seconds);
                tried.add(e);
                LOG.info("auto head: mlp {} x {} (dropout {}, weight decay {}): best epochs {}, validation loss {}, "
                                + "accuracy {} ({} s)", members.size(), c.hidden(), c.dropout(), c.weightDecay(),
                        bestEpochs, f4(v[0]), f4(v[1]), String.format("%.1f", seconds));
                if (v[0] < bestLoss * (1 - MIN_GAIN)) {
                    bestLoss = v[0];
                    bestHead = Head.mlp(hidden).dropout(c.dropout());
                    bestSizes = sizes;
                    bestState = combined(members.get(0), params, fingerprint, members);
                    chosen = chosen("mlp", v);
                    chosen.putAll(c.toMap());
                    chosen.put("members", members.size());
                    bestCandidate = c;
                    bestCandidateEpochs = bestEpochs;
                }
            }
        }
        ClassificationMetrics selected = HeadRun.validationMetrics(HeadTrainer.toHead(bestState.best, bestSizes), xValid,
                yValid, labels);
        Map<String, Object> refit = null;
        Map<String, Object> refitLinear = null;
        if (search.refit() && xValid.length > 0) {
            long tr = System.nanoTime();
            float[][] xAll = concat(xTrain, xValid);
            int[] yAll = concat(yTrain, yValid);
            refit = new LinkedHashMap<String, Object>();
            refit.put("examples", xAll.length);
            if (bestCandidate == null) {
                double c = (Double) linear.tuning.get("C");
                TrainingConfig rc = TrainingConfig.builder().optSolver("lbfgs").optL2(1.0 / (c * xAll.length))
                        .optTune(false).optBalancedClassWeights(cfg.balancedClassWeights()).optSeed(cfg.seed()).build();
                LinearHeadFit f = LinearHeadFit.fit(rc, xAll, yAll, xValid, yValid, labels,
                        java.util.Collections.<TrainingListener>emptyList(), fingerprint);
                f.state.history = bestState.history;       // the selection's figures, not the refit's (it saw them)
                bestState = f.state;
                refit.put("C", c);
                refit.put("l2", f.tuning.get("l2"));
                refitLinear = f.tuning;
            } else {
                Standardized z = new Standardized(xAll);
                float[][] zAll = z.apply(xAll);
                List<TrainState> members = new ArrayList<TrainState>();
                for (int m = 0; m < bestCandidateEpochs.size(); m++) {
                    int epochs = Math.max(1, bestCandidateEpochs.get(m));
                    TrainingConfig mc = memberConfig(cfg, search, bestCandidate, cfg.seed() + m, 0);
                    HeadTrainer t = new HeadTrainer(mc, Head.mlp(bestCandidate.hidden()).dropout(bestCandidate.dropout()),
                            zAll, yAll, z.apply(xValid), yValid, labels,
                            java.util.Collections.<TrainingListener>emptyList(), null, fingerprint);
                    members.add(t.train(t.initialState(), epochs));
                }
                List<float[]> params = z.fold(average(members, xAll[0].length, bestCandidate.hidden(), k));
                TrainState first = bestState;
                bestState = combined(members.get(0), params, fingerprint, members);
                bestState.history = first.history;
                bestState.bestEpoch = first.bestEpoch;
                refit.put("epochs", bestCandidateEpochs);
            }
            refit.put("seconds", (System.nanoTime() - tr) / 1e9);
            LOG.info("auto head: {} refitted on the {} training + validation examples ({} s)", chosen.get("head"),
                    xAll.length, String.format("%.1f", (System.nanoTime() - tr) / 1e9));
        }
        LOG.info("auto head: kept {} (validation loss {}, accuracy {}), {} s in all", chosen.get("head"),
                f4((Double) chosen.get("validLoss")), f4((Double) chosen.get("validAccuracy")),
                String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        Map<String, Object> tuning = new LinkedHashMap<String, Object>();
        tuning.put("head", "auto");
        tuning.put("selectedBy", "validation log-loss (a more complex head must be " + (MIN_GAIN * 100)
                + "% lower to be kept)");
        tuning.put("chosen", chosen);
        tuning.put("tried", tried);
        tuning.put("search", search.toMap());
        if (refit != null) {
            tuning.put("refit", refit);
        }
        tuning.put("linear", linearSummary(linear.tuning));
        Map<String, Object> stats = refitLinear != null ? refitLinear : linear.tuning;
        tuning.put("featureMean", stats.get("featureMean"));
        tuning.put("featureStd", stats.get("featureStd"));
        return new HeadSelection(bestHead, bestState, bestSizes, tuning, selected);
    }

    static float[][] concat(float[][] a, float[][] b) {
        float[][] out = new float[a.length + b.length][];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = new int[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * A member's training: the search's optimizer settings and schedule (over {@link HeadSearch#maxEpochs()}), the run's
     * class weighting, early stopping on loss after {@code patience} epochs (0 for a refit, which replays the selected
     * member's first epochs with {@code HeadTrainer.train(state, bestEpoch)}).
     */
    static TrainingConfig memberConfig(TrainingConfig cfg, HeadSearch search, HeadSearch.Candidate c, long seed,
                                       int patience) {
        return TrainingConfig.builder().optSolver("sgd").optEpochs(search.maxEpochs()).optBatchSize(search.batchSize())
                .optLearningRate(search.learningRate()).optOptimizer(Optimizer.adam()).optWeightDecay(c.weightDecay())
                .optSchedule(LrSchedule.warmupCosine(0.1)).optBalancedClassWeights(cfg.balancedClassWeights())
                .optEarlyStopping(TrainingConfig.LOSS, patience).optSeed(seed).build();
    }

    private static Map<String, Object> chosen(String head, double[] v) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("head", head);
        m.put("validLoss", v[0]);
        m.put("validAccuracy", v[1]);
        return m;
    }

    private static Map<String, Object> linearSummary(Map<String, Object> t) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        for (String key : new String[] {"solver", "standardized", "selectedBy", "l2", "C"}) {
            m.put(key, t.get(key));
        }
        return m;
    }

    /**
     * The logit average of the members (each W1 hidden x d, b1, W2 k x hidden, b2, on standardised features): one MLP
     * with the hidden layers stacked and the output weights divided by the member count.
     */
    static List<float[]> average(List<TrainState> members, int d, int hidden, int k) {
        int count = members.size();
        float[] w1 = new float[count * hidden * d];
        float[] b1 = new float[count * hidden];
        float[] w2 = new float[k * count * hidden];
        float[] b2 = new float[k];
        for (int m = 0; m < count; m++) {
            List<float[]> p = members.get(m).best;
            System.arraycopy(p.get(0), 0, w1, m * hidden * d, hidden * d);
            System.arraycopy(p.get(1), 0, b1, m * hidden, hidden);
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < hidden; j++) {
                    w2[c * count * hidden + m * hidden + j] = p.get(2)[c * hidden + j] / count;
                }
                b2[c] += p.get(3)[c] / count;
            }
        }
        List<float[]> out = new ArrayList<float[]>();
        out.add(w1);
        out.add(b1);
        out.add(w2);
        out.add(b2);
        return out;
    }

    /** The kept state of an MLP candidate: the averaged weights, the first member's history and epochs. */
    private static TrainState combined(TrainState first, List<float[]> params, String fingerprint,
                                       List<TrainState> members) {
        TrainState s = new TrainState();
        s.fingerprint = fingerprint;
        for (float[] p : params) {
            s.params.add(p);
            s.best.add(p.clone());
            s.moment1.add(new float[p.length]);
            s.moment2.add(new float[p.length]);
        }
        s.epochsDone = first.epochsDone;
        s.bestEpoch = first.bestEpoch;
        s.bestScore = first.bestScore;
        s.stoppedEarly = first.stoppedEarly;
        for (TrainState m : members) {
            s.step += m.step;
        }
        s.history = first.history;
        return s;
    }

    /** {class-weighted mean log-loss, accuracy} of {@code head} on raw features. */
    static double[] score(HeadWeights head, float[][] x, int[] y, List<String> labels, float[] cw) {
        double loss = 0;
        double wsum = 0;
        int[] pred = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            float[] z = head.logits(x[i]);
            double max = Double.NEGATIVE_INFINITY;
            for (float v : z) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (float v : z) {
                sum += Math.exp(v - max);
            }
            loss += cw[y[i]] * (Math.log(sum) + max - z[y[i]]);
            wsum += cw[y[i]];
            pred[i] = HeadWeights.argmax(z);
        }
        double acc = x.length == 0 ? 0 : ClassificationMetrics.compute(y, pred, labels).accuracy();
        return new double[] {wsum == 0 ? 0 : loss / wsum, acc};
    }

    private static String f4(double v) {
        return String.format("%.4f", v);
    }

    /**
     * Centring with the training split's means and ONE common scale (the root mean square of the centred values), and
     * its folding into a first layer. Not per feature: sparse post-ReLU image features have many near-dead dimensions
     * whose tiny spread per-feature standardisation turns into loud noise (Fashion-MNIST MobileNetV2 features: 60%
     * zeros; an MLP scored 0.826 on them standardised, 0.856 on one common scale), while text embeddings, nearly
     * isotropic, train the same either way.
     */
    static final class Standardized {
        final double[] mean;
        final double[] std;

        Standardized(float[][] x) {
            int n = x.length;
            int d = x[0].length;
            mean = new double[d];
            std = new double[d];
            for (float[] row : x) {
                for (int j = 0; j < d; j++) {
                    mean[j] += row[j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= n;
            }
            double all = 0;
            for (float[] row : x) {
                for (int j = 0; j < d; j++) {
                    double t = row[j] - mean[j];
                    all += t * t;
                }
            }
            double common = Math.sqrt(all / ((double) n * d));
            java.util.Arrays.fill(std, common > 1e-12 ? common : 1);
        }

        float[][] apply(float[][] x) {
            float[][] z = new float[x.length][];
            for (int i = 0; i < x.length; i++) {
                float[] r = new float[mean.length];
                for (int j = 0; j < r.length; j++) {
                    r[j] = (float) ((x[i][j] - mean[j]) / std[j]);
                }
                z[i] = r;
            }
            return z;
        }

        /** {@code params} (W1 out x d on standardised features, b1, ...) as weights on raw features. */
        List<float[]> fold(List<float[]> params) {
            int d = mean.length;
            float[] w = params.get(0);
            float[] b = params.get(1);
            int out = b.length;
            float[] w2 = new float[w.length];
            float[] b2 = new float[out];
            for (int r = 0; r < out; r++) {
                double bias = b[r];
                for (int j = 0; j < d; j++) {
                    double v = w[r * d + j] / std[j];
                    w2[r * d + j] = (float) v;
                    bias -= v * mean[j];
                }
                b2[r] = (float) bias;
            }
            List<float[]> outList = new ArrayList<float[]>(params);
            outList.set(0, w2);
            outList.set(1, b2);
            return outList;
        }
    }
}
