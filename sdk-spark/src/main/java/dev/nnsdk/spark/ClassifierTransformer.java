package dev.nnsdk.spark;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;

/**
 * A stage that appends a label (the output column), its probability ({@code <outputCol>_score}) and,
 * with {@link #setTopK} &gt; 0, the top-k labels as {@code array<struct<label: string, score: float>>}
 * ({@code <outputCol>_topk}).
 */
public abstract class ClassifierTransformer<T extends ClassifierTransformer<T>> extends ModelTransformer<T> {
    private static final long serialVersionUID = 1L;
    private final Param<String> scoreCol;
    private final Param<String> topKCol;
    private final IntParam topK;

    protected ClassifierTransformer(String uid) {
        super(uid);
        this.scoreCol = new Param<String>(this, "scoreCol", "column of the best label's probability (default <outputCol>_score)");
        this.topKCol = new Param<String>(this, "topKCol", "column of the top-k labels (default <outputCol>_topk)");
        this.topK = new IntParam(this, "topK", "how many labels the top-k column holds; 0 (default): no such column",
                ParamValidators.gtEq(0));
        setDefault(topK, 0);
        setDefault(outputCol(), "label");
    }

    public Param<String> scoreCol() {
        return scoreCol;
    }

    public Param<String> topKCol() {
        return topKCol;
    }

    public IntParam topK() {
        return topK;
    }

    public String getScoreCol() {
        return isDefined(scoreCol) ? $(scoreCol) : getOutputCol() + "_score";
    }

    public String getTopKCol() {
        return isDefined(topKCol) ? $(topKCol) : getOutputCol() + "_topk";
    }

    public int getTopK() {
        return (Integer) $(topK);
    }

    public T setScoreCol(String col) {
        return setParam(scoreCol, col);
    }

    public T setTopKCol(String col) {
        return setParam(topKCol, col);
    }

    public T setTopK(int k) {
        return setParam(topK, k);
    }
}
