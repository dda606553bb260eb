package dev.nnsdk.zoo;

import dev.nnsdk.internal.SdkDefaults;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Sets the SDK's system properties for one test and puts the previous values back. */
final class SdkSettings implements AutoCloseable {
    private final Map<String, String> saved = new HashMap<String, String>();

    static SdkSettings cache(Path cacheDir) {
        return new SdkSettings().set(SdkDefaults.CACHE_PROPERTY, cacheDir.toString());
    }

    SdkSettings set(String key, String value) {
        if (!saved.containsKey(key)) {
            saved.put(key, System.getProperty(key));
        }
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
        return this;
    }

    SdkSettings online(double timeoutSeconds) {
        return set(SdkDefaults.OFFLINE_PROPERTY, "false").set(SdkDefaults.DOWNLOAD_TIMEOUT_PROPERTY, String.valueOf(timeoutSeconds));
    }

    @Override
    public void close() {
        for (Map.Entry<String, String> e : saved.entrySet()) {
            if (e.getValue() == null) {
                System.clearProperty(e.getKey());
            } else {
                System.setProperty(e.getKey(), e.getValue());
            }
        }
    }
}
