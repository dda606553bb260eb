package dev.nnsdk.training.internal;

import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.head.LinearHeadSolver;
import dev.nnsdk.training.listener.EpochResult;
import dev.nnsdk.training.listener.TrainingListener;
import dev.nnsdk.training.metrics.ClassificationMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default way a linear head is trained: {@link LinearHeadSolver} (standardised features, L-BFGS
 * to convergence) and, when the L2 strength is not set and {@link TrainingConfig#tune()} is on, a
 * search over {@code C} in {@link #GRID} ({@code l2 = 1 / (C n)}, scikit-learn's parameterisation,
 * from strong to weak regularisation, each fit warm-started from the previous one) that keeps the
 * candidate with the lowest validation log-loss (ties: the stronger regularisation); the search stops
 * once the validation loss rose twice in a row after its minimum (the curve is U-shaped). Deterministic,
 * logged, and recorded in training.json ({@code tuning}).
 */
final class LinearHeadFit {
    private static final Logger LOG = LoggerFactory.getLogger(LinearHeadFit.class);
    /** Inverse regularisation strengths tried; 1.0 is scikit-learn's default. */
    static final double[] GRID = {0.003, 0.01, 0.03, 0.1, 0.3, 1, 3};

    final TrainState state;
    final Map<String, Object> tuning = new LinkedHashMap<String, Object>();

    private LinearHeadFit(TrainState state) {
        this.state = state;
    }

    static LinearHeadFit fit(TrainingConfig cfg, float[][] xTrain, int[] yTrain, float[][] xValid, int[] yValid,
                             List<String> labels, List<TrainingListener> listeners, String fingerprint) {
        return fit(cfg, xTrain, yTrain, xValid, yValid, labels, listeners, fingerprint, true);
    }

    /** {@code perFeature}: per-feature standardisation (default) or one common scale (see {@link LinearHeadSolver}). */
    static LinearHeadFit fit(TrainingConfig cfg, float[][] xTrain, int[] yTrain, float[][] xValid, int[] yValid,
                             List<String> labels, List<TrainingListener> listeners, String fingerprint, boolean perFeature) {
        long t0 = System.nanoTime();
        int k = labels.size();
        float[] cw = HeadTrainer.classWeights(yTrain, k, cfg.balancedClassWeights());
        LinearHeadSolver solver = new LinearHeadSolver(xTrain, yTrain, k, cw, perFeature);
        int n = xTrain.length;
        double[] grid;
        if (!Double.isNaN(cfg.l2())) {
            grid = new double[] {cfg.l2()};
        } else if (!cfg.tune() || xValid.length == 0) {
            grid = new double[] {1.0 / n};               // C = 1
        } else {
            grid = new double[GRID.length];
            for (int i = 0; i < GRID.length; i++) {
                grid[i] = 1.0 / (GRID[i] * n);
            }
        }
        for (TrainingListener l : listeners) {
            l.onTrainingStart(1, 1, grid.length);
        }
        LinearHeadSolver.Fit best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        double[] bestV = null;
        LinearHeadSolver.Fit warm = null;
        int worse = 0;
        List<Map<String, Object>> tried = new ArrayList<Map<String, Object>>();
        for (int g = 0; g < grid.length; g++) {
            LinearHeadSolver.Fit f = solver.fit(grid[g], warm);
            warm = f;
            double[] v = evaluate(f, xValid, yValid, labels, cw);
            Map<String, Object> m = new LinkedHashMap<String, Object>();
            m.put("l2", grid[g]);
            m.put("C", 1.0 / (grid[g] * n));
            m.put("iterations", f.iterations);
            m.put("converged", f.converged);
            m.put("validLoss", v[0]);
            m.put("validAccuracy", v[1]);
            tried.add(m);
            LOG.info("linear head: l2 {} (C {}): {} L-BFGS iterations{}, validation loss {}, accuracy {}",
                    String.format("%.3g", grid[g]), String.format("%.3g", 1.0 / (grid[g] * n)), f.iterations,
                    f.converged ? "" : " (not converged)", String.format("%.4f", v[0]), String.format("%.4f", v[1]));
            if (best == null || v[0] < bestLoss - 1e-9) {
                best = f;
                bestLoss = v[0];
                bestV = v;
                worse = 0;
            } else if (++worse >= 2) {
                for (TrainingListener l : listeners) {
                    l.onBatchEnd(1, g + 1, grid.length, f.objective);
                }
                break;
            }
            for (TrainingListener l : listeners) {
                l.onBatchEnd(1, g + 1, grid.length, f.objective);
            }
        }
        double[] tr = evaluate(best, xTrain, yTrain, labels, cw);
        TrainState s = new TrainState();
        s.fingerprint = fingerprint;
        s.params.add(best.weights);
        s.params.add(best.bias);
        for (float[] p : s.params) {
            s.moment1.add(new float[p.length]);
            s.moment2.add(new float[p.length]);
            s.best.add(p.clone());
        }
        s.epochsDone = 1;
        s.bestEpoch = 1;
        s.step = best.iterations;
        EpochResult r = new EpochResult(1, 1, 0, tr[0], tr[1], bestV[0], bestV[1], bestV[2],
                (System.nanoTime() - t0) / 1e9);
        s.history.add(r.toMap());
        for (TrainingListener l : listeners) {
            l.onEpochEnd(r);
            l.onTrainingEnd(1, false);
        }
        LinearHeadFit out = new LinearHeadFit(s);
        out.tuning.put("solver", "lbfgs");
        out.tuning.put("standardized", perFeature ? true : "one common scale");
        out.tuning.put("selectedBy", grid.length > 1 ? "validation log-loss" : "fixed");
        out.tuning.put("l2", best.l2);
        out.tuning.put("C", 1.0 / (best.l2 * n));
        out.tuning.put("tried", tried);
        out.tuning.put("featureMean", toFloats(best.mean));
        out.tuning.put("featureStd", toFloats(best.std));
        return out;
    }

    /** {class-weighted mean log-loss, accuracy, macro-F1} of the raw-feature head {@code f}. */
    private static double[] evaluate(LinearHeadSolver.Fit f, float[][] x, int[] y, List<String> labels, float[] cw) {
        int k = labels.size();
        int d = f.weights.length / k;
        int[] pred = new int[x.length];
        double loss = 0;
        double wsum = 0;
        double[] z = new double[k];
        for (int i = 0; i < x.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int c = 0; c < k; c++) {
                double v = f.bias[c];
                for (int j = 0; j < d; j++) {
                    v += f.weights[c * d + j] * x[i][j];
                }
                z[c] = v;
                if (v > max) {
                    max = v;
                    arg = c;
                }
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z[c] - max);
            }
            loss += cw[y[i]] * (Math.log(sum) + max - z[y[i]]);
            wsum += cw[y[i]];
            pred[i] = arg;
        }
        if (x.length == 0) {
            return new double[] {0, 0, 0};
        }
        ClassificationMetrics m = ClassificationMetrics.compute(y, pred, labels);
        return new double[] {wsum == 0 ? 0 : loss / wsum, m.accuracy(), m.macroF1()};
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
