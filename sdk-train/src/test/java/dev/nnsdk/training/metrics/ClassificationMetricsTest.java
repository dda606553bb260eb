package dev.nnsdk.training.metrics;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassificationMetricsTest {
    @Test
    void matchesHandComputedValues() {
        // truth: a a a b b c ; predicted: a a b b c c
        ClassificationMetrics m = ClassificationMetrics.compute(new int[] {0, 0, 0, 1, 1, 2}, new int[] {0, 0, 1, 1, 2, 2},
                Arrays.asList("a", "b", "c"));
        assertEquals(4 / 6.0, m.accuracy(), 1e-12);
        assertEquals(1.0, m.precision(0), 1e-12);
        assertEquals(2 / 3.0, m.recall(0), 1e-12);
        assertEquals(0.5, m.precision(1), 1e-12);
        assertEquals(0.5, m.recall(1), 1e-12);
        assertEquals(0.5, m.precision(2), 1e-12);
        assertEquals(1.0, m.recall(2), 1e-12);
        double f1a = 2 * 1.0 * (2 / 3.0) / (1 + 2 / 3.0);
        double f1c = 2 * 0.5 * 1.0 / 1.5;
        assertEquals((f1a + 0.5 + f1c) / 3, m.macroF1(), 1e-12);
        assertEquals(1, m.confusion(0, 1));
        assertEquals(Arrays.asList(Arrays.asList(2L, 1L, 0L), Arrays.asList(0L, 1L, 1L), Arrays.asList(0L, 0L, 1L)),
                m.toMap().get("confusion_matrix"));
    }
}
