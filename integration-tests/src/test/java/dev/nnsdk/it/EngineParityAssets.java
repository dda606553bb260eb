package dev.nnsdk.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.SdkSettings;
import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.fail;

/** Shared assets for the engine parity and soak tests: missing ones fail under CI=true, else skip. */
public final class EngineParityAssets {

    private EngineParityAssets() {
    }

    public static Path require(String relative) {
        Path dir = SdkSettings.assetsDir();
        Path file = dir == null ? null : dir.resolve(relative);
        if (file == null || !Files.isRegularFile(file)) {
            String msg = "Shared asset " + relative + " not found (set SDK_ASSETS_DIR; now " + dir + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
        return file;
    }

    /** The first {@code n} review texts of the IMDB asset, in file order. */
    static List<String> imdbReviews(int n) throws IOException {
        Path file = require("datasets/imdb/reviews.jsonl.gz");
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<String>(n);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            String line;
            while (out.size() < n && (line = r.readLine()) != null) {
                out.add(json.readTree(line).get("text").asText());
            }
        }
        return out;
    }
}
