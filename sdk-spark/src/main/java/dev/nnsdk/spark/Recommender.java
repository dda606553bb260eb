package dev.nnsdk.spark;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.inference.ScoredItem;

/**
 * A Spark ML stage that recommends items to the users of a column with a recommender saved by
 * {@code FineTuning.recommendation()} (a directory; scoring is plain Java, no engine needed).
 *
 * <pre>{@code
 * Recommender rec = new Recommender().setModel("/models/movies")
 *         .setInputCol("userId").setOutputCol("recommendations").setTopK(10);
 * Dataset<Row> out = rec.transform(users);   // recommendations: array<struct<item: string, score: float>>
 * }</pre>
 *
 * The user column is a string, int or long (compared as its decimal text with the training data's
 * user ids). As {@code dev.nnsdk.inference.Recommender.recommend}, the items a user already has are
 * never recommended. A user the model has never seen gets a null result and the SDK's message in the
 * error column ({@code <outputCol>_error}); a null user gives null results and a null error.
 */
public final class Recommender extends ModelTransformer<Recommender> {
    private static final long serialVersionUID = 1L;
    private static final DataType ITEM_SCORE = DataTypes.createStructType(new StructField[] {
        DataTypes.createStructField("item", DataTypes.StringType, false),
        DataTypes.createStructField("score", DataTypes.FloatType, false)});
    private final IntParam topK;
    private final Param<String> errorCol;

    public Recommender() {
        this(Identifiable$.MODULE$.randomUID("nnsdkRecommender"));
    }

    public Recommender(String uid) {
        super(uid);
        this.topK = new IntParam(this, "topK", "how many items to recommend per user (default 10)", ParamValidators.gtEq(1));
        this.errorCol = new Param<String>(this, "errorCol", "column of the error for an unknown user (default <outputCol>_error)");
        setDefault(topK, 10);
        setDefault(inputCol(), "user");
        setDefault(outputCol(), "recommendations");
    }

    public static MLReader<Recommender> read() {
        return new DefaultParamsReader<Recommender>();
    }

    public static Recommender load(String path) {
        return read().load(path);
    }

    public IntParam topK() {
        return topK;
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public int getTopK() {
        return (Integer) $(topK);
    }

    public String getErrorCol() {
        return isDefined(errorCol) ? $(errorCol) : getOutputCol() + "_error";
    }

    public Recommender setTopK(int k) {
        return setParam(topK, k);
    }

    public Recommender setErrorCol(String col) {
        return setParam(errorCol, col);
    }

    @Override
    protected void checkInputType(DataType type) {
        if (!DataTypes.StringType.equals(type) && !DataTypes.IntegerType.equals(type) && !DataTypes.LongType.equals(type)) {
            throw new IllegalArgumentException(describe(type, "string, int or long (user ids)"));
        }
    }

    @Override
    protected StructField[] outputFields() {
        return new StructField[] {
            DataTypes.createStructField(getOutputCol(), DataTypes.createArrayType(ITEM_SCORE, false), true),
            DataTypes.createStructField(getErrorCol(), DataTypes.StringType, true)};
    }

    @Override
    protected ChunkFunction chunkFunction(StructType inputSchema) {
        return new Recommend(spec(), getTopK());
    }

    private static final class Recommend implements ChunkFunction {
        private static final long serialVersionUID = 1L;
        private final ModelSpec spec;
        private final int k;

        Recommend(ModelSpec spec, int k) {
            this.spec = spec;
            this.k = k;
        }

        @Override
        public List<Object[]> apply(List<Object> inputs, List<Row> rows) {
            dev.nnsdk.inference.Recommender rec = null;
            List<Object[]> out = new ArrayList<Object[]>(inputs.size());
            for (Object o : inputs) {
                if (o == null) {
                    out.add(new Object[] {null, null});
                    continue;
                }
                if (rec == null) {
                    rec = ExecutorModels.recommender(spec);
                }
                String user = String.valueOf(o);
                if (!rec.hasUser(user)) {
                    out.add(new Object[] {null, "Unknown user '" + user + "': not in the recommender's training data"});
                    continue;
                }
                try {
                    List<ScoredItem> top = rec.recommend(user, k);
                    Row[] r = new Row[top.size()];
                    for (int i = 0; i < r.length; i++) {
                        r[i] = RowFactory.create(top.get(i).item(), top.get(i).score());
                    }
                    out.add(new Object[] {r, null});
                } catch (InvalidInputException e) {
                    out.add(new Object[] {null, e.getMessage()});
                }
            }
            return out;
        }
    }
}
