package dev.nnsdk.training.internal;

import dev.nnsdk.training.config.Optimizer;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.config.TrainingException;
import dev.nnsdk.training.head.Head;
import dev.nnsdk.training.listener.EpochResult;
import dev.nnsdk.training.listener.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DJL training loop on synthetic, separable features (no backbone: fast). */
class HeadTrainerTest {
    private static final List<String> LABELS = Arrays.asList("a", "b", "c");

    /** Three Gaussian blobs in 16-d. */
    private static float[][] x(int n, long seed, int[] y) {
        Random r = new Random(seed);
        float[][] x = new float[n][16];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 16; j++) {
                x[i][j] = (float) (r.nextGaussian() * 0.8 + (j % 3 == y[i] ? 1.5 : 0));
            }
        }
        return x;
    }

    private static TrainState run(TrainingConfig cfg, Head head, Path ckpt, TrainState start, List<TrainingListener> ls) {
        int[] yt = new int[300];
        int[] yv = new int[90];
        float[][] xt = x(300, 1, yt);
        float[][] xv = x(90, 2, yv);
        HeadTrainer t = new HeadTrainer(cfg, head, xt, yt, xv, yv, LABELS, ls, ckpt, "fp");
        return t.train(start != null ? start : t.initialState());
    }

    @Test
    void learnsSeparableDataAndIsDeterministic() {
        TrainingConfig cfg = TrainingConfig.builder().epochs(5).batchSize(16).learningRate(0.01).seed(7).build();
        TrainState a = run(cfg, Head.mlp(32).dropout(0.2), null, null, Collections.<TrainingListener>emptyList());
        TrainState b = run(cfg, Head.mlp(32).dropout(0.2), null, null, Collections.<TrainingListener>emptyList());
        double acc = ((Number) a.history.get(a.history.size() - 1).get("valid_accuracy")).doubleValue();
        assertTrue(acc > 0.9, "validation accuracy " + acc);
        for (int i = 0; i < a.params.size(); i++) {
            assertArrayEquals(a.params.get(i), b.params.get(i), "param " + i + " differs between identical runs");
        }
        assertEquals(strip(a.history), strip(b.history));
    }

    @Test
    void sgdWithWeightDecayAndClassWeightsLearns() {
        TrainingConfig cfg = TrainingConfig.builder().epochs(4).batchSize(32).learningRate(0.05)
                .optimizer(Optimizer.sgd(0.9)).weightDecay(1e-3).balancedClassWeights(true).seed(3).build();
        TrainState a = run(cfg, Head.linear(), null, null, Collections.<TrainingListener>emptyList());
        double acc = ((Number) a.history.get(a.history.size() - 1).get("valid_accuracy")).doubleValue();
        assertTrue(acc > 0.9, "validation accuracy " + acc);
    }

    @Test
    void resumeAfterInterruptionEqualsStraightRun(@TempDir Path dir) {
        TrainingConfig cfg = TrainingConfig.builder().epochs(4).batchSize(16).learningRate(0.01).seed(11).build();
        TrainState straight = run(cfg, Head.mlp(16).dropout(0.3), null, null, Collections.<TrainingListener>emptyList());
        TrainingListener killer = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochResult r) {
                if (r.epoch() == 2) {
                    throw new IllegalStateException("interrupted");
                }
            }
        };
        assertThrows(IllegalStateException.class, () -> run(cfg, Head.mlp(16).dropout(0.3), dir, null,
                Collections.singletonList(killer)));
        TrainState saved = Checkpoints.read(dir);
        assertEquals(2, saved.epochsDone);
        TrainState resumed = run(cfg, Head.mlp(16).dropout(0.3), dir, saved, Collections.<TrainingListener>emptyList());
        for (int i = 0; i < straight.params.size(); i++) {
            assertArrayEquals(straight.params.get(i), resumed.params.get(i));
        }
        assertEquals(strip(straight.history), strip(resumed.history));
    }

    @Test
    void nanLossStopsWithClearMessageAndKeepsCheckpoint(@TempDir Path dir) {
        TrainingConfig cfg = TrainingConfig.builder().epochs(3).batchSize(16).learningRate(1e38)
                .optimizer(Optimizer.sgd(0.9)).schedule(dev.nnsdk.training.config.LrSchedule.constant()).seed(1).build();
        TrainingException e = assertThrows(TrainingException.class, () -> run(cfg, Head.linear(), dir, null,
                Collections.<TrainingListener>emptyList()));
        assertTrue(e.getMessage().contains("loss became"), e.getMessage());
    }

    /** History without wall-clock seconds. */
    private static List<String> strip(List<java.util.Map<String, Object>> h) {
        List<String> out = new ArrayList<String>();
        for (java.util.Map<String, Object> m : h) {
            java.util.Map<String, Object> c = new java.util.LinkedHashMap<String, Object>(m);
            c.remove("seconds");
            out.add(c.toString());
        }
        return out;
    }
}
