package dev.nnsdk.repository;

import dev.nnsdk.ModelNotFoundException;
import dev.nnsdk.io.AtomicDirectory;
import dev.nnsdk.plugin.Plugins;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.TreeSet;

/**
 * Resolves model ids and paths with every {@link ModelResolver} on the class path.
 *
 * <pre>{@code
 * ModelDescriptor d = ModelRepository.resolve("all-minilm-l6-v2");
 * ModelDescriptor mine = ModelRepository.resolve(Path.of("models/my-resnet"));
 * }</pre>
 */
public final class ModelRepository {

    private static volatile List<ModelResolver> resolvers;

    private ModelRepository() {
    }

    private static List<ModelResolver> resolvers() {
        List<ModelResolver> r = resolvers;
        if (r == null) {
            resolvers = r = Plugins.load(ModelResolver.class);
        }
        return r;
    }

    /** Every known model id, sorted. */
    public static List<String> ids() {
        TreeSet<String> ids = new TreeSet<String>();
        for (ModelResolver r : resolvers()) {
            ids.addAll(r.ids());
        }
        return new java.util.ArrayList<String>(ids);
    }

    /**
     * Resolves a zoo id, or, when no resolver knows it, an existing file or directory of that name.
     *
     * @throws ModelNotFoundException naming the known ids when neither matches
     */
    public static ModelDescriptor resolve(String idOrPath) {
        if (idOrPath == null || idOrPath.trim().isEmpty()) {
            throw new ModelNotFoundException("No model given; known ids: " + ids());
        }
        for (ModelResolver r : resolvers()) {
            ModelDescriptor d = r.resolve(idOrPath);
            if (d != null) {
                return d;
            }
        }
        Path p;
        try {
            p = Paths.get(idOrPath);
        } catch (RuntimeException e) {
            p = null;
        }
        if (p != null && Files.exists(p)) {
            return resolve(p);
        }
        throw new ModelNotFoundException("Unknown model '" + idOrPath + "': it is neither a known id nor an existing path. "
                + "Known ids: " + String.join(", ", ids()) + noResolverHint());
    }

    /**
     * Resolves a model directory or file the user brings.
     *
     * @throws ModelNotFoundException when the path does not exist or no resolver handles it
     */
    public static ModelDescriptor resolve(Path path) {
        try {
            AtomicDirectory.restoreInterrupted(path); // a saved model whose replacement was cut short by a crash
        } catch (java.io.IOException e) {
            throw new dev.nnsdk.ModelLoadException("Cannot restore " + path + " after an interrupted save: " + e.getMessage(), e);
        }
        if (!Files.exists(path)) {
            throw new ModelNotFoundException("Model path " + path.toAbsolutePath() + " does not exist");
        }
        for (ModelResolver r : resolvers()) {
            ModelDescriptor d = r.resolve(path);
            if (d != null) {
                return d;
            }
        }
        throw new ModelNotFoundException("No model resolver understands " + path.toAbsolutePath() + noResolverHint());
    }

    private static String noResolverHint() {
        return resolvers().isEmpty()
                ? " (no ModelResolver on the class path: add the dev.nnsdk:model-zoo dependency)" : "";
    }
}
