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

    @Test
    void aSmallRequestIsPlannedIntoEvenSharesForTheCallsSideBySide() {
        // 8 reviews of about 90 tokens: the plain plan is 6 + 2 under a 640-token budget
        int[] len = {88, 91, 86, 95, 90, 89, 93, 92};
        List<int[]> plain = BatchPlanner.plan(len, 32, 640);
        assertEquals(2, plain.size());
        assertEquals(6, plain.get(0).length);
        List<int[]> two = BatchPlanner.plan(len, 32, 640, 2);
        assertEquals(2, two.size());
        assertEquals(4, two.get(0).length);
        assertEquals(4, two.get(1).length);
        assertEveryRowOnceShortestFirst(len, two);
        // one batch's worth for two calls: split in two; three batches for two calls: four
        int[] small = {10, 12, 11, 13};
        assertEquals(1, BatchPlanner.plan(small, 32, 640).size());
        assertEquals(2, BatchPlanner.plan(small, 32, 640, 2).size());
        int[] three = new int[24];
        java.util.Arrays.fill(three, 80);
        assertEquals(3, BatchPlanner.plan(three, 32, 640).size());
        List<int[]> four = BatchPlanner.plan(three, 32, 640, 2);
        assertEquals(4, four.size());
        assertEveryRowOnceShortestFirst(three, four);
        // a single text, one call, one row per batch (dynamically quantised models), or a large request: unchanged
        assertEquals(1, BatchPlanner.plan(new int[] {5}, 32, 640, 8).size());
        assertEquals(2, BatchPlanner.plan(len, 32, 640, 1).size());
        assertEquals(8, BatchPlanner.plan(len, 1, 640, 2).size());
        int[] many = new int[200];
        java.util.Arrays.fill(many, 80);
        assertEquals(BatchPlanner.plan(many, 32, 640).size(), BatchPlanner.plan(many, 32, 640, 2).size());
    }

    private static void assertEveryRowOnceShortestFirst(int[] len, List<int[]> plan) {
        int[] seen = new int[len.length];
        int last = -1;
        for (int[] b : plan) {
            for (int r : b) {
                seen[r]++;
                assertTrue(len[r] >= last, "rows must stay sorted by length");
                last = len[r];
            }
        }
        for (int c : seen) {
            assertEquals(1, c);
        }
    }
}
