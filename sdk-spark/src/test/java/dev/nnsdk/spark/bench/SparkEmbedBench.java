package dev.nnsdk.spark.bench;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nnsdk.spark.TextEmbedder;

/**
 * The Spark side of the embed benchmark in docs/benchmarks.md (tools/bench/spark-embed.sh runs it
 * against {@code sdk-cli embed} on the same file, interleaved):
 * <pre>
 * SparkEmbedBench embed IN.jsonl OUT.parquet BATCH_SIZE PARTITIONS THREADS [JOBS]  # local[2]; prints job seconds
 * SparkEmbedBench compare OUT.parquet CLI_OUT.jsonl                          # min cosine per row, by line id
 * </pre>
 */
public final class SparkEmbedBench {
    private SparkEmbedBench() {
    }

    public static void main(String[] args) throws Exception {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("nnsdk-embed-bench")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            if (args[0].equals("embed")) {
                int jobs = args.length > 6 ? Integer.parseInt(args[6]) : 1;
                for (int j = 1; j <= jobs; j++) {
                    // job 1 is cold (model load, JIT of Spark's and the SDK's code); later jobs run in the warm session
                    embed(spark, Path.of(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                            Integer.parseInt(args[5]), j);
                }
            } else {
                compare(spark, args[1], Path.of(args[2]));
            }
        } finally {
            spark.stop();
        }
    }

    private static void embed(SparkSession spark, Path in, String out, int batch, int partitions, int threads, int job)
            throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<Row> rows = new ArrayList<Row>();
        try (BufferedReader r = Files.newBufferedReader(in, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                rows.add(RowFactory.create(rows.size(), json.readTree(line).get("text").asText()));
            }
        }
        StructType schema = new StructType(new StructField[] {
            DataTypes.createStructField("id", DataTypes.IntegerType, false),
            DataTypes.createStructField("text", DataTypes.StringType, false)});
        Dataset<Row> df = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(rows, partitions), schema);
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        new TextEmbedder().setModel("all-minilm-l6-v2").setBatchSize(batch).setThreads(threads).transform(df)
                .write().mode(SaveMode.Overwrite).parquet(out);
        double s = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - c0) / 1e9;  // the whole JVM's CPU during the job (all threads)
        System.out.printf("spark-job %d texts=%d batch=%d partitions=%d threads=%d seconds=%.2f texts/s=%.1f cpu=%.1f%n",
                job, rows.size(), batch, partitions, threads, s, rows.size() / s, cpu);
    }

    private static void compare(SparkSession spark, String parquet, Path cli) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<float[]> expected = new ArrayList<float[]>();
        try (BufferedReader r = Files.newBufferedReader(cli, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode e = json.readTree(line).get("embedding");
                float[] v = new float[e.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) e.get(i).asDouble();
                }
                expected.add(v);
            }
        }
        List<Row> got = spark.read().parquet(parquet).orderBy("id").collectAsList();
        if (got.size() != expected.size()) {
            throw new AssertionError("Spark wrote " + got.size() + " rows, sdk-cli " + expected.size());
        }
        double worst = 1;
        int worstRow = -1;
        for (int i = 0; i < got.size(); i++) {
            Row r = got.get(i);
            if (r.getInt(0) != i) {
                throw new AssertionError("row " + i + " has id " + r.getInt(0));
            }
            List<Float> l = r.getList(2);
            float[] e = expected.get(i);
            double dot = 0, na = 0, nb = 0;
            for (int j = 0; j < e.length; j++) {
                dot += l.get(j) * e[j];
                na += l.get(j) * l.get(j);
                nb += e[j] * e[j];
            }
            double c = dot / Math.sqrt(na * nb);
            if (c < worst) {
                worst = c;
                worstRow = i;
            }
        }
        System.out.printf("compare rows=%d min-cosine=%.7f (row %d)%n", got.size(), worst, worstRow);
        if (worst < 0.9999) {
            throw new AssertionError("min cosine " + worst + " < 0.9999");
        }
    }
}
