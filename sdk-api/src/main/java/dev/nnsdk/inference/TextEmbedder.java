package dev.nnsdk.inference;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;

import java.nio.file.Path;
import java.util.List;

/**
 * Turns text into fixed-size vectors with a pretrained encoder (e.g. BERT/MiniLM with mean
 * pooling and L2 normalisation, as sentence-transformers does).
 *
 * <pre>{@code
 * try (TextEmbedder embedder = TextEmbedder.load("all-minilm-l6-v2")) {
 *     float[] v = embedder.embed("The cat sat on the mat.");
 *     List<float[]> vs = embedder.embedAll(texts);   // batched, input order kept
 * }
 * }</pre>
 *
 * Text longer than the model's maximum length is truncated, never refused. Thread-safe: share one
 * instance between threads. Close it to free native memory.
 */
public interface TextEmbedder extends AutoCloseable {

    /** Loads a zoo model by id (or a local path) with default options. */
    static TextEmbedder load(String idOrPath) {
        return load(idOrPath, ModelOptions.defaults());
    }

    /** Loads a zoo model by id (or a local path) with the given engine, device and threads. */
    static TextEmbedder load(String idOrPath, ModelOptions options) {
        return load(ModelRepository.resolve(idOrPath), options);
    }

    /** Loads a model directory or file the user brings. */
    static TextEmbedder load(Path path) {
        return load(path, ModelOptions.defaults());
    }

    static TextEmbedder load(Path path, ModelOptions options) {
        return load(ModelRepository.resolve(path), options);
    }

    /** Loads the model a descriptor describes. */
    static TextEmbedder load(ModelDescriptor descriptor, ModelOptions options) {
        return TextEmbedderImpl.create(descriptor, options);
    }

    /** The vector of one text. */
    float[] embed(String text);

    /** The vectors of many texts, in input order, computed in length-sorted batches. */
    List<float[]> embedAll(List<String> texts);

    /** Length of each vector. */
    int dimension();

    /** What was loaded. */
    ModelDescriptor descriptor();

    /** The engine running the model ({@code onnx} or {@code djl}). */
    String engine();

    /** Frees native memory; idempotent. Calls after close throw {@link IllegalStateException}. */
    @Override
    void close();
}
