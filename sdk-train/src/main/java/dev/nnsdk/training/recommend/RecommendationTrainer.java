package dev.nnsdk.training.recommend;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.inference.TextEmbedder;
import dev.nnsdk.format.RecommenderWeights;
import dev.nnsdk.SdkSettings;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.training.TextClassificationTrainer;
import dev.nnsdk.training.TrainingConfig;
import dev.nnsdk.training.internal.BprTrainer;
import dev.nnsdk.training.internal.EpochLoop;
import dev.nnsdk.training.internal.FeatureCache;
import dev.nnsdk.training.internal.TrainState;
import dev.nnsdk.training.listener.EpochResult;
import dev.nnsdk.training.listener.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

/**
 * Trains a hybrid recommender: item tower = frozen text encoder over each item's text (run once,
 * cached) through a trained projection plus a learned item embedding; user tower = a learned user
 * embedding; BPR loss on DJL PyTorch. In the same run it trains a BPR matrix-factorisation baseline
 * and computes a popularity baseline, all evaluated with the leave-one-out protocol
 * ({@link LeaveOneOut}), and (unless disabled) a cold-start run: a seeded share of the items loses
 * all its interactions in training and is ranked by content alone.
 *
 * <pre>{@code
 * TrainedRecommender rec = FineTuning.recommendation()
 *         .interactions(Interactions.csv(Path.of("ratings.csv")))
 *         .items(ItemCatalog.csv(Path.of("movies.csv"), "title", "genres"))
 *         .itemEncoder("all-minilm-l6-v2")
 *         .config(TrainingConfig.builder().epochs(30).seed(42).build())
 *         .listener(TrainingListeners.progressBar())
 *         .fit();
 * List<ScoredItem> top10 = rec.recommend("42", 10);        // never items the user already has
 * rec.save(Path.of("out/movies"));
 * }</pre>
 */
