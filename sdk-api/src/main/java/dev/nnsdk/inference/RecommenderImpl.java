package dev.nnsdk.inference;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.ModelNotFoundException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.format.RecommenderWeights;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plain-Java scoring over a {@link RecommenderWeights}; the text encoder is loaded lazily for
 * {@link #scoreTexts}. A saved directory holds {@code recommender.properties} (file name,
 * SHA-256, backbone) next to {@code recommender.bin}.
 */
final class RecommenderImpl implements Recommender {
    static final String PROPERTIES = RecommenderWeights.LEGACY_PROPERTIES;
    static final String FILE = RecommenderWeights.FILE;

    private final RecommenderWeights m;
    private final ModelOptions options;
    private final Map<String, Integer> userIndex = new HashMap<String, Integer>();
    private final Map<String, Integer> itemIndex = new HashMap<String, Integer>();
    private final int[] byPopularity;
    private final float[] itemNorms;
    private final Object encoderLock = new Object();
    private TextEmbedder encoder;
    private volatile boolean closed;

    public RecommenderImpl(RecommenderWeights model, ModelOptions options) {
        this.m = Objects.requireNonNull(model, "model");
        this.options = options == null ? ModelOptions.defaults() : options;
        for (int u = 0; u < m.users.length; u++) {
            userIndex.put(m.users[u], u);
        }
        for (int i = 0; i < m.items.length; i++) {
            itemIndex.put(m.items[i], i);
        }
        Integer[] order = new Integer[m.items.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, new java.util.Comparator<Integer>() {
            @Override
            public int compare(Integer a, Integer b) {
                int c = Integer.compare(m.popularity[b], m.popularity[a]);
                return c != 0 ? c : Integer.compare(a, b);
            }
        });
        byPopularity = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            byPopularity[i] = order[i];
        }
        itemNorms = new float[m.items.length];
        for (int i = 0; i < itemNorms.length; i++) {
            double s = 0;
            for (int k = 0; k < m.dim; k++) {
                float v = m.itemVectors[i * m.dim + k];
                s += v * v;
            }
            itemNorms[i] = (float) Math.sqrt(s);
        }
    }

    /**
     * Loads a saved recommender directory: its {@code model.json} (task {@code recommendation}) names the weights
     * file and its SHA-256, which is checked before reading.
     */
    static Recommender load(Path dir, ModelOptions options) {
        ModelDescriptor d = ModelRepository.resolve(dir);
        if (d.recommender() == null) {
            throw new ModelLoadException(dir.toAbsolutePath() + " is not a saved recommender (its descriptor has task '"
                    + d.task() + "' and no 'recommender' section)");
        }
        return new RecommenderImpl(RecommenderWeights.read(d.recommender()), options);
    }

    public RecommenderWeights model() {
        return m;
    }

    private int user(String user) {
        Integer u = user == null ? null : userIndex.get(user);
        if (u == null) {
            throw new InvalidInputException("Unknown user '" + user + "': not in the training interactions "
                    + "(use popular(k) for new users)");
        }
        return u;
    }

    private int item(String item) {
        Integer i = item == null ? null : itemIndex.get(item);
        if (i == null) {
            throw new InvalidInputException("Unknown item '" + item + "': not in the model's item catalogue "
                    + "(score new items with scoreTexts)");
        }
        return i;
    }

    private float score(int u, int i) {
        float s = m.itemBias[i];
        int uo = u * m.dim;
        int io = i * m.dim;
        for (int k = 0; k < m.dim; k++) {
            s += m.userVectors[uo + k] * m.itemVectors[io + k];
        }
        return s;
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("This Recommender is closed");
        }
    }

    private static void checkK(int k) {
        if (k < 1) {
            throw new InvalidInputException("k must be >= 1, got " + k);
        }
    }

    @Override
    public List<ScoredItem> recommend(String user, int k) {
        open();
        checkK(k);
        int u = user(user);
        boolean[] skip = new boolean[m.items.length];
        for (int j = m.ownedOffsets[u]; j < m.ownedOffsets[u + 1]; j++) {
            skip[m.owned[j]] = true;
        }
        float[] s = new float[m.items.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = skip[i] ? Float.NEGATIVE_INFINITY : score(u, i);
        }
        return top(s, skip, k, -1);
    }

    /** The best {@code k} indices by score (ties: lower index), skipping flagged ones and {@code self}. */
    private List<ScoredItem> top(final float[] s, boolean[] skip, int k, int self) {
        // partial selection with a small sorted buffer: O(n k) worst case but k is small
        int[] best = new int[Math.min(k, s.length)];
        int n = 0;
        for (int i = 0; i < s.length; i++) {
            if ((skip != null && skip[i]) || i == self) {
                continue;
            }
            if (n < best.length) {
                int p = n++;
                while (p > 0 && better(s, i, best[p - 1])) {
                    best[p] = best[p - 1];
                    p--;
                }
                best[p] = i;
            } else if (n > 0 && better(s, i, best[n - 1])) {
                int p = n - 1;
                while (p > 0 && better(s, i, best[p - 1])) {
                    best[p] = best[p - 1];
                    p--;
                }
                best[p] = i;
            }
        }
        List<ScoredItem> out = new ArrayList<ScoredItem>(n);
        for (int j = 0; j < n; j++) {
            out.add(item(best[j], s[best[j]]));
        }
        return out;
    }

    private static boolean better(float[] s, int a, int b) {
        return s[a] > s[b] || (s[a] == s[b] && a < b);
    }

    private ScoredItem item(int i, float score) {
        String t = m.texts[i];
        return new ScoredItem(m.items[i], score, t == null || t.isEmpty() ? null : t);
    }

    @Override
    public List<ScoredItem> score(String user, List<String> items) {
        open();
        int u = user(user);
        List<ScoredItem> out = new ArrayList<ScoredItem>(items.size());
        for (String it : items) {
            int i = item(it);
            out.add(item(i, score(u, i)));
        }
        return out;
    }

    @Override
    public float[] scoreTexts(String user, List<String> itemTexts) {
        open();
        int u = user(user);
        if (m.featureDim == 0 || m.backboneSource.isEmpty()) {
            throw new InvalidInputException("This recommender has no text encoder (a pure collaborative model); "
                    + "it cannot score items from text");
        }
        List<float[]> f;
        synchronized (encoderLock) {
            open();
            if (encoder == null) {
                encoder = TextEmbedder.load(m.backboneSource, options);
                if (encoder.dimension() != m.featureDim) {
                    int d = encoder.dimension();
                    encoder.close();
                    encoder = null;
                    throw new ModelLoadException("The encoder " + m.backboneSource + " gives " + d
                            + "-d vectors but the recommender's projection takes " + m.featureDim);
                }
            }
            f = encoder.embedAll(itemTexts);
        }
        float[] out = new float[f.size()];
        for (int t = 0; t < out.length; t++) {
            float[] v = contentVector(f.get(t));
            float s = 0;
            for (int k = 0; k < m.dim; k++) {
                s += m.userVectors[u * m.dim + k] * v[k];
            }
            out[t] = s;
        }
        return out;
    }

    /** The item vector of a text feature through the projection (no learned item embedding, no bias). */
    public float[] contentVector(float[] feature) {
        if (feature.length != m.featureDim) {
            throw new InvalidInputException("Feature has " + feature.length + " values, the projection takes " + m.featureDim);
        }
        float[] v = new float[m.dim];
        for (int r = 0; r < m.featureDim; r++) {
            float x = feature[r];
            int o = r * m.dim;
            for (int k = 0; k < m.dim; k++) {
                v[k] += x * m.projection[o + k];
            }
        }
        return v;
    }

    @Override
    public List<ScoredItem> similarItems(String item, int k) {
        open();
        checkK(k);
        int q = item(item);
        float[] s = new float[m.items.length];
        int qo = q * m.dim;
        for (int i = 0; i < s.length; i++) {
            float d = 0;
            int io = i * m.dim;
            for (int c = 0; c < m.dim; c++) {
                d += m.itemVectors[qo + c] * m.itemVectors[io + c];
            }
            float n = itemNorms[q] * itemNorms[i];
            s[i] = n == 0 ? 0 : d / n;
        }
        return top(s, null, k, q);
    }

    @Override
    public List<ScoredItem> popular(int k) {
        open();
        checkK(k);
        List<ScoredItem> out = new ArrayList<ScoredItem>();
        for (int j = 0; j < Math.min(k, byPopularity.length); j++) {
            out.add(item(byPopularity[j], m.popularity[byPopularity[j]]));
        }
        return out;
    }

    @Override
    public boolean hasUser(String user) {
        return user != null && userIndex.containsKey(user);
    }

    @Override
    public List<String> items() {
        return Collections.unmodifiableList(Arrays.asList(m.items));
    }

    @Override
    public String itemText(String item) {
        Integer i = item == null ? null : itemIndex.get(item);
        if (i == null) {
            return null;
        }
        String t = m.texts[i];
        return t == null || t.isEmpty() ? null : t;
    }

    @Override
    public void close() {
        synchronized (encoderLock) {
            closed = true;
            if (encoder != null) {
                encoder.close();
                encoder = null;
            }
        }
    }
}
