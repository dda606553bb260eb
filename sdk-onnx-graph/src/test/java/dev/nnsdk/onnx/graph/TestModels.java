package dev.nnsdk.onnx.graph;

import dev.nnsdk.SdkSettings;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import dev.nnsdk.engine.ModelFormat;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The zoo's fp32 MiniLM (from its Maven jar) and real IMDB reviews from the shared assets. */
final class TestModels {
    private TestModels() {
    }

    static ModelDescriptor miniLm() {
        return ModelRepository.resolve("all-minilm-l6-v2");
    }

    static Path miniLmOnnx() {
        return miniLm().artifacts().get(ModelFormat.ONNX).path();
    }

    static Path miniLmTokenizer() {
        return miniLm().text().tokenizer().path();
    }

    /** The first {@code n} IMDB reviews cut to their first 60 words; fails under CI=true when the assets are missing. */
    static List<String> imdb(int n) throws IOException {
        Path dir = SdkSettings.assetsDir();
        Path p = dir == null ? null : dir.resolve("datasets/imdb/reviews.jsonl.gz");
        if (p == null || !Files.isRegularFile(p)) {
            String msg = "shared asset datasets/imdb/reviews.jsonl.gz is missing (set SDK_ASSETS_DIR; now " + dir + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        List<String> out = new ArrayList<String>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(p)),
                StandardCharsets.UTF_8))) {
            for (String line; out.size() < n && (line = r.readLine()) != null; ) {
                String[] w = json.readTree(line).get("text").asText().trim().split("\\s+");
                out.add(String.join(" ", Arrays.copyOf(w, Math.min(60, w.length))));
            }
        }
        return out;
    }

    static double cosine(float[] x, float[] y) {
        return GraphVerifier.cosine(x, y, 0, x.length);
    }
}
