package dev.nnsdk.spark;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import dev.nnsdk.inference.Classification;

/**
 * A Spark ML stage that classifies a string column with an SDK text classifier (a fine-tuned model
 * directory saved by {@code sdk-train}, or any model whose descriptor has a head).
 *
 * <pre>{@code
 * TextClassifier clf = new TextClassifier()
 *         .setModel("/models/sentiment")          // saved by FineTuning ... clf.save(dir)
 *         .setInputCol("text").setOutputCol("label")
 *         .setTopK(2);                             // optional: label_topk array<struct<label,score>>
 * Dataset<Row> labelled = clf.transform(reviews); // label: string, label_score: float
 * }</pre>
 *
 * A null text gives null label, score and top-k; an empty text is classified, as in the local SDK.
 * The labels equal {@code dev.nnsdk.inference.TextClassifier.classifyAll} of the same texts.
 */
public final class TextClassifier extends ClassifierTransformer<TextClassifier> {
    private static final long serialVersionUID = 1L;

    public TextClassifier() {
        this(Identifiable$.MODULE$.randomUID("nnsdkTextClassifier"));
    }

    public TextClassifier(String uid) {
        super(uid);
        setDefault(inputCol(), "text");
    }

    public static MLReader<TextClassifier> read() {
        return new DefaultParamsReader<TextClassifier>();
    }

    public static TextClassifier load(String path) {
        return read().load(path);
    }

    @Override
    protected void checkInputType(DataType type) {
        if (!DataTypes.StringType.equals(type)) {
            throw new IllegalArgumentException(describe(type, "string"));
        }
    }

    @Override
    protected StructField[] outputFields() {
        return Predictions.fields(getOutputCol(), getScoreCol(), getTopKCol(), getTopK(), null);
    }

    @Override
    protected ChunkFunction chunkFunction(StructType inputSchema) {
        return new Classify(spec(), getTopK());
    }

    private static final class Classify implements ChunkFunction {
        private static final long serialVersionUID = 1L;
        private final ModelSpec spec;
        private final int topK;

        Classify(ModelSpec spec, int topK) {
            this.spec = spec;
            this.topK = topK;
        }

        @Override
        public List<Object[]> apply(List<Object> inputs, List<Row> rows) {
            List<String> texts = nonNullTexts(inputs);
            dev.nnsdk.inference.TextClassifier clf = texts.isEmpty() ? null : ExecutorModels.textClassifier(spec);
            List<float[]> probabilities = clf == null ? new ArrayList<float[]>() : clf.probabilities(texts);
            List<Object[]> out = new ArrayList<Object[]>(inputs.size());
            int next = 0;
            for (Object o : inputs) {
                List<Classification> top = o == null ? null
                        : Classification.top(probabilities.get(next++), clf.labels(), Math.max(1, topK));
                out.add(Predictions.values(top, topK, false, null));
            }
            return out;
        }
    }
}
