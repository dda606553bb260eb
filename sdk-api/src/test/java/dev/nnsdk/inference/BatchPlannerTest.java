package dev.nnsdk.inference;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchPlannerTest {

    @Test
    void everyRowOnceWithinRowAndTokenLimits() {
        Random r = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = r.nextInt(300);
            int[] len = new int[n];
            for (int i = 0; i < n; i++) {
                len[i] = 1 + r.nextInt(r.nextBoolean() ? 20 : 256);
            }
            int maxBatch = 1 + r.nextInt(40);
            int budget = 1 + r.nextInt(6000);
            List<int[]> plan = BatchPlanner.plan(len, maxBatch, budget);
            boolean[] seen = new boolean[n];
            int prevLongest = 0;
            for (int[] rows : plan) {
                assertTrue(rows.length >= 1 && rows.length <= maxBatch, "rows per batch");
                int longest = 0;
                for (int i = 0; i < rows.length; i++) {
                    assertTrue(!seen[rows[i]], "row " + rows[i] + " twice");
                    seen[rows[i]] = true;
                    longest = Math.max(longest, len[rows[i]]);
                    if (i > 0) {
                        assertTrue(len[rows[i - 1]] < len[rows[i]]
                                || len[rows[i - 1]] == len[rows[i]] && rows[i - 1] < rows[i], "sorted, ties in input order");
                    }
                }
                assertTrue(rows.length == 1 || (long) rows.length * longest <= budget, "token budget");
                assertTrue(len[rows[0]] >= prevLongest, "batches in length order");
                prevLongest = longest;
            }
            for (int i = 0; i < n; i++) {
                assertTrue(seen[i], "row " + i + " missing");
            }
        }
    }

    @Test
    void fullBatchesWhenTheBudgetAllows() {
        int[] len = new int[100];
        for (int i = 0; i < len.length; i++) {
            len[i] = 10;
        }
        List<int[]> plan = BatchPlanner.plan(len, 32, 4096);
        assertEquals(4, plan.size());
        assertEquals(32, plan.get(0).length);
        assertEquals(4, plan.get(3).length);
        // 256-token rows: the 4096 budget caps batches at 16 rows.
        for (int i = 0; i < len.length; i++) {
            len[i] = 256;
        }
        assertEquals(16, BatchPlanner.plan(len, 32, 4096).get(0).length);
        // A single row over budget still runs, alone.
        assertEquals(100, BatchPlanner.plan(len, 32, 100).size());
    }

    @Test
    void rejectsNonPositiveLimits() {
        assertThrows(IllegalArgumentException.class, () -> BatchPlanner.plan(new int[] {1}, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> BatchPlanner.plan(new int[] {1}, 1, 0));
        assertEquals(0, BatchPlanner.plan(new int[0], 8, 10).size());
    }
}
