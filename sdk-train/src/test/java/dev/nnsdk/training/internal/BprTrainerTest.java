package dev.nnsdk.training.internal;

import dev.nnsdk.training.config.LrSchedule;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.listener.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The BPR loop on a tiny synthetic catalogue: learns, is deterministic, and resumes exactly. */
class BprTrainerTest {
    @TempDir
    Path tmp;

    private static final int USERS = 30;
    private static final int ITEMS = 40;
    private static final int F = 8;

    /** Two user groups, each liking the items of one half (whose features share a direction). */
    private static int[][] positives() {
        Random r = new Random(3);
        int[][] p = new int[USERS][];
        for (int u = 0; u < USERS; u++) {
            int base = u % 2 == 0 ? 0 : ITEMS / 2;
            java.util.TreeSet<Integer> s = new java.util.TreeSet<Integer>();
            while (s.size() < 6) {
                s.add(base + r.nextInt(ITEMS / 2));
            }
            p[u] = s.stream().mapToInt(Integer::intValue).toArray();
        }
        return p;
    }

    private static float[] features() {
        Random r = new Random(4);
        float[] x = new float[ITEMS * F];
        for (int i = 0; i < ITEMS; i++) {
            for (int k = 0; k < F; k++) {
                x[i * F + k] = (float) (r.nextGaussian() * 0.3 + (k == (i < ITEMS / 2 ? 0 : 1) ? 1 : 0));
            }
        }
        return x;
    }

    private static BprTrainer trainer(TrainingConfig cfg, Path ckpt, final double[] lastPairAcc) {
        int[] pool = new int[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            pool[i] = i;
        }
        List<TrainingListener> ls = Collections.<TrainingListener>singletonList(new TrainingListener() {
            @Override
            public void onEpochEnd(dev.nnsdk.training.listener.EpochResult r) {
                lastPairAcc[0] = r.trainAccuracy();
            }
        });
        return new BprTrainer(cfg, USERS, ITEMS, 8, 1e-4, positives(), pool, features(), F,
                (u, v, b, d) -> new double[] {0, 0, 0}, ls, ckpt, "fp");
    }

    @Test
    void learnsIsDeterministicAndResumesExactly() {
        TrainingConfig cfg = TrainingConfig.builder().epochs(6).batchSize(16).learningRate(0.02)
                .schedule(LrSchedule.constant()).seed(5).build();
        double[] acc = new double[1];
        BprTrainer t = trainer(cfg, null, acc);
        TrainState a = t.train(t.initialState(), "test");
        assertTrue(acc[0] > 0.8, "pairwise training accuracy " + acc[0]);
        TrainState b = t.train(t.initialState(), "test");
        for (int i = 0; i < a.params.size(); i++) {
            assertArrayEquals(a.params.get(i), b.params.get(i), "param " + i + " differs between identical runs");
        }
        // 3 epochs with a checkpoint, then resume from the file to 6: the same weights as 6 in one go
        Path ckpt = tmp.resolve("ckpt");
        TrainingConfig three = TrainingConfig.builder().epochs(3).batchSize(16).learningRate(0.02)
                .schedule(LrSchedule.constant()).seed(5).build();
        BprTrainer first = trainer(three, ckpt, acc);
        first.train(first.initialState(), "test");
        TrainState saved = Checkpoints.read(ckpt);
        assertEquals(3, saved.epochsDone);
        BprTrainer rest = trainer(cfg, ckpt, acc);
        TrainState c = rest.train(saved, "test");
        assertEquals(6, c.epochsDone);
        for (int i = 0; i < a.params.size(); i++) {
            assertArrayEquals(a.params.get(i), c.params.get(i), "param " + i + " differs after resume");
        }
    }
}
