package dev.nnsdk.repository;

import java.nio.file.Path;
import java.util.Objects;

/** One file a model needs, with the SHA-256 it must have (lower-case hex, or {@code null} when none is recorded). */
public final class Artifact {
    private final Path path;
    private final String sha256;
    private final String quantization;

    public Artifact(Path path, String sha256) {
        this(path, sha256, null);
    }

    /**
     * @param quantization {@code null}, or {@code "int8-static"} when the engine should serve this fp32 file
     *                     statically quantised (model.json / catalog: {@code "quantize": "int8-static"})
     */
    public Artifact(Path path, String sha256, String quantization) {
        this.quantization = quantization;
        this.path = Objects.requireNonNull(path, "path");
        this.sha256 = sha256 == null || sha256.isEmpty() ? null : sha256.toLowerCase(java.util.Locale.ROOT);
    }

    public Path path() {
        return path;
    }

    /** The recorded checksum, or {@code null} for a user file that has none. */
    public String sha256() {
        return sha256;
    }

    /** {@code null} or {@code "int8-static"}: see the constructor. */
    public String quantization() {
        return quantization;
    }

    @Override
    public String toString() {
        return path + (sha256 == null ? "" : " (sha256 " + sha256.substring(0, Math.min(12, sha256.length())) + "…)");
    }
}
