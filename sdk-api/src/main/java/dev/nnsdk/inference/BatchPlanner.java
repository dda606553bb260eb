package dev.nnsdk.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Groups texts into engine batches by token length: rows are sorted shortest first (ties keep input
 * order), and a batch takes the next rows while it holds fewer than {@code maxBatch} rows and its
 * padded size (rows x longest row) stays within {@code tokenBudget}. A row longer than the budget
 * goes alone. Sorting keeps padding small; the budget keeps batches of long texts from growing the
 * attention working set (batch x heads x seq x seq) out of the CPU caches.
 */
final class BatchPlanner {

    /**
     * Default padded tokens per batch: 20 rows of 32 tokens, 8 of 80, or 2 of 256. Measured on MiniLM
     * (docs/benchmarks-perf.md): long texts cost 1.14x less CPU at 1,024 than at 4,096, because the
     * attention working set (rows x heads x seq²) then stays in cache; 640 (about 8 IMDB reviews of 60
     * words) is cheaper again with single-threaded calls side by side (docs/benchmarks.md, "Threads and batches").
     */
    public static final int DEFAULT_TOKEN_BUDGET = 640;

    private BatchPlanner() {
    }

    /**
     * @param lengths     real tokens per row
     * @param maxBatch    at most this many rows per batch (>= 1)
     * @param tokenBudget at most this many padded tokens per batch unless one row alone exceeds it (>= 1)
     * @return row indices per batch, in run order; every index appears exactly once
     */
    public static List<int[]> plan(int[] lengths, int maxBatch, int tokenBudget) {
        if (maxBatch < 1 || tokenBudget < 1) {
            throw new IllegalArgumentException("maxBatch and tokenBudget must be >= 1, got " + maxBatch + ", " + tokenBudget);
        }
        int n = lengths.length;
        long[] keyed = new long[n];
        for (int i = 0; i < n; i++) {
            keyed[i] = ((long) Math.max(0, lengths[i]) << 32) | i;
        }
        Arrays.sort(keyed);
        List<int[]> batches = new ArrayList<int[]>();
        int start = 0;
        while (start < n) {
            int end = start + 1;
            while (end < n && end - start < maxBatch) {
                long longest = Math.max(1, keyed[end] >>> 32);
                if ((end - start + 1) * longest > tokenBudget) {
                    break;
                }
                end++;
            }
            int[] rows = new int[end - start];
            for (int i = start; i < end; i++) {
                rows[i - start] = (int) keyed[i];
            }
            batches.add(rows);
            start = end;
        }
        return batches;
    }

    /**
     * {@link #plan}, balanced for {@code calls} engine calls side by side when the work is small: a request that makes
     * fewer than {@code 4 x calls} batches would leave a core idle or wait for one uneven batch (8 reviews of ~90
     * tokens make a batch of 6 and one of 2 under a 640-token budget). It is then planned into the next multiple of
     * {@code calls} batches with the smallest token budget that allows that many, so the calls finish together.
     * Large requests, and {@code calls} of 1, get the plain plan.
     */
    public static List<int[]> plan(int[] lengths, int maxBatch, int tokenBudget, int calls) {
        List<int[]> plain = plan(lengths, maxBatch, tokenBudget);
        if (calls <= 1 || plain.size() >= 4 * calls) {
            return plain;
        }
        int k = Math.min((plain.size() + calls - 1) / calls * calls, lengths.length);
        int lo = 1;
        int hi = tokenBudget;
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (plan(lengths, maxBatch, mid).size() <= k) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return plan(lengths, maxBatch, lo);
    }
}
