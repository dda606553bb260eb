package dev.nnsdk.inference;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;

import java.nio.file.Path;
import java.util.List;

/**
 * Assigns one of a fixed set of labels to a text: a frozen text encoder (the backbone) followed by
 * a small classification head, as saved by fine-tuning ({@code dev.nnsdk:sdk-train}).
 *
 * <pre>{@code
 * try (TextClassifier clf = TextClassifier.load(Path.of("out/sentiment"))) {
 *     Classification c = clf.classify("What a wonderful film.");
 *     List<Classification> top2 = clf.classify("Dull and far too long.", 2);
 * }
 * }</pre>
 *
 * Loading needs only {@code sdk-api}, {@code model-zoo} and one engine: the head runs in plain
 * Java, so a saved model runs on ONNX Runtime alone. Thread-safe; close it to free native memory.
 */
public interface TextClassifier extends AutoCloseable {

    /** Loads a saved classifier directory with default options. */
    static TextClassifier load(Path dir) {
        return load(dir, ModelOptions.defaults());
    }

    /** Loads a saved classifier directory; the options pick the backbone's engine and device. */
    static TextClassifier load(Path dir, ModelOptions options) {
        return load(ModelRepository.resolve(dir), options);
    }

    /** Loads the classifier a descriptor describes (it must have a head). */
    static TextClassifier load(ModelDescriptor descriptor, ModelOptions options) {
        return TextClassifierImpl.create(descriptor, options);
    }

    /**
     * A classifier that runs {@code head} on the vectors of {@code embedder}; it owns and closes the embedder.
     * Fine-tuning uses it for the model it has just trained.
     *
     * <pre>{@code
     * TextClassifier clf = TextClassifier.withHead(TextEmbedder.load("all-minilm-l6-v2"), weights, List.of("neg", "pos"));
     * }</pre>
     *
     * @throws dev.nnsdk.ModelLoadException when the head's class count differs from the number of labels
     */
    static TextClassifier withHead(TextEmbedder embedder, dev.nnsdk.format.HeadWeights head, List<String> labels) {
        return new TextClassifierImpl(embedder, head, labels);
    }

    /** The most probable label of one text. */
    Classification classify(String text);

    /** The {@code k} most probable labels of one text, best first. */
    List<Classification> classify(String text, int k);

    /** The most probable label of each text, in input order, computed in batches. */
    List<Classification> classifyAll(List<String> texts);

    /** The probability of every label (in {@link #labels()} order) for each text. */
    List<float[]> probabilities(List<String> texts);

    /** The labels, in index order. */
    List<String> labels();

    /** The engine running the backbone ({@code onnx} or {@code djl}). */
    String engine();

    /** Frees native memory; idempotent. */
    @Override
    void close();
}
