package dev.nnsdk.spark.training;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.training.data.PrecomputedFeatures;
import dev.nnsdk.training.data.TextDataset;

/**
 * Brings backbone features extracted on Spark (sdk-spark's {@code TextEmbedder}, usually written to
 * Parquet) to the driver for {@code FineTuning}, which then trains the head on them and saves the
 * same model directory as a local run. Needs {@code dev.nnsdk:sdk-train} on the driver.
 *
 * <pre>{@code
 * // on the cluster: extract once, keep the features
 * new TextEmbedder().setModel("all-minilm-l6-v2").setInputCol("text").setOutputCol("features")
 *         .transform(spark.read().json("train.jsonl")).write().parquet("train-features.parquet");
 * // on the driver: train the head from them
 * SparkFeatures f = SparkFeatures.collect(spark.read().parquet("train-features.parquet").orderBy("id"),
 *         "text", "label", "features", "all-minilm-l6-v2");
 * try (TrainedTextClassifier clf = FineTuning.textClassification().backbone("all-minilm-l6-v2")
 *         .train(f.dataset()).optFeatures(f.features()).fit()) {
 *     clf.save(Path.of("out/sentiment"));
 * }
 * }</pre>
 *
 * The rows are taken in the order of the given Dataset (order it, e.g. by an id column, to get the
 * split of a local run over the same file). The features column is {@code array<float>} or an ML
 * {@code Vector}; a null text, label or vector is an error naming the row.
 */
public final class SparkFeatures {
    private final TextDataset dataset;
    private final PrecomputedFeatures features;

    private SparkFeatures(TextDataset dataset, PrecomputedFeatures features) {
        this.dataset = dataset;
        this.features = features;
    }

    /** Collects the text, label and features columns to the driver; {@code backbone} names the model that made the features. */
    public static SparkFeatures collect(Dataset<Row> rows, String textCol, String labelCol, String featuresCol, String backbone) {
        List<Row> all = rows.select(textCol, labelCol, featuresCol).collectAsList();
        List<String> texts = new ArrayList<String>(all.size());
        List<String> labels = new ArrayList<String>(all.size());
        List<float[]> vectors = new ArrayList<float[]>(all.size());
        for (int i = 0; i < all.size(); i++) {
            Row r = all.get(i);
            for (int c = 0; c < 3; c++) {
                if (r.isNullAt(c)) {
                    throw new InvalidInputException("Features row " + (i + 1) + ": column '"
                            + new String[] {textCol, labelCol, featuresCol}[c] + "' is null");
                }
            }
            texts.add(r.getString(0));
            labels.add(String.valueOf(r.get(1)));
            vectors.add(floats(r.get(2), featuresCol, i));
        }
        return new SparkFeatures(TextDataset.of("spark:" + featuresCol, texts, labels),
                PrecomputedFeatures.of(backbone, texts, vectors));
    }

    private static float[] floats(Object o, String col, int row) {
        if (o instanceof Vector) {
            double[] d = ((Vector) o).toArray();
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return f;
        }
        if (o instanceof scala.collection.Seq) {
            scala.collection.Seq<?> s = (scala.collection.Seq<?>) o;
            float[] f = new float[s.length()];
            for (int i = 0; i < f.length; i++) {
                f[i] = ((Number) s.apply(i)).floatValue();
            }
            return f;
        }
        throw new InvalidInputException("Features row " + (row + 1) + ": column '" + col
                + "' must be array<float> or an ML Vector, not " + o.getClass().getName());
    }

    /** The texts and labels, in row order. */
    public TextDataset dataset() {
        return dataset;
    }

    /** The vectors, for {@code TextClassificationTrainer.features}. */
    public PrecomputedFeatures features() {
        return features;
    }
}
