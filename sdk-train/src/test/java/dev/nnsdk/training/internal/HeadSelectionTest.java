package dev.nnsdk.training.internal;

import dev.nnsdk.format.HeadWeights;
import dev.nnsdk.training.config.HeadSearch;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.head.Head;
import dev.nnsdk.training.listener.TrainingListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default (auto) head on synthetic features: picks by validation log-loss, never worse than the linear head. */
class HeadSelectionTest {
    private static final List<String> LABELS = Arrays.asList("a", "b");
    private static final List<TrainingListener> NONE = Collections.<TrainingListener>emptyList();
    /** Without the refit, so the kept head is exactly the selected candidate and its record can be checked. */
    private static final HeadSearch SMALL = HeadSearch.builder().optCandidate(32, 0.1, 0).optMembers(2).optMaxEpochs(30)
            .optLearningRate(0.01).optRefit(false).build();
    private static final HeadSearch SMALL_REFIT = HeadSearch.builder().optCandidate(32, 0.1, 0).optMembers(2)
            .optMaxEpochs(30).optLearningRate(0.01).build();

    /** XOR of the signs of features 0 and 1 (shifted, so centring matters), 6 noise features. */
    private static float[][] xor(int n, long seed, int[] y) {
        Random r = new Random(seed);
        float[][] x = new float[n][8];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 8; j++) {
                x[i][j] = (float) r.nextGaussian();
            }
            y[i] = (x[i][0] > 0) == (x[i][1] > 0) ? 0 : 1;
            x[i][0] = x[i][0] + 3f;
            x[i][1] = x[i][1] * 1.5f - 7f;
        }
        return x;
    }

    /** Two Gaussian blobs: a linear problem. */
    private static float[][] blobs(int n, long seed, int[] y) {
        Random r = new Random(seed);
        float[][] x = new float[n][8];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int j = 0; j < 8; j++) {
                x[i][j] = (float) (r.nextGaussian() + (j < 2 && y[i] == 1 ? 1.2 : 0));
            }
        }
        return x;
    }

    private static HeadRun.Result run(TrainingConfig cfg, Head head, float[][] xt, int[] yt, float[][] xv, int[] yv) {
        return HeadRun.train(cfg, head, xt, yt, xv, yv, LABELS, NONE, null, false,
                Collections.<String, Object>singletonMap("test", "auto"));
    }

    private static double validLoss(HeadRun.Result r, float[][] xv, int[] yv) {
        return HeadSelection.score(r.best, xv, yv, LABELS, new float[] {1, 1})[0];
    }

    @Test
    void aNonLinearProblemKeepsTheMlpAndItsRecordMatches() {
        int[] yt = new int[400];
        int[] yv = new int[200];
        float[][] xt = xor(400, 1, yt);
        float[][] xv = xor(200, 2, yv);
        TrainingConfig cfg = TrainingConfig.builder().optHeadSearch(SMALL).optSeed(3).build();
        HeadRun.Result auto = run(cfg, Head.auto(), xt, yt, xv, yv);
        HeadRun.Result linear = run(cfg, Head.linear(), xt, yt, xv, yv);
        assertEquals("mlp", auto.head.type(), "XOR needs the hidden layer: " + auto.tuning);
        assertEquals(64, auto.head.hidden(), "2 members of 32 hidden units side by side");
        assertTrue(auto.validation.accuracy() > linear.validation.accuracy() + 0.2,
                auto.validation.accuracy() + " vs linear " + linear.validation.accuracy());
        assertKeptIsBestRecorded(auto, xv, yv);
        assertTrue(validLoss(auto, xv, yv) <= validLoss(linear, xv, yv));

        // Seeded: a second run keeps the same head with the same validation loss (up to libtorch's float summation,
        // whose last bits can follow memory alignment inside one JVM; separate runs of the CLI are bit-identical).
        HeadRun.Result again = run(cfg, Head.auto(), xt, yt, xv, yv);
        assertEquals(auto.head.toMap(), again.head.toMap());
        assertEquals(validLoss(auto, xv, yv), validLoss(again, xv, yv), 0.01);
    }

    @Test
    void aLinearProblemIsNeverWorseThanTheLinearHead() {
        int[] yt = new int[300];
        int[] yv = new int[100];
        float[][] xt = blobs(300, 5, yt);
        float[][] xv = blobs(100, 6, yv);
        TrainingConfig cfg = TrainingConfig.builder().optHeadSearch(SMALL).optSeed(3).build();
        HeadRun.Result auto = run(cfg, Head.auto(), xt, yt, xv, yv);
        HeadRun.Result linear = run(cfg, Head.linear(), xt, yt, xv, yv);
        assertKeptIsBestRecorded(auto, xv, yv);
        assertTrue(validLoss(auto, xv, yv) <= validLoss(linear, xv, yv) + 1e-6,
                validLoss(auto, xv, yv) + " vs linear " + validLoss(linear, xv, yv));
    }

    /**
     * The default refit: the same selection, then the kept head retrained on training + validation examples for the
     * members' best epoch counts; the reported validation figures are the selection's, and on held-out data the
     * refitted head is at least as good as the selected one up to noise.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theKeptHeadIsRefittedOnTrainingAndValidationExamples() {
        int[] yt = new int[400];
        int[] yv = new int[200];
        int[] yh = new int[1000];
        float[][] xt = xor(400, 1, yt);
        float[][] xv = xor(200, 2, yv);
        float[][] xh = xor(1000, 11, yh);
        HeadRun.Result selected = run(TrainingConfig.builder().optHeadSearch(SMALL).optSeed(3).build(), Head.auto(),
                xt, yt, xv, yv);
        HeadRun.Result refitted = run(TrainingConfig.builder().optHeadSearch(SMALL_REFIT).optSeed(3).build(),
                Head.auto(), xt, yt, xv, yv);
        assertEquals(selected.tuning.get("chosen"), refitted.tuning.get("chosen"), "the same selection");
        assertEquals(selected.head.toMap(), refitted.head.toMap());
        Map<String, Object> refit = (Map<String, Object>) refitted.tuning.get("refit");
        assertEquals(600, ((Number) refit.get("examples")).intValue(), refit.toString());
        Map<String, Object> chosen = (Map<String, Object>) refitted.tuning.get("chosen");
        assertEquals(((Number) chosen.get("validAccuracy")).doubleValue(), refitted.validation.accuracy(), 1e-9,
                "the reported validation accuracy is the selection's");
        assertTrue(selected.tuning.get("refit") == null);
        double before = HeadSelection.score(selected.best, xh, yh, LABELS, new float[] {1, 1})[1];
        double after = HeadSelection.score(refitted.best, xh, yh, LABELS, new float[] {1, 1})[1];
        assertTrue(after >= before - 0.03, "held-out accuracy refitted " + after + " vs selected " + before);
        assertTrue(!java.util.Arrays.equals(selected.best.weights(0), refitted.best.weights(0)),
                "the refit changed the weights");
    }

    @Test
    void explicitLinearSettingsMeanTheLinearHead() {
        int[] yt = new int[200];
        int[] yv = new int[60];
        float[][] xt = xor(200, 1, yt);
        float[][] xv = xor(60, 2, yv);
        for (TrainingConfig cfg : new TrainingConfig[] {
            TrainingConfig.builder().optHeadSearch(SMALL).optL2(1e-3).build(),
            TrainingConfig.builder().optHeadSearch(SMALL).optTune(false).build(),
            TrainingConfig.builder().optHeadSearch(HeadSearch.none()).build()}) {
            HeadRun.Result r = run(cfg, Head.auto(), xt, yt, xv, yv);
            assertEquals("linear", r.head.type(), cfg.toMap().toString());
            assertEquals(1, r.best.layers());
        }
    }

    /** The ensemble as one MLP: its logits are the mean of the members' logits on standardised features. */
    @Test
    void averagedMembersAreOneMlpOnRawFeatures() {
        int[] y = new int[50];
        float[][] x = xor(50, 9, y);
        HeadSelection.Standardized z = new HeadSelection.Standardized(x);
        Random r = new Random(4);
        List<TrainState> members = new ArrayList<TrainState>();
        int d = 8;
        int h = 5;
        int k = 2;
        for (int m = 0; m < 3; m++) {
            TrainState s = new TrainState();
            for (int size : new int[] {h * d, h, k * h, k}) {
                float[] p = new float[size];
                for (int i = 0; i < size; i++) {
                    p[i] = (float) r.nextGaussian();
                }
                s.best.add(p);
            }
            members.add(s);
        }
        HeadWeights combined = HeadTrainer.toHead(z.fold(HeadSelection.average(members, d, h, k)), new int[] {d, 3 * h, k});
        float[][] zx = z.apply(x);
        for (int i = 0; i < x.length; i++) {
            float[] expected = new float[k];
            for (TrainState s : members) {
                float[] l = HeadTrainer.toHead(s.best, new int[] {d, h, k}).logits(zx[i]);
                for (int c = 0; c < k; c++) {
                    expected[c] += l[c] / 3;
                }
            }
            assertArrayEquals(expected, combined.logits(x[i]), 2e-3f, "row " + i);
        }
    }

    /** The kept head is the recorded candidate with the lowest validation loss, up to the simpler-head margin. */
    @SuppressWarnings("unchecked")
    private static void assertKeptIsBestRecorded(HeadRun.Result r, float[][] xv, int[] yv) {
        assertEquals("auto", r.tuning.get("head"));
        List<Map<String, Object>> tried = (List<Map<String, Object>>) r.tuning.get("tried");
        Map<String, Object> chosen = (Map<String, Object>) r.tuning.get("chosen");
        assertEquals(r.head.type(), chosen.get("head"));
        double kept = ((Number) chosen.get("validLoss")).doubleValue();
        assertEquals(validLoss(r, xv, yv), kept, 1e-5, "the recorded loss is the kept head's");
        double linearBest = Double.POSITIVE_INFINITY;
        double best = Double.POSITIVE_INFINITY;
        for (Map<String, Object> t : tried) {
            double v = ((Number) t.get("validLoss")).doubleValue();
            if ("linear".equals(t.get("head"))) {
                linearBest = Math.min(linearBest, v);
            }
            best = Math.min(best, v);
            assertTrue(t.containsKey("validAccuracy"), t.toString());
        }
        assertTrue(kept <= linearBest + 1e-5, "never worse than the tuned linear head: " + tried);
        assertTrue(kept <= best / (1 - HeadSelection.MIN_GAIN) + 1e-5, "the best candidate up to the margin: " + tried);
    }
}
