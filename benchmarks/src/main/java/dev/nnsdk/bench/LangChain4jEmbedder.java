package dev.nnsdk.bench;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.util.ArrayList;
import java.util.List;

/**
 * LangChain4j's in-process MiniLM ({@code AllMiniLmL6V2EmbeddingModel} or its int8 twin), used as a
 * user would: default constructor, {@code embedAll} of text segments. It runs one ONNX Runtime call
 * per text (no batching) on its own executor, with ONNX Runtime's default session options, and
 * embeds a text longer than 510 word pieces as the length-weighted mean of 510-token windows.
 */
public final class LangChain4jEmbedder implements Embedder {
    private final EmbeddingModel model;
    private final boolean quantized;

    public LangChain4jEmbedder(boolean quantized) {
        this.quantized = quantized;
        this.model = quantized ? new AllMiniLmL6V2QuantizedEmbeddingModel() : new AllMiniLmL6V2EmbeddingModel();
    }

    @Override
    public String name() {
        return quantized ? "langchain4j-int8" : "langchain4j";
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<TextSegment> segs = new ArrayList<TextSegment>(texts.size());
        for (String t : texts) {
            segs.add(TextSegment.from(t));
        }
        List<Embedding> e = model.embedAll(segs).content();
        List<float[]> out = new ArrayList<float[]>(e.size());
        for (Embedding x : e) {
            out.add(x.vector());
        }
        return out;
    }

    @Override
    public void close() {
        // LangChain4j's model has no close(); its session lives until the JVM exits.
    }
}
