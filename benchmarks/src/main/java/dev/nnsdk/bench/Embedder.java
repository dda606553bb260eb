package dev.nnsdk.bench;

import java.util.List;

/**
 * One way of turning texts into vectors that the harness can time: the SDK, raw ONNX Runtime,
 * LangChain4j... Each implementation owns its model session and tokenizer. To add another
 * contender (raw DJL, another library), implement this and register it in {@link Embedders}.
 */
public interface Embedder extends AutoCloseable {

    /** A short label for reports, e.g. {@code sdk-onnx}, {@code raw-ort}, {@code langchain4j}. */
    String name();

    /** Vectors of {@code texts} in input order; one engine call per {@code batchSize} texts where the contender batches. */
    List<float[]> embedAll(List<String> texts);

    @Override
    void close();
}
