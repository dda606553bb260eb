package dev.nnsdk.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nnsdk.inference.ScoredItem;
import dev.nnsdk.training.FineTuning;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.recommend.Interactions;
import dev.nnsdk.training.recommend.ItemCatalog;
import dev.nnsdk.training.recommend.TrainedRecommender;

/** Recommender stage over a user column against the local SDK, on a small recommender trained here. */
class RecommenderSparkTest {
    @TempDir
    static Path dir;
    private static Path model;
    private static SparkSession spark;

    @BeforeAll
    static void train() throws Exception {
        spark = SparkTests.spark();
        Random rnd = new Random(3);
        Path csv = dir.resolve("ratings.csv");
        String[] topics = {"space", "horses", "cooking", "jazz", "war", "robots"};
        Map<String, String> items = new LinkedHashMap<String, String>();
        for (int i = 0; i < 30; i++) {
            items.put(String.valueOf(100 + i), "A film about " + topics[i % topics.length] + ", part " + (i / topics.length + 1));
        }
        try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("userId,itemId,rating\n");
            for (int u = 1; u <= 16; u++) {
                int topic = u % topics.length;
                for (int i = 0; i < 30; i++) {
                    if (i % topics.length == topic || rnd.nextInt(8) == 0) {
                        w.write(u + "," + (100 + i) + ",5\n");
                    }
                }
            }
        }
        model = dir.resolve("model");
        try (TrainedRecommender r = FineTuning.recommendation().interactions(Interactions.csv(csv))
                .items(ItemCatalog.of(items)).itemEncoder("all-minilm-l6-v2").baselines(false)
                .config(TrainingConfig.builder().epochs(3).seed(1).build()).fit()) {
            r.save(model);
        }
    }

    @AfterAll
    static void close() {
        ModelCache.clear();
    }

    @Test
    void topKPerUserEqualsTheLocalSdkAndAnUnknownUserGetsAnError() {
        Dataset<Row> users = spark.createDataset(Arrays.asList(1L, 2L, 7L, 999L, 16L), org.apache.spark.sql.Encoders.LONG())
                .toDF("userId").repartition(2);
        List<Row> out = new Recommender().setModel(model.toString()).setInputCol("userId").setTopK(5)
                .transform(users).orderBy("userId").collectAsList();
        assertEquals(5, out.size());
        assertEquals(DataTypes.LongType, users.schema().apply("userId").dataType());
        try (dev.nnsdk.inference.Recommender local = dev.nnsdk.inference.Recommender.load(model)) {
            for (Row r : out) {
                String user = String.valueOf(r.getLong(0));
                if (user.equals("999")) {
                    assertNull(r.get(1));
                    assertTrue(r.getString(2).contains("'999'"), r.getString(2));
                    continue;
                }
                List<ScoredItem> expected = local.recommend(user, 5);
                List<Row> got = r.getList(1);
                List<String> a = new ArrayList<String>();
                List<String> b = new ArrayList<String>();
                for (int i = 0; i < expected.size(); i++) {
                    a.add(expected.get(i).item());
                    b.add(got.get(i).getString(0));
                    assertEquals(expected.get(i).score(), got.get(i).getFloat(1), 1e-6f);
                }
                assertEquals(a, b, "user " + user);
                assertNull(r.get(2));
            }
        }
    }
}
