package dev.nnsdk.it;

import dev.nnsdk.SdkSettings;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Shared assets for tests: fail under CI=true when missing, else skip. */
final class FineTuningAssets {
    private FineTuningAssets() {
    }

    static Path require(String relative) {
        Path dir = SdkSettings.assetsDir();
        Path p = dir == null ? null : dir.resolve(relative);
        if (p == null || !Files.exists(p)) {
            String msg = "asset " + relative + " not found (set SDK_ASSETS_DIR)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(msg);
            }
            assumeTrue(false, msg);
        }
        return p;
    }
}
