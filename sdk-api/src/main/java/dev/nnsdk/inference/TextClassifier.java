package dev.nnsdk.inference;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;

import java.nio.file.Path;
import java.util.List;

/**
 * Assigns one of a fixed set of labels to a text: a frozen text encoder (the backbone) followed by
 * a small classification head, as saved by fine-tuning ({@code dev.nnsdk:sdk-train}), or a Hugging Face
 * {@code *ForSequenceClassification} export (labels from {@code config.json} {@code id2label}; softmax, or sigmoid
 * for {@code problem_type: multi_label_classification}; text pairs through {@link #pairProbabilities}).
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
        if (descriptor.head() == null && descriptor.text() != null && !descriptor.text().labels().isEmpty()) {
            return new LogitsTextClassifier(HeadModel.open(descriptor, options, ModelDescriptor.TEXT_CLASSIFICATION));
        }
        return TextClassifierImpl.create(descriptor, options);
    }

    /** Loads a zoo id or a path: a fine-tuned directory or a Hugging Face sequence-classification export. */
    static TextClassifier load(String idOrPath, ModelOptions options) {
        return load(ModelRepository.resolve(idOrPath), options);
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

    /**
     * The probabilities of text pairs (NLI-style premise / hypothesis), for models that read two texts
     * ([CLS] a [SEP] b [SEP]).
     *
     * @throws dev.nnsdk.InvalidInputException for a single-text model (a fine-tuned head, or a tokenizer / graph
     *                                         without pair support)
     */
    default List<float[]> pairProbabilities(List<String> first, List<String> second) {
        throw new dev.nnsdk.InvalidInputException("This classifier reads single texts (an embedding + head); it cannot "
                + "classify text pairs");
    }

    /** Whether labels are independent (sigmoid, HF {@code multi_label_classification}) rather than exclusive (softmax). */
    default boolean multiLabel() {
        return false;
    }

    /** The labels, in index order. */
    List<String> labels();

    /** The engine running the backbone ({@code onnx} or {@code djl}). */
    String engine();

    /** Frees native memory; idempotent. */
    @Override
    void close();
}
