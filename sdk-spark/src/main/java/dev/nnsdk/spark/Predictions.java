package dev.nnsdk.spark;

import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

import dev.nnsdk.inference.Classification;

/** The columns a classifier stage appends: label, score and (optionally) the top-k as {@code array<struct<label,score>>}. */
final class Predictions {
    /** {@code struct<label: string, score: float>}. */
    static final DataType LABEL_SCORE = DataTypes.createStructType(new StructField[] {
        DataTypes.createStructField("label", DataTypes.StringType, false),
        DataTypes.createStructField("score", DataTypes.FloatType, false)});

    private Predictions() {
    }

    static StructField[] fields(String labelCol, String scoreCol, String topKCol, int topK, String errorCol) {
        int n = 2 + (topK > 0 ? 1 : 0) + (errorCol != null ? 1 : 0);
        StructField[] f = new StructField[n];
        int i = 0;
        f[i++] = DataTypes.createStructField(labelCol, DataTypes.StringType, true);
        f[i++] = DataTypes.createStructField(scoreCol, DataTypes.FloatType, true);
        if (topK > 0) {
            f[i++] = DataTypes.createStructField(topKCol, DataTypes.createArrayType(LABEL_SCORE, false), true);
        }
        if (errorCol != null) {
            f[i] = DataTypes.createStructField(errorCol, DataTypes.StringType, true);
        }
        return f;
    }

    /** The appended values of one input: its top-{@code max(1, topK)} classes, best first, or {@code null} for none. */
    static Object[] values(List<Classification> top, int topK, boolean errorCol, String error) {
        Object[] v = new Object[2 + (topK > 0 ? 1 : 0) + (errorCol ? 1 : 0)];
        if (top != null) {
            v[0] = top.get(0).label();
            v[1] = top.get(0).score();
            if (topK > 0) {
                Row[] k = new Row[Math.min(topK, top.size())];
                for (int i = 0; i < k.length; i++) {
                    k[i] = RowFactory.create(top.get(i).label(), top.get(i).score());
                }
                v[2] = k;
            }
        }
        if (errorCol) {
            v[v.length - 1] = error;
        }
        return v;
    }
}
