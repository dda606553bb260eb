package dev.nnsdk.training.recommend;

import dev.nnsdk.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The leave-one-out protocol of the Neural Collaborative Filtering paper, indexed: users and items
 * as ints, each user's interactions ordered by timestamp (ties: the later row of the file counts as
 * later), the latest held out as the test item, the one before it as the validation item (for
 * early stopping; users with fewer than three interactions have none), the rest for training. Each
 * test (and validation) item is ranked among {@value #NEGATIVES} items sampled uniformly, without
 * replacement, from the items the user never interacted with ({@code Random(seed)}, users in
 * index order).
 *
 * <p>Items are the catalogue's (the item-content file); interactions naming an item the catalogue
 * lacks are dropped and counted ({@link #unknownItemRows()}). Only items with at least one
 * interaction are sampled as negatives.
 */
public final class LeaveOneOut {
    private static final Logger LOG = LoggerFactory.getLogger(LeaveOneOut.class);
    public static final int NEGATIVES = 100;

    final String[] users;
    final String[] items;
    final String[] texts;
    /** Per user: all items in time order. */
    final int[][] history;
    final int[][] train;
    final int[] valid;
    final int[] test;
    final int[][] validNeg;
    final int[][] testNeg;
    /** Items with at least one interaction, ascending. */
    final int[] interacted;
    private final int unknownItemRows;
    private final List<String> unknownItemExamples;

    private LeaveOneOut(String[] users, String[] items, String[] texts, int[][] history, int[][] train, int[] valid,
                        int[] test, int[][] validNeg, int[][] testNeg, int[] interacted, int unknownItemRows,
                        List<String> unknownItemExamples) {
        this.users = users;
        this.items = items;
        this.texts = texts;
        this.history = history;
        this.train = train;
        this.valid = valid;
        this.test = test;
        this.validNeg = validNeg;
        this.testNeg = testNeg;
        this.interacted = interacted;
        this.unknownItemRows = unknownItemRows;
        this.unknownItemExamples = unknownItemExamples;
    }

    /** Splits {@code data} over the catalogue's items; {@code seed} drives the negative sampling. */
    public static LeaveOneOut split(Interactions data, ItemCatalog catalog, long seed) {
        String[] items = catalog.texts().keySet().toArray(new String[0]);
        String[] texts = catalog.texts().values().toArray(new String[0]);
        Map<String, Integer> itemIndex = new HashMap<String, Integer>();
        for (int i = 0; i < items.length; i++) {
            itemIndex.put(items[i], i);
        }
        Map<String, Integer> userIndex = new HashMap<String, Integer>();
        List<String> users = new ArrayList<String>();
        List<List<long[]>> rows = new ArrayList<List<long[]>>();
        int unknown = 0;
        List<String> examples = new ArrayList<String>();
        for (int r = 0; r < data.size(); r++) {
            Integer it = itemIndex.get(data.item(r));
            if (it == null) {
                unknown++;
                if (examples.size() < 5) {
                    examples.add(data.name() + ": line " + data.row(r) + ": item '" + data.item(r) + "'");
                }
                continue;
            }
            Integer u = userIndex.get(data.user(r));
            if (u == null) {
                u = users.size();
                userIndex.put(data.user(r), u);
                users.add(data.user(r));
                rows.add(new ArrayList<long[]>());
            }
            rows.get(u).add(new long[] {data.timestamp(r), r, it});
        }
        if (unknown > 0) {
            LOG.warn("Dropped {} interaction rows whose item is not in the item file {} (e.g. {})", unknown,
                    catalog.name(), examples);
        }
        if (users.isEmpty()) {
            throw new InvalidInputException("No interaction of " + data.name() + " names an item of " + catalog.name()
                    + " (e.g. " + examples + ")");
        }
        int nu = users.size();
        int[][] history = new int[nu][];
        int[][] train = new int[nu][];
        int[] valid = new int[nu];
        int[] test = new int[nu];
        boolean[] seen = new boolean[items.length];
        for (int u = 0; u < nu; u++) {
            List<long[]> l = rows.get(u);
            Collections.sort(l, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            int[] h = new int[l.size()];
            for (int i = 0; i < h.length; i++) {
                h[i] = (int) l.get(i)[2];
                seen[h[i]] = true;
            }
            history[u] = h;
            int n = h.length;
            test[u] = n >= 2 ? h[n - 1] : -1;
            valid[u] = n >= 3 ? h[n - 2] : -1;
            int keep = n >= 3 ? n - 2 : n >= 2 ? n - 1 : n;
            train[u] = Arrays.copyOf(h, keep);
        }
        int count = 0;
        for (boolean b : seen) {
            count += b ? 1 : 0;
        }
        int[] interacted = new int[count];
        for (int i = 0, j = 0; i < seen.length; i++) {
            if (seen[i]) {
                interacted[j++] = i;
            }
        }
        int[][] testNeg = negatives(history, test, interacted, new Random(seed));
        int[][] validNeg = negatives(history, valid, interacted, new Random(seed + 1));
        return new LeaveOneOut(users.toArray(new String[0]), items, texts, history, train, valid, test, validNeg,
                testNeg, interacted, unknown, examples);
    }

    /** For each user with a target, {@value #NEGATIVES} distinct items from {@code pool} the user never had. */
    static int[][] negatives(int[][] history, int[] target, int[] pool, Random rnd) {
        int[][] out = new int[history.length][];
        for (int u = 0; u < history.length; u++) {
            if (target[u] < 0) {
                continue;
            }
            out[u] = sample(history[u], pool, NEGATIVES, rnd);
        }
        return out;
    }

    /** Up to {@code n} distinct items of {@code pool} not in {@code owned}, uniformly at random (rejection sampling). */
    static int[] sample(int[] owned, int[] pool, int n, Random rnd) {
        java.util.HashSet<Integer> own = new java.util.HashSet<Integer>();
        for (int i : owned) {
            own.add(i);
        }
        int available = 0;
        for (int p : pool) {
            if (!own.contains(p)) {
                available++;
            }
        }
        int want = Math.min(n, available);
        java.util.LinkedHashSet<Integer> picked = new java.util.LinkedHashSet<Integer>();
        while (picked.size() < want) {
            int c = pool[rnd.nextInt(pool.length)];
            if (!own.contains(c)) {
                picked.add(c);
            }
        }
        int[] a = new int[picked.size()];
        int k = 0;
        for (int c : picked) {
            a[k++] = c;
        }
        return a;
    }

    /** Scores a model on the test (or validation) targets. */
    public RankingMetrics evaluate(Scorer s, boolean validation, int k) {
        int[] target = validation ? valid : test;
        int[][] neg = validation ? validNeg : testNeg;
        double[][] out = new double[users.length][];
        for (int u = 0; u < users.length; u++) {
            if (target[u] < 0) {
                continue;
            }
            float pos = s.score(u, target[u]);
            float[] ns = new float[neg[u].length];
            for (int j = 0; j < ns.length; j++) {
                ns[j] = s.score(u, neg[u][j]);
            }
            out[u] = RankingMetrics.outcome(pos, ns, k);
        }
        return RankingMetrics.of(k, out);
    }

    /** Interaction counts per item over everything but the test items (the popularity baseline). */
    public int[] popularity() {
        int[] c = new int[items.length];
        for (int u = 0; u < train.length; u++) {
            for (int i : train[u]) {
                c[i]++;
            }
            if (valid[u] >= 0) {
                c[valid[u]]++;
            }
        }
        return c;
    }

    public int users() {
        return users.length;
    }

    public int items() {
        return items.length;
    }

    public int trainInteractions() {
        int n = 0;
        for (int[] t : train) {
            n += t.length;
        }
        return n;
    }

    /** The id of user index {@code u}. */
    public String userId(int u) {
        return users[u];
    }

    /** The id of item index {@code i}. */
    public String itemId(int i) {
        return items[i];
    }

    /** The held-out test item of user {@code u}, or -1 (fewer than two interactions). */
    public int testItem(int u) {
        return test[u];
    }

    /** The validation item of user {@code u}, or -1 (fewer than three interactions). */
    public int validationItem(int u) {
        return valid[u];
    }

    /** The sampled negatives of user {@code u}'s test item (a copy), or {@code null}. */
    public int[] testNegatives(int u) {
        return testNeg[u] == null ? null : testNeg[u].clone();
    }

    /** User {@code u}'s training items in time order (a copy). */
    public int[] trainItems(int u) {
        return train[u].clone();
    }

    /** All of user {@code u}'s items in time order (a copy). */
    public int[] allItems(int u) {
        return history[u].clone();
    }

    public int unknownItemRows() {
        return unknownItemRows;
    }

    /** A user-item score. */
    public interface Scorer {
        float score(int user, int item);
    }
}