public final class RecommendationTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(RecommendationTrainer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Defaults tuned on the validation split of MovieLens small (see docs/recommendation.md). */
    public static final int DEFAULT_DIMENSION = 64;

    private Interactions interactions;
    private ItemCatalog catalog;
    private String encoder = "all-minilm-l6-v2";
    private ModelOptions options = ModelOptions.defaults();
    private int dimension = DEFAULT_DIMENSION;
    private double l2 = 1e-4;
    private double mfL2 = 1e-4;
    private boolean itemEmbedding = true;
    private boolean baselines = true;
    private boolean refit;
    private boolean combine = true;
    private double coldStartFraction = 0.1;
    private TrainingConfig config = defaultConfig(42);
    private TrainingConfig mfConfig;
    private final List<TrainingListener> listeners = new ArrayList<TrainingListener>();
    private Path checkpointDir;
    private boolean resume;
    private FeatureCache cache = new FeatureCache();

    public RecommendationTrainer() {
    }

    /** The recommended configuration: 40 epochs, batch 1024, Adam 0.005, constant rate, early stopping on NDCG@10 (patience 5). */
    public static TrainingConfig defaultConfig(long seed) {
        return TrainingConfig.builder().epochs(40).batchSize(1024).learningRate(5e-3)
                .schedule(dev.nnsdk.training.LrSchedule.constant()).weightDecay(0)
                .earlyStopping(TrainingConfig.MACRO_F1, 5).seed(seed).build();
    }

    public RecommendationTrainer setInteractions(Interactions data) {
        this.interactions = Objects.requireNonNull(data, "interactions");
        return this;
    }

    /** @deprecated renamed setInteractions; kept for existing callers. */
    @Deprecated
    public RecommendationTrainer interactions(Interactions data) {
        return setInteractions(data);
    }

    public RecommendationTrainer setItems(ItemCatalog items) {
        this.catalog = Objects.requireNonNull(items, "items");
        return this;
    }

    /** @deprecated renamed setItems; kept for existing callers. */
    @Deprecated
    public RecommendationTrainer items(ItemCatalog items) {
        return setItems(items);
    }

    /** The frozen text encoder for item content (default {@code all-minilm-l6-v2}). */
    public RecommendationTrainer optItemEncoder(String idOrPath) {
        this.encoder = Objects.requireNonNull(idOrPath, "encoder");
        return this;
    }

    /** @deprecated renamed optItemEncoder; kept for existing callers. */
    @Deprecated
    public RecommendationTrainer itemEncoder(String idOrPath) {
        return optItemEncoder(idOrPath);
    }

    /** The encoder and the engine / device that compute item features. */
    public RecommendationTrainer optItemEncoder(String idOrPath, ModelOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return optItemEncoder(idOrPath);
    }

    /** @deprecated renamed optItemEncoder; kept for existing callers. */
    @Deprecated
    public RecommendationTrainer itemEncoder(String idOrPath, ModelOptions options) {
        return optItemEncoder(idOrPath, options);
    }

    /** Embedding dimension of users and items (default 64). */
    public RecommendationTrainer optDimension(int d) {
        if (d < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + d);
        }
        this.dimension = d;
        return this;
    }

    /** @deprecated renamed optDimension; kept for existing callers. */
    @Deprecated
    public RecommendationTrainer dimension(int d) {
        return optDimension(d);
    }

    /** L2 penalty on the batch's embedding rows and biases (hybrid; default 1e-4). */
    public RecommendationTrainer optL2(double l2) {
        this.l2 = l2;
        return this;
    }

    /** @deprecated renamed optL2; kept for existing callers. */
    @Deprecated
    public RecommendationTrainer l2(double l2) {
        return optL2(l2);
    }

    /** L2 penalty of the matrix-factorisation baseline (default 1e-4). */
    public RecommendationTrainer optBaselineL2(double l2) {
        this.mfL2 = l2;
        return this;
    }

    /** @deprecated renamed optBaselineL2; kept for existing callers. */
    @Deprecated
    public RecommendationTrainer baselineL2(double l2) {
        return optBaselineL2(l2);
    }

    /** Whether items get a learned embedding on top of their projected content (default true). */
    public RecommendationTrainer optItemEmbedding(boolean on) {
        this.itemEmbedding = on;
        return this;
    }

    /** @deprecated renamed optItemEmbedding; kept for existing callers. */
    @Deprecated
    public RecommendationTrainer itemEmbedding(boolean on) {
        return optItemEmbedding(on);
    }

    /** Whether to train the BPR-MF baseline in the same run (default true). */
    public RecommendationTrainer optBaselines(boolean on) {
        this.baselines = on;
        return this;
    }

    /** @deprecated renamed optBaselines; kept for existing callers. */
    @Deprecated
    public RecommendationTrainer baselines(boolean on) {
        return optBaselines(on);
    }

    /**
     * Whether, after early stopping picked the best epoch count on the validation interactions,
     * the model is trained again from the same start on training + validation interactions for
     * that many epochs (default false; the validation interaction is each user's most recent
     * training signal). Applies to the hybrid and the MF baseline alike.
     */
    public RecommendationTrainer refit(boolean on) {
        this.refit = on;
        return this;
    }

    /**
     * Whether the saved model adds the BPR-MF baseline's score to the hybrid's (default true, needs
     * {@link #baselines(boolean)}): user and item vectors are concatenated, so scoring stays one dot
     * product. An ensemble of the content+embedding tower and a collaborative tower trained apart;
     * the metrics report the hybrid tower alone as {@code hybrid_hr@10} / {@code hybrid_ndcg@10}.
     * New items scored from text get the content part only.
     */
    public RecommendationTrainer optCombineWithBaseline(boolean on) {
        this.combine = on;
        return this;
    }

    /** @deprecated renamed optCombineWithBaseline; kept for existing callers. */
    @Deprecated
    public RecommendationTrainer combineWithBaseline(boolean on) {
        return optCombineWithBaseline(on);
    }

    /** Share of items held out entirely for the cold-start evaluation (default 0.1; 0 = no cold-start run). */
    public RecommendationTrainer optColdStart(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("cold-start fraction must be in [0, 1), got " + fraction);
        }
        this.coldStartFraction = fraction;
        return this;
    }

    /** @deprecated renamed optColdStart; kept for existing callers. */
    @Deprecated
    public RecommendationTrainer coldStart(double fraction) {
        return optColdStart(fraction);
    }

    public RecommendationTrainer optConfig(TrainingConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        return this;
    }

    /** @deprecated renamed optConfig; kept for existing callers. */
    @Deprecated
    public RecommendationTrainer config(TrainingConfig config) {
        return optConfig(config);
    }

    /** The MF baseline's configuration (default: the hybrid's). */
    public RecommendationTrainer optBaselineConfig(TrainingConfig config) {
        this.mfConfig = Objects.requireNonNull(config, "config");
        return this;
    }

    /** @deprecated renamed optBaselineConfig; kept for existing callers. */
    @Deprecated
    public RecommendationTrainer baselineConfig(TrainingConfig config) {
        return optBaselineConfig(config);
    }

    public RecommendationTrainer optListener(TrainingListener l) {
        listeners.add(Objects.requireNonNull(l, "listener"));
        return this;
    }

    /** @deprecated renamed optListener; kept for existing callers. */
    @Deprecated
    public RecommendationTrainer listener(TrainingListener l) {
        return optListener(l);
    }

    /** Where to checkpoint every epoch (subdirectories {@code hybrid}, {@code mf}, {@code cold-start}). */
    public RecommendationTrainer optCheckpointDir(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    /** @deprecated renamed optCheckpointDir; kept for existing callers. */
    @Deprecated
    public RecommendationTrainer checkpointDir(Path dir) {
        return optCheckpointDir(dir);
    }

    public RecommendationTrainer optResume(boolean resume) {
        this.resume = resume;
        return this;
    }

    /** @deprecated renamed optResume; kept for existing callers. */
    @Deprecated
    public RecommendationTrainer resume(boolean resume) {
        return optResume(resume);
    }

    public RecommendationTrainer optFeatureCache(FeatureCache cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
        return this;
    }

    /** @deprecated renamed optFeatureCache; kept for existing callers. */
    @Deprecated
    public RecommendationTrainer featureCache(FeatureCache cache) {
        return optFeatureCache(cache);
    }

    /** Embeds the items (once, cached), trains the hybrid and the baselines, evaluates them. */
    public TrainedRecommender fit() {
        dev.nnsdk.djl.DjlSystemProperties.apply();
        if (interactions == null || catalog == null) {
            throw new IllegalStateException("Call interactions(...) and items(...) before fit()");
        }
        long seed = config.seed();
        LeaveOneOut split = LeaveOneOut.split(interactions, catalog, seed);
        int ni = split.items();
        int nu = split.users();

        float[] x;
        int fd;
        String encoderSource;
        Map<String, String> encoderSums;
        String engine;
        String encoderId;
        try (TextEmbedder emb = TextEmbedder.load(encoder, options)) {
            List<String> texts = new ArrayList<String>(ni);
            for (String t : split.texts) {
                texts.add(t.isEmpty() ? "" : t);
            }
            float[][] f = cache.features(emb, texts, "items", listeners);
            fd = emb.dimension();
            x = new float[ni * fd];
            for (int i = 0; i < ni; i++) {
                if (!split.texts[i].isEmpty()) {
                    System.arraycopy(f[i], 0, x, i * fd, fd);
                }
            }
            ModelDescriptor d = emb.descriptor();
            encoderId = d.id();
            encoderSource = encoderSource();
            encoderSums = sums(d);
            engine = emb.engine();
        }

        Map<String, Object> metrics = new LinkedHashMap<String, Object>();
        int[] pop = split.popularity();
        RankingMetrics popTest = split.evaluate((u, i) -> pop[i], false, 10);
        LOG.info("popularity: {}", popTest);

        int[] pool = split.interacted;
        String fp = fingerprint(encoderSums, engine);
        BprTrainer.Validator validator = validator(split);
        BprTrainer hybrid = new BprTrainer(config, nu, ni, dimension, l2, split.train, pool, x, fd, validator, listeners,
                sub("hybrid"), fp + "/hybrid").itemEmbedding(itemEmbedding);
        TrainState hs = run(hybrid, "hybrid");
        List<float[]> hp = hs.best;
        if (refit) {
            BprTrainer again = new BprTrainer(refitConfig(config, hs.bestEpoch), nu, ni, dimension, l2, withValidation(split),
                    pool, x, fd, validator, listeners, sub("hybrid-refit"), fp + "/hybrid-refit").itemEmbedding(itemEmbedding);
            hp = run(again, "hybrid-refit").params;
        }
        float[] hItems = hybrid.itemVectors(hp);
        final float[] hu = hp.get(0);
        final float[] hv = hItems;
        final float[] hb = hp.get(2);
        RankingMetrics hybridTest = split.evaluate(scorer(hu, hv, hb, dimension), false, 10);
        LOG.info("hybrid: {}", hybridTest);
        float[] finalU = hu;
        float[] finalV = hv;
        float[] finalB = hb;
        float[] finalW = hp.size() > 3 ? hp.get(3) : new float[0];
        int finalDim = dimension;
        double mfWeight = 0;

        RankingMetrics mfTest = null;
        TrainState ms = null;
        if (baselines) {
            TrainingConfig mc = mfConfig != null ? mfConfig : config;
            BprTrainer mf = new BprTrainer(mc, nu, ni, dimension, mfL2, split.train, pool, null, 0, validator, listeners,
                    sub("mf"), fp + "/mf");
            ms = run(mf, "mf");
            List<float[]> mp = ms.best;
            if (refit) {
                BprTrainer again = new BprTrainer(refitConfig(mc, ms.bestEpoch), nu, ni, dimension, mfL2,
                        withValidation(split), pool, null, 0, validator, listeners, sub("mf-refit"), fp + "/mf-refit");
                mp = run(again, "mf-refit").params;
            }
            mfTest = split.evaluate(scorer(mp.get(0), mf.itemVectors(mp), mp.get(2), dimension), false, 10);
            LOG.info("BPR-MF: {}", mfTest);
            if (combine) {
                float[] mv = mf.itemVectors(mp);
                boolean[] seen = new boolean[ni];
                for (int i : pool) {
                    seen[i] = true;
                }
                for (int i = 0; i < ni; i++) {
                    if (!seen[i]) {
                        // never in any interaction: the MF row is still its random start; content only
                        Arrays.fill(mv, i * dimension, (i + 1) * dimension, 0f);
                    }
                }
                // the MF tower's weight is chosen on the validation interactions (never on the test items)
                float[] cv = concat(hv, mv, ni, dimension);
                double bestScore = -1;
                for (double w : new double[] {0, 0.25, 0.5, 0.75, 1, 1.5, 2}) {
                    float[] cu = concat(hu, scaled(mp.get(0), w), nu, dimension);
                    float[] cb = blend(hb, mp.get(2), w);
                    double sc = split.evaluate(scorer(cu, cv, cb, 2 * dimension), true, 10).ndcg();
                    LOG.debug("MF weight {}: validation NDCG@10 {}", w, sc);
                    if (sc > bestScore) {
                        bestScore = sc;
                        mfWeight = w;
                    }
                }
                if (mfWeight > 0) {
                    finalDim = 2 * dimension;
                    finalU = concat(hu, scaled(mp.get(0), mfWeight), nu, dimension);
                    finalV = cv;
                    finalB = blend(hb, mp.get(2), mfWeight);
                    finalW = concat(finalW, new float[fd * dimension], fd, dimension);
                }
                metrics.put("mf_weight", mfWeight);
            }
        }
        RankingMetrics finalTest = finalDim == dimension ? hybridTest
                : split.evaluate(scorer(finalU, finalV, finalB, finalDim), false, 10);
        if (finalDim != dimension) {
            LOG.info("hybrid + MF: {}", finalTest);
        }
        metrics.putAll(finalTest.toMap(""));
        if (finalDim != dimension) {
            metrics.putAll(hybridTest.toMap("hybrid_"));
        }
        metrics.putAll(popTest.toMap("popularity_"));
        if (mfTest != null) {
            metrics.putAll(mfTest.toMap("mf_"));
        }
        RankingMetrics cold = null;
        if (coldStartFraction > 0) {
            cold = coldStart(split, x, fd, pool, fp);
            metrics.putAll(cold.toMap("cold_start_"));
        }
        metrics.put("users", hybridTest.users());
        metrics.put("items", ni);
        metrics.put("train_interactions", split.trainInteractions());

        RecommenderWeights model = model(split, finalU, finalV, finalB, finalW, fd, pop, finalDim);
        Map<String, Object> info = info(split, encoderId, encoderSums, engine, hs, ms, metrics);
        return new TrainedRecommender(model, options, metrics, history(hs), ms == null ? null : history(ms), info,
                encoderId, encoderSource, encoderSums);
    }

    private TrainState run(BprTrainer t, String phase) {
        TrainState s = EpochLoop.resume(sub(phase), resume, t.initialState().fingerprint,
                "the configuration, encoder, engine or data changed");
        if (s == null) {
            s = t.initialState();
        }
        return t.train(s, phase);
    }

    /** The same configuration with a fixed number of epochs and no early stopping. */
    static TrainingConfig refitConfig(TrainingConfig c, int epochs) {
        return TrainingConfig.builder().epochs(Math.max(1, epochs)).batchSize(c.batchSize()).learningRate(c.learningRate())
                .optimizer(c.optimizer()).weightDecay(c.weightDecay()).schedule(c.schedule())
                .balancedClassWeights(c.balancedClassWeights()).earlyStopping(c.earlyStoppingMetric(), 0).seed(c.seed())
                .build();
    }

    /** Training items plus the validation item, per user. */
    static int[][] withValidation(LeaveOneOut split) {
        int[][] out = new int[split.users()][];
        for (int u = 0; u < out.length; u++) {
            int[] t = split.train[u];
            out[u] = split.valid[u] < 0 ? t.clone() : Arrays.copyOf(t, t.length + 1);
            if (split.valid[u] >= 0) {
                out[u][t.length] = split.valid[u];
            }
        }
        return out;
    }

    private Path sub(String phase) {
        return checkpointDir == null ? null : checkpointDir.resolve(phase);
    }

    /** Cold start: a seeded share of the interacted items is removed from training, then ranked by content alone. */
    private RankingMetrics coldStart(LeaveOneOut split, float[] x, int fd, int[] pool, String fp) {
        Random rnd = new Random(config.seed() + 7);
        int[] shuffled = pool.clone();
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        int nc = Math.max(1, (int) Math.round(coldStartFraction * pool.length));
        boolean[] isCold = new boolean[split.items()];
        int[] coldItems = Arrays.copyOf(shuffled, nc);
        Arrays.sort(coldItems);
        for (int c : coldItems) {
            isCold[c] = true;
        }
        int[][] train = new int[split.users()][];
        for (int u = 0; u < train.length; u++) {
            int[] t = split.train[u];
            int k = 0;
            int[] keep = new int[t.length];
            for (int i : t) {
                if (!isCold[i]) {
                    keep[k++] = i;
                }
            }
            train[u] = Arrays.copyOf(keep, k);
        }
        int[] warmPool = new int[pool.length - nc];
        int w = 0;
        for (int p : pool) {
            if (!isCold[p]) {
                warmPool[w++] = p;
            }
        }
        BprTrainer t = new BprTrainer(config, split.users(), split.items(), dimension, l2, train, warmPool, x, fd,
                validator(split), listeners, sub("cold-start"), fp + "/cold-start").itemEmbedding(itemEmbedding);
        TrainState s = run(t, "cold-start");
        float[] uv = s.best.get(0);
        float[] iv = t.itemVectors(s.best);
        float[] b = s.best.get(2);
        // positives: each user's latest interaction with a cold item; negatives: cold items the user never had
        Random neg = new Random(config.seed() + 2);
        double[][] out = new double[split.users()][];
        for (int u = 0; u < split.users(); u++) {
            int target = -1;
            for (int i : split.history[u]) {
                if (isCold[i]) {
                    target = i;
                }
            }
            if (target < 0) {
                continue;
            }
            int[] negs = LeaveOneOut.sample(split.history[u], coldItems, LeaveOneOut.NEGATIVES, neg);
            if (negs.length == 0) {
                continue;
            }
            LeaveOneOut.Scorer sc = scorer(uv, iv, b, dimension);
            float[] ns = new float[negs.length];
            for (int j = 0; j < negs.length; j++) {
                ns[j] = sc.score(u, negs[j]);
            }
            out[u] = RankingMetrics.outcome(sc.score(u, target), ns, 10);
        }
        RankingMetrics m = RankingMetrics.of(10, out);
        LOG.info("cold start ({} items): {}", nc, m);
        return m;
    }

    static LeaveOneOut.Scorer scorer(final float[] uv, final float[] iv, final float[] bias, final int d) {
        return (u, i) -> {
            float s = bias[i];
            int uo = u * d;
            int io = i * d;
            for (int k = 0; k < d; k++) {
                s += uv[uo + k] * iv[io + k];
            }
            return s;
        };
    }

    private static BprTrainer.Validator validator(final LeaveOneOut split) {
        return (uv, iv, bias, d) -> {
            LeaveOneOut.Scorer sc = scorer(uv, iv, bias, d);
            RankingMetrics m = split.evaluate(sc, true, 10);
            double loss = 0;
            long n = 0;
            for (int u = 0; u < split.users(); u++) {
                if (split.valid[u] < 0) {
                    continue;
                }
                float pos = sc.score(u, split.valid[u]);
                for (int j : split.validNeg[u]) {
                    double z = -(pos - sc.score(u, j));
                    loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
                    n++;
                }
            }
            return new double[] {n == 0 ? 0 : loss / n, m.hitRatio(), m.ndcg()};
        };
    }

    static float[] scaled(float[] a, double w) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) (a[i] * w);
        }
        return out;
    }

    static float[] blend(float[] a, float[] b, double w) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) (a[i] + w * b[i]);
        }
        return out;
    }

    /** Row-wise concatenation of two rows x d matrices into rows x 2d. */
    static float[] concat(float[] a, float[] b, int rows, int d) {
        float[] out = new float[rows * 2 * d];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(a, r * d, out, r * 2 * d, d);
            System.arraycopy(b, r * d, out, r * 2 * d + d, d);
        }
        return out;
    }

    private RecommenderWeights model(LeaveOneOut split, float[] uv, float[] iv, float[] b, float[] w, int fd, int[] pop,
                                   int dim) {
        int nu = split.users();
        int[] off = new int[nu + 1];
        List<Integer> owned = new ArrayList<Integer>();
        for (int u = 0; u < nu; u++) {
            int[] h = split.history[u].clone();
            Arrays.sort(h);
            for (int i : h) {
                owned.add(i);
            }
            off[u + 1] = owned.size();
        }
        int[] ow = new int[owned.size()];
        for (int i = 0; i < ow.length; i++) {
            ow[i] = owned.get(i);
        }
        return new RecommenderWeights(dim, encoderSource(), fd, split.users, uv, split.items, split.texts, iv, b, pop,
                w, off, ow);
    }

    private static List<EpochResult> history(TrainState s) {
        List<EpochResult> h = new ArrayList<EpochResult>();
        for (Map<String, Object> m : s.history) {
            h.add(EpochResult.fromMap(m, s.epochsDone));
        }
        return h;
    }

    private String encoderSource() {
        java.nio.file.Path p = java.nio.file.Paths.get(encoder);
        return java.nio.file.Files.exists(p) && !dev.nnsdk.repository.ModelRepository.ids().contains(encoder)
                ? p.toAbsolutePath().normalize().toString() : encoder;
    }

    private static Map<String, String> sums(ModelDescriptor d) {
        Map<String, String> m = new TreeMap<String, String>();
        for (Map.Entry<ModelFormat, Artifact> e : d.artifacts().entrySet()) {
            if (e.getValue().sha256() != null) {
                m.put(e.getKey().id(), e.getValue().sha256());
            }
        }
        return m;
    }

    private Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("dimension", dimension);
        m.put("l2", l2);
        m.put("itemEmbedding", itemEmbedding);
        m.put("baselines", baselines);
        m.put("baselineL2", mfL2);
        m.put("baselineConfig", (mfConfig != null ? mfConfig : config).toMap());
        m.put("coldStartFraction", coldStartFraction);
        m.put("refit", refit);
        m.put("combineWithBaseline", combine && baselines);
        m.put("loss", "bpr");
        return m;
    }

    private String fingerprint(Map<String, String> sums, String engine) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("config", config.toMap());
        m.put("settings", settings());
        m.put("encoder", sums);
        m.put("engine", engine);
        m.put("interactions", interactions.sha256());
        m.put("items", catalog.texts().hashCode());
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return dev.nnsdk.io.Checksums.hex(md.digest(JSON.writeValueAsString(m).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> info(LeaveOneOut split, String encoderId, Map<String, String> sums, String engine,
                                     TrainState hs, TrainState ms, Map<String, Object> metrics) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("task", TrainedRecommender.TASK);
        m.put("config", config.toMap());
        m.put("settings", settings());
        Map<String, Object> data = new LinkedHashMap<String, Object>();
        Map<String, Object> in = new LinkedHashMap<String, Object>();
        in.put("name", interactions.name());
        in.put("rows", interactions.size());
        in.put("sha256", interactions.sha256());
        in.put("duplicateRowsMerged", interactions.duplicates());
        in.put("rowsBelowRatingThreshold", interactions.belowThreshold());
        in.put("rowsWithUnknownItem", split.unknownItemRows());
        data.put("interactions", in);
        Map<String, Object> it = new LinkedHashMap<String, Object>();
        it.put("name", catalog.name());
        it.put("items", catalog.size());
        it.put("emptyTexts", catalog.emptyTexts());
        data.put("items", it);
        data.put("users", split.users());
        data.put("trainInteractions", split.trainInteractions());
        m.put("datasets", data);
        m.put("protocol", "leave-one-out (latest interaction per user; ties: later file row), 100 sampled negatives, "
                + "validation = second latest; seed " + config.seed());
        m.put("mfWeights", "0, 0.25, 0.5, 0.75, 1, 1.5, 2 (picked on validation NDCG@10)");
        m.put("bestEpoch", hs.bestEpoch);
        m.put("epochsRun", hs.epochsDone);
        m.put("stoppedEarly", hs.stoppedEarly);
        if (ms != null) {
            m.put("baselineBestEpoch", ms.bestEpoch);
            m.put("baselineEpochsRun", ms.epochsDone);
        }
        m.put("metrics", metrics);
        Map<String, Object> p = new LinkedHashMap<String, Object>();
        p.put("sdkVersion", TextClassificationTrainer.sdkVersion());
        p.put("date", Instant.now().toString());
        p.put("seed", config.seed());
        p.put("backbone", encoderId);
        p.put("backboneSource", encoderSource());
        p.put("backboneSha256", sums);
        p.put("featureEngine", engine);
        p.put("interactionsSha256", interactions.sha256());
        p.put("java", System.getProperty("java.version"));
        m.put("provenance", p);
        return m;
    }

    static List<String> unmodifiable(List<String> l) {
        return Collections.unmodifiableList(l);
    }
}
