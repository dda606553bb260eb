package dev.nnsdk.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nnsdk.inference.Classification;
import dev.nnsdk.spark.training.SparkFeatures;
import dev.nnsdk.training.FineTuning;
import dev.nnsdk.training.TrainedTextClassifier;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.data.TextDataset;

/**
 * Features extracted on Spark and written to Parquet train the same head as a local run, and a saved
 * Spark pipeline with the fine-tuned classifier reloads and predicts what the local SDK predicts.
 */
class FineTunedClassifierSparkTest {
    private static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("id", DataTypes.IntegerType, false),
        DataTypes.createStructField("text", DataTypes.StringType, false),
        DataTypes.createStructField("label", DataTypes.StringType, false)});
    private static final TrainingConfig CONFIG = TrainingConfig.builder().epochs(5).seed(42).build();

    @TempDir
    static Path dir;
    private static SparkSession spark;
    private static List<String> heldOut;
    private static Path sparkModel;
    private static Path localModel;

    @BeforeAll
    static void train() throws Exception {
        spark = SparkTests.spark();
        List<String> texts = new ArrayList<String>(SparkTests.imdb(0, 120));
        texts.addAll(SparkTests.imdb(25_000, 120));
        List<String> labels = new ArrayList<String>();
        List<Row> rows = new ArrayList<Row>();
        for (int i = 0; i < texts.size(); i++) {
            labels.add(i < 120 ? "negative" : "positive");
            rows.add(RowFactory.create(i, texts.get(i), labels.get(i)));
        }
        heldOut = new ArrayList<String>(SparkTests.imdb(200, 30));
        heldOut.addAll(SparkTests.imdb(25_200, 30));

        // On the cluster: features of the training set, written to Parquet.
        Dataset<Row> df = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 3), SCHEMA);
        String parquet = dir.resolve("features.parquet").toString();
        new TextEmbedder().setModel("all-minilm-l6-v2").setOutputCol("features").transform(df).write().parquet(parquet);
        // On the driver: the head, from the Parquet features.
        SparkFeatures f = SparkFeatures.collect(spark.read().parquet(parquet).orderBy("id"), "text", "label", "features",
                "all-minilm-l6-v2");
        assertEquals(texts, f.dataset().texts(), "rows in id order");
        sparkModel = dir.resolve("spark-model");
        try (TrainedTextClassifier clf = FineTuning.textClassification().backbone("all-minilm-l6-v2")
                .train(f.dataset()).optFeatures(f.features()).config(CONFIG).fit()) {
            clf.save(sparkModel);
        }
        localModel = dir.resolve("local-model");
        try (TrainedTextClassifier clf = FineTuning.textClassification().backbone("all-minilm-l6-v2")
                .train(TextDataset.of("spark:features", texts, labels)).config(CONFIG)
                .optWindows(0)      // the Spark stage embeds truncated texts; a local run on long texts defaults to 8 windows
                .fit()) {
            clf.save(localModel);
        }
    }

    @AfterAll
    static void close() {
        ModelCache.clear(); // before @TempDir deletes the model directories
    }

    private static List<String> files(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void sparkFeaturesTrainTheHeadALocalRunTrains() throws Exception {
        assertEquals(files(localModel), files(sparkModel), "the same saved-model directory");
        try (dev.nnsdk.inference.TextClassifier a = dev.nnsdk.inference.TextClassifier.load(sparkModel);
             dev.nnsdk.inference.TextClassifier b = dev.nnsdk.inference.TextClassifier.load(localModel)) {
            List<float[]> pa = a.probabilities(heldOut);
            List<float[]> pb = b.probabilities(heldOut);
            double worst = 0;
            for (int i = 0; i < heldOut.size(); i++) {
                for (int j = 0; j < pa.get(i).length; j++) {
                    worst = Math.max(worst, Math.abs(pa.get(i)[j] - pb.get(i)[j]));
                }
            }
            assertTrue(worst < 1e-3, "largest probability difference " + worst);
            assertEquals(b.classifyAll(heldOut).stream().map(Classification::label).collect(Collectors.toList()),
                    a.classifyAll(heldOut).stream().map(Classification::label).collect(Collectors.toList()));
        }
    }

    @Test
    void aSavedPipelineWithTheFineTunedClassifierReloads() throws Exception {
        List<Row> rows = new ArrayList<Row>();
        for (int i = 0; i < heldOut.size(); i++) {
            rows.add(RowFactory.create(i, heldOut.get(i)));
        }
        Dataset<Row> df = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 2),
                TextEmbedderSparkTest.SCHEMA);
        TextClassifier stage = new TextClassifier().setModel(sparkModel.toString()).setOutputCol("sentiment").setTopK(2);
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {stage}).fit(df);
        String saved = dir.resolve("pipeline").toString();
        fitted.write().overwrite().save(saved);
        PipelineModel reloaded = PipelineModel.load(saved);
        assertEquals(sparkModel.toString(), ((TextClassifier) reloaded.stages()[0]).getModel());
        assertEquals(2, ((TextClassifier) reloaded.stages()[0]).getTopK());

        List<Row> before = fitted.transform(df).orderBy("id").collectAsList();
        List<Row> after = reloaded.transform(df).orderBy("id").collectAsList();
        try (dev.nnsdk.inference.TextClassifier local = dev.nnsdk.inference.TextClassifier.load(sparkModel)) {
            List<Classification> expected = local.classifyAll(heldOut);
            for (int i = 0; i < heldOut.size(); i++) {
                Row r = after.get(i);
                assertEquals(before.get(i), r, "row " + i + " before and after the reload");
                assertEquals(expected.get(i).label(), r.getAs("sentiment"), "row " + i);
                assertEquals(expected.get(i).score(), (Float) r.getAs("sentiment_score"), 1e-4f, "row " + i);
                List<Row> top = r.getList(r.fieldIndex("sentiment_topk"));
                assertEquals(2, top.size());
                assertEquals(expected.get(i).label(), top.get(0).getString(0));
                assertEquals(1.0, top.get(0).getFloat(1) + top.get(1).getFloat(1), 1e-4);
            }
        }
    }
}
