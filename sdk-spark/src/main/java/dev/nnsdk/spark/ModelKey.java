package dev.nnsdk.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.nnsdk.ModelLoadException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ModelDescriptor;

/**
 * The {@link ModelCache} key of a model: the task, the SHA-256 of every file the model is made of
 * (recorded in its descriptor, or computed once per file version when a user's directory records
 * none) and the options that change what is loaded (engine, device, threads, batch size).
 */
final class ModelKey {
    /** Computed checksums of files whose descriptor records none, by path, size and modification time. */
    private static final Map<String, String> COMPUTED = new ConcurrentHashMap<String, String>();

    private ModelKey() {
    }

    static String of(String task, ModelDescriptor d, ModelOptions options) {
        Map<String, String> files = new TreeMap<String, String>();
        for (Map.Entry<ModelFormat, Artifact> e : d.artifacts().entrySet()) {
            files.put(e.getKey().name(), sha(e.getValue()));
        }
        if (d.text() != null && d.text().tokenizer() != null) {
            files.put("tokenizer", sha(d.text().tokenizer()));
        }
        if (d.head() != null && d.head().weights() != null) {
            files.put("head", sha(d.head().weights()));
        }
        if (d.backbone() != null) {
            files.put("backbone", d.backbone().toString());
        }
        return task + ' ' + d.id() + ' ' + files + ' ' + options;
    }

    /** A recommender directory: every regular file in it. */
    static String ofDirectory(String task, Path dir, ModelOptions options) {
        Map<String, String> files = new TreeMap<String, String>();
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    files.put(p.getFileName().toString(), sha(p));
                }
            }
        } catch (IOException e) {
            throw new ModelLoadException("Cannot list model directory " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        return task + ' ' + dir.toAbsolutePath().normalize() + ' ' + files + ' ' + options;
    }

    private static String sha(Artifact a) {
        if (a.sha256() != null && !a.sha256().isEmpty()) {
            return a.sha256();
        }
        return a.path() == null ? "none" : sha(a.path());
    }

    private static String sha(Path p) {
        try {
            String version = p.toAbsolutePath().normalize() + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis();
            String cached = COMPUTED.get(version);
            if (cached == null) {
                cached = Checksums.sha256(p);
                COMPUTED.put(version, cached);
            }
            return cached;
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read model file " + p.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
