package dev.nnsdk.training.recommend;

import dev.nnsdk.format.RecommenderWeights;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Evaluates a saved recommender on interactions with the leave-one-out protocol of
 * {@link LeaveOneOut}: each user's latest interaction ranked among 100 seeded negatives, HR@10 and
 * NDCG@10, next to the popularity baseline (the model's training counts). Run on the training
 * file with the training seed, it reproduces the test metrics of training (the held-out
 * interactions were not trained on). Users the model does not know are skipped and counted;
 * interactions with items outside the model's catalogue are dropped.
 */
public final class RecommenderEvaluation {
    private RecommenderEvaluation() {
    }

    public static Map<String, Object> evaluate(RecommenderWeights m, Interactions data, long seed) {
        Map<String, String> texts = new LinkedHashMap<String, String>();
        for (int i = 0; i < m.items.length; i++) {
            texts.put(m.items[i], m.texts[i]);
        }
        LeaveOneOut split = LeaveOneOut.split(data, ItemCatalog.of(texts), seed);
        Map<String, Integer> userIndex = new HashMap<String, Integer>();
        for (int u = 0; u < m.users.length; u++) {
            userIndex.put(m.users[u], u);
        }
        final int[] map = new int[split.users()];
        int unknown = 0;
        for (int u = 0; u < map.length; u++) {
            Integer k = userIndex.get(split.users[u]);
            map[u] = k == null ? -1 : k;
            if (k == null && split.test[u] >= 0) {
                unknown++;
                split.test[u] = -1;
            }
        }
        final int d = m.dim;
        LeaveOneOut.Scorer model = (u, i) -> {
            int mu = map[u];
            float s = m.itemBias[i];
            for (int k = 0; k < d; k++) {
                s += m.userVectors[mu * d + k] * m.itemVectors[i * d + k];
            }
            return s;
        };
        RankingMetrics r = split.evaluate(model, false, 10);
        RankingMetrics p = split.evaluate((u, i) -> m.popularity[i], false, 10);
        Map<String, Object> out = new LinkedHashMap<String, Object>();
        out.putAll(r.toMap(""));
        out.putAll(p.toMap("popularity_"));
        out.put("users", r.users());
        out.put("unknown_users_skipped", unknown);
        out.put("rows_with_unknown_item", split.unknownItemRows());
        out.put("seed", seed);
        return out;
    }
}
