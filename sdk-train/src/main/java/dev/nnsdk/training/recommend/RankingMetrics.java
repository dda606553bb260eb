package dev.nnsdk.training.recommend;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hit ratio and NDCG at a cut-off for the leave-one-out protocol: one held-out positive ranked
 * among sampled negatives. The rank of the positive is the number of negatives scoring strictly
 * higher plus half of those scoring exactly the same (ties split evenly, so a model that scores
 * everything alike is not rewarded): HR@K = [rank &lt; K], NDCG@K = 1/log2(rank + 2) when it is a hit.
 * With fractional ranks both are averaged over the two neighbouring integer ranks' outcomes.
 */
public final class RankingMetrics {
    private final int k;
    private final int users;
    private final double hr;
    private final double ndcg;

    private RankingMetrics(int k, int users, double hr, double ndcg) {
        this.k = k;
        this.users = users;
        this.hr = hr;
        this.ndcg = ndcg;
    }

    /** One user's outcome: the positive's score and its negatives' scores. */
    static double[] outcome(float pos, float[] neg, int k) {
        int greater = 0;
        int equal = 0;
        for (float s : neg) {
            if (s > pos) {
                greater++;
            } else if (s == pos) {
                equal++;
            }
        }
        // expected HR/NDCG over a uniformly random order of the tied items
        double hit = 0;
        double gain = 0;
        for (int t = 0; t <= equal; t++) {
            int rank = greater + t;
            if (rank < k) {
                hit += 1;
                gain += 1 / (Math.log(rank + 2) / Math.log(2));
            }
        }
        return new double[] {hit / (equal + 1), gain / (equal + 1)};
    }

    /** Averages per-user outcomes. */
    static RankingMetrics of(int k, double[][] outcomes) {
        double h = 0;
        double n = 0;
        int c = 0;
        for (double[] o : outcomes) {
            if (o == null) {
                continue;
            }
            h += o[0];
            n += o[1];
            c++;
        }
        return new RankingMetrics(k, c, c == 0 ? 0 : h / c, c == 0 ? 0 : n / c);
    }

    public int k() {
        return k;
    }

    /** Users evaluated. */
    public int users() {
        return users;
    }

    public double hitRatio() {
        return hr;
    }

    public double ndcg() {
        return ndcg;
    }

    /** {@code {"hr@10": ..., "ndcg@10": ...}} with an optional key prefix ({@code "mf_"}). */
    public Map<String, Object> toMap(String prefix) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put(prefix + "hr@" + k, round(hr));
        m.put(prefix + "ndcg@" + k, round(ndcg));
        return m;
    }

    static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "HR@%d %.4f, NDCG@%d %.4f (%d users)", k, hr, k, ndcg, users);
    }
}
