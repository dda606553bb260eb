package dev.nnsdk.repository;

import java.nio.file.Path;
import java.util.List;

/**
 * Turns a model id or a local path into a {@link ModelDescriptor}. Found through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.nnsdk.repository.ModelResolver});
 * the {@code model-zoo} module provides the default one. Implementations are thread-safe.
 */
public interface ModelResolver {

    /** The model ids this resolver knows, sorted. */
    List<String> ids();

    /** The descriptor of a known id, or {@code null} when the id is unknown to this resolver. */
    ModelDescriptor resolve(String id);

    /**
     * The descriptor of a model the user brings: a directory (with a descriptor or a single model
     * file) or a model file. Returns {@code null} when this resolver does not handle the path.
     *
     * @throws dev.nnsdk.ModelLoadException when the path is handled but unusable
     */
    ModelDescriptor resolve(Path path);
}
