package dev.nnsdk;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The SDK's process-wide settings, read from system properties or environment variables (the property wins):
 * where the shared assets and the cache live, whether remote artifacts may be downloaded (never, unless the
 * user allows it) and the download timeout. Engine-specific settings belong to their engine module
 * ({@code dev.nnsdk.djl.DjlSystemProperties} for DJL).
 *
 * <pre>{@code
 * Path cache = SdkSettings.cacheDir();          // ~/.cache/nnsdk unless SDK_CACHE_DIR / -Dsdk.cache.dir
 * }</pre>
 */
public final class SdkSettings {

    /** Environment variable / system property naming the shared assets directory. */
    public static final String ASSETS_ENV = "SDK_ASSETS_DIR";
    public static final String ASSETS_PROPERTY = "sdk.assets.dir";
    /** Environment variable / system property naming the SDK's cache directory. */
    public static final String CACHE_ENV = "SDK_CACHE_DIR";
    public static final String CACHE_PROPERTY = "sdk.cache.dir";
    /**
     * Environment variable / system property that allows downloads of remote model artifacts. The SDK is
     * offline by default: it fetches an {@code https://} artifact only when one of them is {@code false}.
     */
    public static final String OFFLINE_ENV = "SDK_OFFLINE";
    public static final String OFFLINE_PROPERTY = "sdk.offline";
    /** Seconds to wait for a connection, and for the next bytes of a download (default 30). */
    public static final String DOWNLOAD_TIMEOUT_PROPERTY = "sdk.download.timeout";

    private SdkSettings() {
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

    /**
     * True unless the user allowed downloads with {@code -Dsdk.offline=false} or {@code SDK_OFFLINE=false}
     * (the property wins over the variable).
     */
    public static boolean offline() {
        String p = System.getProperty(OFFLINE_PROPERTY);
        if (p == null || p.trim().isEmpty()) {
            p = System.getenv(OFFLINE_ENV);
        }
        return p == null || !p.trim().equalsIgnoreCase("false");
    }

    /** Connect and idle-read timeout of downloads, in milliseconds ({@code sdk.download.timeout} seconds, default 30). */
    public static long downloadTimeoutMillis() {
        String p = System.getProperty(DOWNLOAD_TIMEOUT_PROPERTY);
        if (p != null && !p.trim().isEmpty()) {
            try {
                double s = Double.parseDouble(p.trim());
                if (s > 0) {
                    return Math.max(1L, (long) (s * 1000));
                }
            } catch (NumberFormatException e) {
                // fall through to the default
            }
        }
        return 30000L;
    }
}
