package dev.nnsdk.training.recommend;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.inference.Recommender;
import dev.nnsdk.inference.ScoredItem;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.format.RecommenderWeights;
import dev.nnsdk.io.AtomicDirectory;
import dev.nnsdk.training.io.Plots;
import dev.nnsdk.training.listener.EpochResult;
import dev.nnsdk.zoo.descriptor.ModelJson;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of {@link RecommendationTrainer#fit()}: a working {@link Recommender} plus its
 * test metrics (and the baselines'), history and provenance; {@link #save} writes a model
 * directory that {@link Recommender#load(Path)} reads.
 *
 * <p>Saved directory (written atomically: readers see no directory or a complete one):
 * {@code recommender.bin} (vectors, see {@code dev.nnsdk.format.RecommenderWeights}),
 * {@code recommender.properties} (its file name and SHA-256, the encoder), {@code model.json}
 * (task {@code recommendation}, encoder, files, provenance), {@code training.json},
 * {@code metrics.json}, {@code history.csv} (and {@code mf-history.csv}), {@code loss.png},
 * {@code ranking.png}.
 */
public final class TrainedRecommender implements Recommender {
    public static final String TASK = "recommendation";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final RecommenderWeights model;
    private final Recommender impl;
    private final Map<String, Object> metrics;
    private final List<EpochResult> history;
    private final List<EpochResult> mfHistory;
    private final Map<String, Object> info;
    private final String encoderId;
    private final String encoderSource;
    private final Map<String, String> encoderSums;

    TrainedRecommender(RecommenderWeights model, ModelOptions options, Map<String, Object> metrics, List<EpochResult> history,
                       List<EpochResult> mfHistory, Map<String, Object> info, String encoderId, String encoderSource,
                       Map<String, String> encoderSums) {
        this.model = model;
        this.impl = Recommender.of(model, options);
        this.metrics = metrics;
        this.history = history;
        this.mfHistory = mfHistory;
        this.info = info;
        this.encoderId = encoderId;
        this.encoderSource = encoderSource;
        this.encoderSums = encoderSums;
    }

    /** Test metrics: {@code hr@10}, {@code ndcg@10}, {@code popularity_*}, {@code mf_*}, {@code cold_start_*}, counts. */
    public Map<String, Object> metrics() {
        return java.util.Collections.unmodifiableMap(metrics);
    }

    /** The hybrid's per-epoch history (train loss = BPR loss, train accuracy = pairwise accuracy, valid accuracy = HR@10, valid macro-F1 = NDCG@10). */
    public List<EpochResult> history() {
        return history;
    }

    /** training.json content. */
    public Map<String, Object> info() {
        return info;
    }

    /** Saves the model directory atomically; an existing directory is refused unless {@code overwrite}. */
    public void save(Path dir, boolean overwrite) {
        AtomicDirectory.refuseExisting(dir, overwrite);
        try {
            AtomicDirectory.write(dir, overwrite, d -> {
                Path bin = d.resolve(RecommenderWeights.FILE);
                try (OutputStream o = Files.newOutputStream(bin)) {
                    model.write(o);
                }
                String sha = Checksums.sha256(bin);
                descriptor(dir, sha).write(d.resolve("model.json"));
                JSON.writeValue(d.resolve("training.json").toFile(), info);
                Map<String, Object> m = new LinkedHashMap<String, Object>();
                m.put("split", "test (leave-one-out)");
                m.putAll(metrics);
                JSON.writeValue(d.resolve("metrics.json").toFile(), m);
                writeHistory(d.resolve("history.csv"), history);
                if (mfHistory != null) {
                    writeHistory(d.resolve("mf-history.csv"), mfHistory);
                }
                plots(d, history, mfHistory);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the recommender to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** {@link #save(Path, boolean)} refusing an existing directory. */
    public void save(Path dir) {
        save(dir, false);
    }

    private ModelJson descriptor(Path target, String sha) {
        ModelJson.Backbone backbone = encoderSource == null ? null
                : new ModelJson.Backbone(encoderId, encoderSource, encoderSums);
        ModelJson.Weights weights = new ModelJson.Weights(RecommenderWeights.FILE, sha,
                "nnsdk-recommender/1 (big-endian, see dev.nnsdk.format.RecommenderWeights)", model.users.length,
                model.items.length, model.dim);
        return new ModelJson(ModelJson.FORMAT_VERSION, target.toAbsolutePath().normalize().getFileName().toString(), TASK,
                "Hybrid recommender: frozen " + encoderId + " item text features through a trained "
                        + "projection plus learned item embeddings; learned user embeddings; BPR",
                null, null, null, null, null, backbone, null, null, weights, null, metrics, info.get("provenance"));
    }

    private static void writeHistory(Path file, List<EpochResult> h) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("epoch,lr,train_bpr_loss,train_pair_accuracy,valid_bpr_loss,valid_hr@10,valid_ndcg@10,seconds\n");
            for (EpochResult r : h) {
                w.write(String.format(Locale.ROOT, "%d,%.6g,%.6f,%.6f,%.6f,%.6f,%.6f,%.3f%n", r.epoch(), r.learningRate(),
                        r.trainLoss(), r.trainAccuracy(), r.validLoss(), r.validAccuracy(), r.validMacroF1(), r.seconds()));
            }
        }
    }

    private static void plots(Path d, List<EpochResult> h, List<EpochResult> mf) throws IOException {
        if (h.isEmpty()) {
            return;
        }
        double[] x = new double[h.size()];
        double[] tl = new double[h.size()];
        double[] vl = new double[h.size()];
        double[] hr = new double[h.size()];
        double[] nd = new double[h.size()];
        for (int i = 0; i < h.size(); i++) {
            x[i] = h.get(i).epoch();
            tl[i] = h.get(i).trainLoss();
            vl[i] = h.get(i).validLoss();
            hr[i] = h.get(i).validAccuracy();
            nd[i] = h.get(i).validMacroF1();
        }
        Map<String, double[]> loss = new LinkedHashMap<String, double[]>();
        loss.put("train", tl);
        loss.put("validation", vl);
        Plots.lines(d.resolve("loss.png"), "BPR loss (hybrid)", "loss", x, loss);
        Map<String, double[]> rank = new LinkedHashMap<String, double[]>();
        rank.put("validation HR@10", hr);
        rank.put("validation NDCG@10", nd);
        Plots.lines(d.resolve("ranking.png"), "Validation ranking (hybrid)", "score", x, rank);
    }

    @Override
    public List<ScoredItem> recommend(String user, int k) {
        return impl.recommend(user, k);
    }

    @Override
    public List<ScoredItem> score(String user, List<String> items) {
        return impl.score(user, items);
    }

    @Override
    public float[] scoreTexts(String user, List<String> itemTexts) {
        return impl.scoreTexts(user, itemTexts);
    }

    @Override
    public List<ScoredItem> similarItems(String item, int k) {
        return impl.similarItems(item, k);
    }

    @Override
    public List<ScoredItem> popular(int k) {
        return impl.popular(k);
    }

    @Override
    public boolean hasUser(String user) {
        return impl.hasUser(user);
    }

    @Override
    public List<String> items() {
        return impl.items();
    }

    @Override
    public String itemText(String item) {
        return impl.itemText(item);
    }

    @Override
    public void close() {
        impl.close();
    }
}
