package dev.nnsdk.internal;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Process-wide defaults the SDK applies before any engine loads, so users never pass flags:
 * offline mode and tracking opt-out for DJL, and where caches and shared assets live.
 */
public final class SdkDefaults {

    /** Environment variable / system property naming the shared assets directory. */
    public static final String ASSETS_ENV = "SDK_ASSETS_DIR";
    public static final String ASSETS_PROPERTY = "sdk.assets.dir";
    /** Environment variable / system property naming the SDK's cache directory. */
    public static final String CACHE_ENV = "SDK_CACHE_DIR";
    public static final String CACHE_PROPERTY = "sdk.cache.dir";

    private SdkDefaults() {
    }

    /** Sets DJL's offline mode and tracking opt-out unless the user set them already. Idempotent. */
    public static void applyOffline() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.pytorch.graph_optimizer", "false");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** The shared assets directory, or {@code null} when neither the property nor the variable is set. */
    public static Path assetsDir() {
        String p = System.getProperty(ASSETS_PROPERTY);
        if (p == null || p.trim().isEmpty() || p.startsWith("${")) {
            p = System.getenv(ASSETS_ENV);
        }
        return p == null || p.trim().isEmpty() ? null : Paths.get(p.trim());
    }

    /** The cache directory: {@code sdk.cache.dir}, {@code SDK_CACHE_DIR}, or {@code ~/.cache/nnsdk}. */
    public static Path cacheDir() {
        String p = System.getProperty(CACHE_PROPERTY);
        if (p == null || p.trim().isEmpty()) {
            p = System.getenv(CACHE_ENV);
        }
        if (p == null || p.trim().isEmpty()) {
            return Paths.get(System.getProperty("user.home"), ".cache", "nnsdk");
        }
        return Paths.get(p.trim());
    }
}
