package dev.nnsdk.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import com.fasterxml.jackson.databind.ObjectMapper;

/** One local[2] SparkSession for every test class of the module (Surefire runs them in one JVM), and the shared assets. */
final class SparkTests {
    private static SparkSession spark;

    private SparkTests() {
    }

    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[2]").appName("nnsdk-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.sql.adaptive.enabled", "false")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
        }
        return spark;
    }

    /** A file of the shared assets: fails when missing under CI=true, else skips. */
    static Path asset(String relative) {
        String dir = System.getProperty("sdk.assets.dir", System.getenv("SDK_ASSETS_DIR"));
        Path p = dir == null || dir.isEmpty() || dir.startsWith("${") ? null : Path.of(dir).resolve(relative);
        if (p == null || !Files.isRegularFile(p)) {
            String msg = "shared asset " + relative + " is missing (set SDK_ASSETS_DIR; now " + dir + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        return p;
    }

    /** IMDB reviews from line {@code from} (0-based) of the shared file: {@code n} texts. */
    static List<String> imdb(int from, int n) throws IOException {
        Path f = asset("datasets/imdb/reviews.jsonl.gz");
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<String>(n);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(f)),
                StandardCharsets.UTF_8))) {
            String line;
            int i = 0;
            while ((line = r.readLine()) != null && out.size() < n) {
                if (i++ >= from) {
                    out.add(json.readTree(line).get("text").asText());
                }
            }
        }
        return out;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    static float[] floats(List<Float> l) {
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = l.get(i);
        }
        return f;
    }
}
