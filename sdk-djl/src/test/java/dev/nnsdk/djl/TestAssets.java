package dev.nnsdk.djl;

import dev.nnsdk.SdkSettings;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** Finds a shared asset; missing assets fail under CI=true and skip the test otherwise. */
final class TestAssets {

    private TestAssets() {
    }

    static Path require(String relative) {
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
}
