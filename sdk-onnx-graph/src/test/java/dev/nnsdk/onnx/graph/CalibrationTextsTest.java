package dev.nnsdk.onnx.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnsdk.onnx.graph.quant.Calibration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalibrationTextsTest {

    /**
     * The built-in calibration must reach far positions: sentences alone (~20 word pieces) left the activation ranges of
     * later positions unobserved, and the zoo's static int8 MiniLM fell to min cosine 0.969 on 60-word reviews.
     */
    @Test
    void builtInTextsCoverLongPositionsNotOnlySentences() {
        List<String> texts = CalibrationTexts.builtIn();
        assertEquals(79 + 20 + 7, texts.size(), "79 sentences, 20 passages of 4 and 7 of 12");
        List<Map<String, long[][]>> feeds = CalibrationTexts.feeds(TestModels.miniLmTokenizer(), texts, 16,
                List.of("input_ids", "attention_mask", "token_type_ids"));
        int longest = 0;
        int shortest = Integer.MAX_VALUE;
        for (Map<String, long[][]> f : feeds) {
            for (long[] row : f.get("attention_mask")) {
                int n = 0;
                for (long m : row) {
                    n += (int) m;
                }
                longest = Math.max(longest, n);
                shortest = Math.min(shortest, n);
            }
        }
        assertTrue(shortest < 40, "single sentences stay: shortest " + shortest);
        assertTrue(longest >= 200, "passages reach deep positions: longest " + longest + " word pieces");
    }

    @Test
    void theDefaultCalibrationNeverClips() {
        assertEquals("minmax", Calibration.defaults().toString());
        assertEquals(100.0, Calibration.defaults().percentileValue());
    }
}
