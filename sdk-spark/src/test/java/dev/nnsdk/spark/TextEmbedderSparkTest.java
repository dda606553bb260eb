package dev.nnsdk.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vector;
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

/** sdk-spark's TextEmbedder in local[2] against the local SDK on the same texts (all-minilm-l6-v2 from its Maven jar). */
class TextEmbedderSparkTest {
    static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("id", DataTypes.IntegerType, false),
        DataTypes.createStructField("text", DataTypes.StringType, true)});
    private static SparkSession spark;
    private static dev.nnsdk.inference.TextEmbedder local;

    @BeforeAll
    static void setUp() {
        spark = SparkTests.spark();
        local = dev.nnsdk.inference.TextEmbedder.load("all-minilm-l6-v2");
    }

    @AfterAll
    static void tearDown() {
        local.close();
    }

    static Dataset<Row> frame(List<String> texts, int partitions) {
        List<Row> rows = new ArrayList<Row>();
        for (int i = 0; i < texts.size(); i++) {
            rows.add(RowFactory.create(i, texts.get(i)));
        }
        SparkSession session = SparkTests.spark();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session.sparkContext());
        return session.createDataFrame(jsc.parallelize(rows, partitions), SCHEMA);
    }

    @Test
    void imdbReviewsEqualTheLocalSdk() throws Exception {
        List<String> texts = SparkTests.imdb(0, 200);
        List<Row> out = new TextEmbedder().setModel("all-minilm-l6-v2").setInputCol("text").setOutputCol("v")
                .transform(frame(texts, 4)).orderBy("id").collectAsList();
        List<float[]> expected = local.embedAll(texts);
        assertEquals(texts.size(), out.size());
        double worst = 1;
        for (int i = 0; i < out.size(); i++) {
            assertEquals(i, out.get(i).getInt(0));
            assertEquals(texts.get(i), out.get(i).getString(1));
            float[] v = SparkTests.floats(out.get(i).getList(2));
            assertEquals(384, v.length);
            worst = Math.min(worst, SparkTests.cosine(v, expected.get(i)));
        }
        assertTrue(worst >= 0.9999, "worst cosine " + worst);
    }

    @Test
    void nullAndEmptyTextsAndEmptyPartitions() {
        List<String> texts = Arrays.asList("A quiet film about a lighthouse keeper.", null, "", "Loud, long and dull.");
        Dataset<Row> df = frame(texts, 7); // 7 slices for 4 rows: at least 3 partitions have no row
        List<Integer> sizes = df.javaRDD().glom().map(List::size).collect();
        assertTrue(sizes.contains(0), "some partition is empty: " + sizes);
        List<Row> out = new TextEmbedder().setModel("all-minilm-l6-v2").setOutputType("vector")
                .transform(df).orderBy("id").collectAsList();
        assertEquals(4, out.size());
        assertNull(out.get(1).get(2), "a null text gives a null vector");
        for (int i : new int[] {0, 2, 3}) {
            Vector v = (Vector) out.get(i).get(2);
            assertNotNull(v, "row " + i);
            float[] f = new float[v.size()];
            for (int j = 0; j < f.length; j++) {
                f[j] = (float) v.apply(j);
            }
            assertTrue(SparkTests.cosine(f, local.embed(texts.get(i))) >= 0.9999, "row " + i);
        }
    }

    @Test
    void theModelLoadsOncePerJvmOver64Partitions() {
        List<String> texts = new ArrayList<String>();
        for (int i = 0; i < 640; i++) {
            texts.add("review number " + i + (i % 2 == 0 ? " was great" : " was not good at all"));
        }
        ModelCache.clear();
        long before = ModelCache.loads();
        Dataset<Row> df = frame(texts, 64);
        assertEquals(64, df.javaRDD().getNumPartitions());
        long n = new TextEmbedder().setModel("all-minilm-l6-v2").setBatchSize(16).transform(df)
                .filter("embedding is not null").count();
        assertEquals(640, n);
        assertEquals(1, ModelCache.loads() - before, "loads over 64 partitions on 2 task threads");
        assertEquals(1, ModelCache.size());
    }

    @Test
    void batchSizeDoesNotChangeTheVectorsBeyondPadding() {
        List<String> texts = Arrays.asList("short", "a somewhat longer sentence about films", "mid length text");
        List<Row> a = new TextEmbedder().setModel("all-minilm-l6-v2").setBatchSize(1).transform(frame(texts, 1))
                .orderBy("id").collectAsList();
        List<Row> b = new TextEmbedder().setModel("all-minilm-l6-v2").setBatchSize(64).transform(frame(texts, 1))
                .orderBy("id").collectAsList();
        for (int i = 0; i < texts.size(); i++) {
            float[] x = SparkTests.floats(a.get(i).getList(2));
            float[] y = SparkTests.floats(b.get(i).getList(2));
            assertTrue(SparkTests.cosine(x, y) >= 0.9999, "row " + i);
        }
        assertArrayEquals(local.embed("short"), SparkTests.floats(a.get(0).getList(2)), 1e-6f,
                "batch size 1 is the local single-text path");
    }
}
