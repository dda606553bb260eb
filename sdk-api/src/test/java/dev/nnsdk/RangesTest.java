package dev.nnsdk;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 17 item 2: thread counts and other numeric options are bounded in one place, with the range in the message. */
class RangesTest {

    @Test
    void hugeThreadCountsAreRefusedBeforeAnyEngineSeesThem() {
        for (int bad : new int[] {Integer.MAX_VALUE, 100_000, 5_000, Ranges.maxThreads() + 1, -1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ModelOptions.builder().optThreads(bad));
            assertEquals("threads must be in 0.." + Ranges.maxThreads() + ", got " + bad, e.getMessage());
        }
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(4 * cores, Ranges.maxThreads());
        assertEquals(Ranges.maxThreads(), ModelOptions.builder().optThreads(Ranges.maxThreads()).build().threads());
        assertEquals(0, ModelOptions.builder().optThreads(0).build().threads());
    }

    @Test
    void batchSizesAndOtherValuesHaveTheirRangeInTheMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelOptions.builder().optBatchSize(Integer.MAX_VALUE));
        assertEquals("batch size must be in 1..65536, got 2147483647", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelOptions.builder().optBatchSize(0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Ranges.learningRate(Double.NaN))
                .getMessage().contains("(0.0, " + (double) Float.MAX_VALUE + "]"));
        assertThrows(IllegalArgumentException.class, () -> Ranges.learningRate(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Ranges.learningRate(1e39));
        assertThrows(IllegalArgumentException.class, () -> Ranges.learningRate(0));
        assertThrows(IllegalArgumentException.class, () -> Ranges.results("k", 0));
        assertEquals(1e-3, Ranges.learningRate(1e-3));
        assertEquals(3, Ranges.results("k", 3));
    }
}
