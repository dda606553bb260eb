package dev.nnsdk.djl.training;

import dev.nnsdk.InvalidInputException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trains the shared assets' TorchScript MiniLM end to end on a toy task (is token 2000 in the text?). */
class TorchScriptClassifierTest {
    private static final int BATCH = 16;
    private static final int SEQ = 12;

    static Path minilm() {
        String dir = System.getenv("SDK_ASSETS_DIR") != null ? System.getenv("SDK_ASSETS_DIR")
                : System.getProperty("sdk.assets.dir");
        Path p = dir == null ? null : Paths.get(dir, "models", "minilm-l6-v2", "model.torchscript.pt");
        if (p == null || !Files.isRegularFile(p)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI: the shared asset models/minilm-l6-v2/model.torchscript.pt is missing "
                        + "(set SDK_ASSETS_DIR)");
            }
            Assumptions.abort("SDK_ASSETS_DIR with models/minilm-l6-v2/model.torchscript.pt not set");
        }
        return p;
    }

    @Test
    void lastLayerAndHeadLearnAToyTaskAndOnlyTheyChange() {
        Path pt = minilm();
        Random r = new Random(1);
        long[] ids = new long[BATCH * SEQ];
        long[] mask = new long[BATCH * SEQ];
        long[] types = new long[BATCH * SEQ];
        int[] y = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            int len = 6 + r.nextInt(SEQ - 6);
            y[i] = i % 2;
            for (int j = 0; j < len; j++) {
                ids[i * SEQ + j] = j == 0 ? 101 : j == len - 1 ? 102 : 3000 + r.nextInt(2000);
                mask[i * SEQ + j] = 1;
            }
            if (y[i] == 1) {
                ids[i * SEQ + 1 + r.nextInt(len - 2)] = 2000;
            }
        }
        float[] w = new float[2 * 384];
        float[] b = new float[2];
        try (TrainingSession s = TrainingSession.open(7);
             TorchScriptClassifier m = TorchScriptClassifier.load(s, pt, 2, w, b, "last:1",
                     new TorchScriptClassifier.Settings(0.01, 0.9, 1.0))) {
            assertEquals(6, m.layers());
            List<String> trained = m.trainableParameterNames();
            assertFalse(trained.isEmpty());
            for (String n : trained) {
                assertTrue(n.matches("(.*\\.)?layers?\\.5\\..*"), n + " is not in the last layer");
            }
            String frozen = m.parameterNames().get(0);
            float[] frozenBefore = m.parameter(frozen);
            float[] trainedBefore = m.parameter(trained.get(0));
            double first = Double.NaN;
            double last = Double.NaN;
            for (int step = 1; step <= 12; step++) {
                // two micro-batches of 8 per step (gradient accumulation)
                double l = 0;
                for (int half = 0; half < 2; half++) {
                    int from = half * BATCH / 2;
                    l += m.accumulate(Arrays.copyOfRange(ids, from * SEQ, (from + 8) * SEQ),
                            Arrays.copyOfRange(mask, from * SEQ, (from + 8) * SEQ),
                            Arrays.copyOfRange(types, from * SEQ, (from + 8) * SEQ), 8, SEQ,
                            Arrays.copyOfRange(y, from, from + 8), 0.5) / 2;
                }
                double norm = m.update(1e-4, 0.5, step);
                assertTrue(norm > 0 && !Double.isNaN(norm), "gradient norm " + norm);
                if (step == 1) {
                    first = l;
                }
                last = l;
            }
            assertTrue(last < first * 0.7, "loss " + first + " -> " + last);
            assertArrayEquals(frozenBefore, m.parameter(frozen), "frozen " + frozen + " unchanged");
            assertFalse(Arrays.equals(trainedBefore, m.parameter(trained.get(0))), trained.get(0) + " trained");
            float[][] p = m.probabilities(ids, mask, types, BATCH, SEQ);
            int right = 0;
            for (int i = 0; i < BATCH; i++) {
                right += (p[i][1] > p[i][0] ? 1 : 0) == y[i] ? 1 : 0;
                assertEquals(1.0, p[i][0] + p[i][1], 1e-5);
            }
            assertTrue(right >= 12, right + " / 16 right after training");
        }
    }

    @Test
    void badSettingsAndSelectionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TorchScriptClassifier.Settings(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new TorchScriptClassifier.Settings(0, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> new TorchScriptClassifier.Settings(0, 0, 1));
        List<String> names = Arrays.asList("embeddings.word.weight", "encoder.layer.0.w", "encoder.layer.1.w");
        assertEquals(Arrays.asList("encoder.layer.1.w"), TorchScriptClassifier.select(names, "last:1"));
        assertEquals(names, TorchScriptClassifier.select(names, "all"));
        assertTrue(TorchScriptClassifier.select(names, "none").isEmpty());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TorchScriptClassifier.select(names, "last:3"));
        assertTrue(e.getMessage().contains("1..2"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> TorchScriptClassifier.select(names, "some"));
    }
}
