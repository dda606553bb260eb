package dev.nnsdk.bench;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.inference.TextEmbedder;

import java.util.List;

/** The SDK's public API: {@link TextEmbedder#embedAll}. */
public final class SdkEmbedder implements Embedder {
    private final TextEmbedder embedder;
    private final String name;

    public SdkEmbedder(String modelId, String engine, int threads, int batchSize) {
        this(modelId, engine, threads, batchSize, null);
    }

    SdkEmbedder(String modelId, String engine, int threads, int batchSize, String label) {
        this.embedder = TextEmbedder.load(modelId, ModelOptions.builder().optEngine(engine).optThreads(threads)
                .optBatchSize(batchSize).build());
        this.name = label != null ? label : "sdk-" + embedder.engine();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        return embedder.embedAll(texts);
    }

    @Override
    public void close() {
        embedder.close();
    }
}
