package dev.nnsdk.onnx;

import dev.nnsdk.engine.LoadOptions;

import java.nio.file.Path;

/**
 * A plug-in that may hand ONNX Runtime a rewritten copy of a model file: graph fusion, static quantisation. Found
 * through {@link java.util.ServiceLoader}; {@code dev.nnsdk:sdk-onnx-graph} (in {@code sdk-all}) provides one. Without
 * a plug-in the engine loads every file as it is. Implementations must be thread-safe, keep their results in a cache
 * keyed by the source's SHA-256, and never return a rewrite they have not checked numerically against the source.
 */
public interface OnnxModelPreparer {
    /**
     * The file to load for {@code source}: {@code source} itself when nothing applies (an unrecognised graph,
     * {@link LoadOptions#graphOptimization()} false), else the verified rewrite.
     */
    Path prepare(Path source, LoadOptions options);
}
