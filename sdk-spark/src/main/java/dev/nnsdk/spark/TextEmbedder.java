package dev.nnsdk.spark;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;


/**
 * A Spark ML stage that embeds a string column with an SDK text embedding model.
 *
 * <pre>{@code
 * TextEmbedder embedder = new TextEmbedder()
 *         .setModel("all-minilm-l6-v2")       // zoo id or model directory
 *         .setInputCol("text").setOutputCol("embedding")
 *         .setBatchSize(32);
 * Dataset<Row> vectors = embedder.transform(reviews);   // embedding: array<float> (384)
 * }</pre>
 *
 * The output is {@code array<float>} (the SDK's vectors, unchanged) or, with
 * {@code setOutputType("vector")}, an ML {@code Vector} column for Spark ML estimators. A null text
 * gives a null vector; an empty text gets a vector, as in the local SDK. The vectors equal
 * {@code dev.nnsdk.inference.TextEmbedder.embedAll} of the same texts (cosine >= 0.9999: batches
 * differ, so does the padding).
 */
public final class TextEmbedder extends ModelTransformer<TextEmbedder> {
    private static final long serialVersionUID = 1L;
    private final Param<String> outputType;

    public TextEmbedder() {
        this(Identifiable$.MODULE$.randomUID("nnsdkTextEmbedder"));
    }

    public TextEmbedder(String uid) {
        super(uid);
        this.outputType = new Param<String>(this, "outputType", "array (array<float>) or vector (ML Vector)",
                ParamValidators.inArray(new String[] {"array", "vector"}));
        setDefault(outputType, "array");
        setDefault(inputCol(), "text");
        setDefault(outputCol(), "embedding");
    }

    public static MLReader<TextEmbedder> read() {
        return new DefaultParamsReader<TextEmbedder>();
    }

    public static TextEmbedder load(String path) {
        return read().load(path);
    }

    public Param<String> outputType() {
        return outputType;
    }

    public String getOutputType() {
        return $(outputType);
    }

    public TextEmbedder setOutputType(String type) {
        return setParam(outputType, type);
    }

    @Override
    protected void checkInputType(DataType type) {
        if (!DataTypes.StringType.equals(type)) {
            throw new IllegalArgumentException(describe(type, "string"));
        }
    }

    @Override
    protected StructField[] outputFields() {
        DataType t = "vector".equals(getOutputType()) ? SQLDataTypes.VectorType()
                : DataTypes.createArrayType(DataTypes.FloatType, false);
        return new StructField[] {DataTypes.createStructField(getOutputCol(), t, true)};
    }

    @Override
    protected ChunkFunction chunkFunction(StructType inputSchema) {
        return new Embed(spec(), "vector".equals(getOutputType()));
    }

    private static final class Embed implements ChunkFunction {
        private static final long serialVersionUID = 1L;
        private final ModelSpec spec;
        private final boolean vector;

        Embed(ModelSpec spec, boolean vector) {
            this.spec = spec;
            this.vector = vector;
        }

        @Override
        public List<Object[]> apply(List<Object> inputs, List<Row> rows) {
            List<String> texts = nonNullTexts(inputs);
            List<float[]> vectors = texts.isEmpty() ? new ArrayList<float[]>()
                    : ExecutorModels.textEmbedder(spec).embedAll(texts);
            List<Object[]> out = new ArrayList<Object[]>(inputs.size());
            int next = 0;
            for (Object o : inputs) {
                if (o == null) {
                    out.add(new Object[] {null});
                } else {
                    float[] v = vectors.get(next++);
                    out.add(new Object[] {vector ? Vectors.dense(toDouble(v)) : v});
                }
            }
            return out;
        }

        private static double[] toDouble(float[] v) {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            return d;
        }
    }
}
