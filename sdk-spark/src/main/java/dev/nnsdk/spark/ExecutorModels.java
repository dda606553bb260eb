package dev.nnsdk.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;

import dev.nnsdk.ModelNotFoundException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.inference.ImageClassifier;
import dev.nnsdk.inference.Recommender;
import dev.nnsdk.inference.TextClassifier;
import dev.nnsdk.inference.TextEmbedder;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;

/**
 * Finds and loads models on an executor, through {@link ModelCache} (one load per JVM). A model is
 * named by a zoo id (its files come from the jars or the assets directory), by a path on a
 * filesystem every executor sees, or by the name of a file or directory shipped with
 * {@code SparkContext.addFile(path, true)} / {@code --files} (found with {@link SparkFiles#get}); a
 * directory shipped with {@code --archives model.zip#name} is the relative path {@code name}.
 * Every file is checked against its recorded SHA-256 when it loads, on the executor.
 */
final class ExecutorModels {
    private ExecutorModels() {
    }

    /** How one kind of predictor loads from a resolved descriptor. */
    private interface Loader<T> {
        T load(ModelDescriptor d, ModelOptions options);
    }

    static TextEmbedder textEmbedder(ModelSpec spec) {
        return cached("text-embedder", spec, TextEmbedder.class, TextEmbedder::load);
    }

    static TextClassifier textClassifier(ModelSpec spec) {
        return cached("text-classifier", spec, TextClassifier.class, TextClassifier::load);
    }

    static ImageClassifier imageClassifier(ModelSpec spec) {
        return cached("image-classifier", spec, ImageClassifier.class, ImageClassifier::load);
    }

    /** Resolves the spec's model on this executor and returns the JVM's one instance for it and its options. */
    private static <T extends AutoCloseable> T cached(String kind, ModelSpec spec, Class<T> type, Loader<T> loader) {
        ModelOptions options = spec.options();
        ModelDescriptor d = resolve(spec.model);
        return ModelCache.get(ModelKey.of(kind, d, options), type, () -> loader.load(d, options));
    }

    static Recommender recommender(ModelSpec spec) {
        String model = spec.model;
        ModelOptions options = spec.options();
        Path dir = path(model);
        return ModelCache.get(ModelKey.ofDirectory("recommender", dir, options), Recommender.class,
                () -> Recommender.load(dir, options));
    }

    /** A zoo id, an existing path, or a name shipped with SparkFiles. */
    static ModelDescriptor resolve(String model) {
        try {
            return ModelRepository.resolve(model);
        } catch (ModelNotFoundException e) {
            Path shipped = shipped(model);
            if (shipped != null) {
                return ModelRepository.resolve(shipped);
            }
            if (model.indexOf('/') >= 0 || model.indexOf('\\') >= 0) {
                throw new ModelNotFoundException("Model path " + Paths.get(model).toAbsolutePath() + " does not exist"
                        + onExecutor(model));
            }
            throw new ModelNotFoundException(e.getMessage() + onExecutor(model));
        }
    }

    private static Path path(String model) {
        Path p = Paths.get(model);
        if (Files.exists(p)) {
            return p;
        }
        Path shipped = shipped(model);
        if (shipped != null) {
            return shipped;
        }
        throw new ModelNotFoundException("Model path " + p.toAbsolutePath() + " does not exist" + onExecutor(model));
    }

    private static Path shipped(String model) {
        if (SparkEnv.get() == null) {
            return null;
        }
        try {
            Path p = Paths.get(SparkFiles.get(Paths.get(model).getFileName().toString()));
            return Files.exists(p) ? p : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String onExecutor(String model) {
        String where = SparkEnv.get() == null ? "this JVM" : "executor " + SparkEnv.get().executorId();
        return " (looked up on " + where + "; a path must exist on every executor, or ship it with "
                + "SparkContext.addFile(path, true) / --files / --archives)";
    }
}
