package dev.nnsdk.bench;

import dev.nnsdk.SdkSettings;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** The shared IMDB reviews for this module's tests: a failure under CI when missing, else the test is skipped. */
final class BenchAssets {
    private BenchAssets() {
    }

    static Path imdb() {
        Path p = SdkSettings.assetsDir() == null ? null : SdkSettings.assetsDir().resolve("datasets/imdb/reviews.jsonl.gz");
        if (p == null || !Files.isRegularFile(p)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("IMDB reviews missing: set SDK_ASSETS_DIR (looked for " + p + ")");
            }
            Assumptions.abort("SDK_ASSETS_DIR not set; skipping");
        }
        return p;
    }
}
