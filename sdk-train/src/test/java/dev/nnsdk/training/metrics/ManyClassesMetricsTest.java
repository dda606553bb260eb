package dev.nnsdk.training.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 17 item 7: metrics grow with the examples, not with the square of the classes (10,000 classes: a 301 MB metrics.json). */
class ManyClassesMetricsTest {

    @Test
    void tenThousandClassesGiveSmallMetrics() throws Exception {
        int c = 10_000;
        List<String> labels = new ArrayList<String>();
        for (int i = 0; i < c; i++) {
            labels.add("class-" + i);
        }
        int n = 20_000;
        int[] truth = new int[n];
        int[] pred = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i % c;
            pred[i] = i % 4 == 0 ? (i + 1) % c : i % c;   // 75% right
        }
        long heap0 = used();
        ClassificationMetrics m = ClassificationMetrics.compute(truth, pred, labels);
        Map<String, Object> json = m.toMap();
        byte[] bytes = new ObjectMapper().writeValueAsBytes(json);
        assertTrue(bytes.length < 5_000_000, "metrics of " + bytes.length + " bytes");
        assertTrue(used() - heap0 < 300L << 20, "heap grew by " + (used() - heap0));
        assertEquals(0.75, m.accuracy(), 1e-12);
        assertEquals(2, m.confusion(0, 1));   // examples 0 and 10,000: class 0, predicted 1
        assertEquals(0, m.confusion(0, 0));
        assertEquals(2, m.confusion(1, 1));   // examples 1 and 10,001: right
        assertEquals(0, m.confusion(5, 7));
        assertFalse(json.containsKey("confusion_matrix"));
        assertEquals(countCells(truth, pred), ((List<?>) json.get("confusion_cells")).size());
    }

    private static int countCells(int[] t, int[] p) {
        java.util.Set<Long> s = new java.util.HashSet<Long>();
        for (int i = 0; i < t.length; i++) {
            s.add((long) t[i] * 100_000 + p[i]);
        }
        return s.size();
    }

    private static long used() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
