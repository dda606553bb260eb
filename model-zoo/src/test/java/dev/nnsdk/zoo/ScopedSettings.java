package dev.nnsdk.zoo;


import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Sets the SDK's system properties for one test and puts the previous values back. */
final class ScopedSettings implements AutoCloseable {
    private final Map<String, String> saved = new HashMap<String, String>();

    static ScopedSettings cache(Path cacheDir) {
        return new ScopedSettings().set(dev.nnsdk.SdkSettings.CACHE_PROPERTY, cacheDir.toString());
    }

    ScopedSettings set(String key, String value) {
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

    ScopedSettings online(double timeoutSeconds) {
        return set(dev.nnsdk.SdkSettings.OFFLINE_PROPERTY, "false").set(dev.nnsdk.SdkSettings.DOWNLOAD_TIMEOUT_PROPERTY, String.valueOf(timeoutSeconds));
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
