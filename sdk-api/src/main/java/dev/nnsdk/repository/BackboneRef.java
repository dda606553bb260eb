package dev.nnsdk.repository;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The frozen model a fine-tuned head was trained on: the id or path it was loaded from, and the
 * SHA-256 of each of its artifacts (by format id), so a changed backbone is detected on load.
 */
public final class BackboneRef {
    private final String id;
    private final String source;
    private final Map<String, String> sha256;

    public BackboneRef(String id, String source, Map<String, String> sha256) {
        this.id = Objects.requireNonNull(id, "id");
        this.source = source == null ? id : source;
        this.sha256 = Collections.unmodifiableMap(new TreeMap<String, String>(sha256 == null
                ? Collections.<String, String>emptyMap() : sha256));
    }

    /** The backbone's model id. */
    public String id() {
        return id;
    }

    /** What resolves it: a zoo id or a path. */
    public String source() {
        return source;
    }

    /** Artifact checksums by format id ({@code onnx}, {@code torchscript}). */
    public Map<String, String> sha256() {
        return sha256;
    }

    @Override
    public String toString() {
        return "BackboneRef{" + id + '}';
    }
}
