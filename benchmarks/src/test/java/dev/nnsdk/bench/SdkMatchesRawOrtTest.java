package dev.nnsdk.bench;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.inference.TextEmbedder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SDK's speed machinery (length sorting, token-budget batching, padding, bulk pooling, order
 * restoration) must not change a single embedding: compare it with raw ONNX Runtime running each
 * text alone, unpadded, on the same model file.
 */
class SdkMatchesRawOrtTest {

    @Test
    void batchedSortedEmbeddingsEqualOneByOneRawOrt() throws Exception {
        List<String> texts = new ArrayList<String>();
        for (String t : Workload.read(BenchAssets.imdb(), 24)) {
            texts.add(t);
            texts.add(t.substring(0, Math.min(t.length(), 40 + texts.size() * 7)));
        }
        texts.add("");
        texts.add("Short.");
        Collections.shuffle(texts, new Random(11));
        List<float[]> sdk;
        try (TextEmbedder e = TextEmbedder.load("all-minilm-l6-v2", ModelOptions.builder().optEngine("onnx")
                .optBatchSize(8).build())) {
            sdk = e.embedAll(texts);
        }
        // The experimental parallel-batches path must give the same vectors in the same order.
        List<float[]> parallel;
        System.setProperty("nnsdk.batchParallelism", "2");
        try (TextEmbedder e = TextEmbedder.load("all-minilm-l6-v2", ModelOptions.builder().optEngine("onnx")
                .optThreads(1).optBatchSize(8).build())) {
            parallel = e.embedAll(texts);
        } finally {
            System.clearProperty("nnsdk.batchParallelism");
        }
        try (RawOrtEmbedder raw = new RawOrtEmbedder(
                dev.nnsdk.repository.ModelRepository.resolve("all-minilm-l6-v2").artifacts()
                        .get(dev.nnsdk.engine.ModelFormat.ONNX).path(),
                dev.nnsdk.repository.ModelRepository.resolve("all-minilm-l6-v2").text().tokenizer().path(), 256, 0, 1)) {
            List<float[]> ref = raw.embedAll(texts);
            assertEquals(texts.size(), sdk.size());
            double worst = 0;
            for (int i = 0; i < texts.size(); i++) {
                for (int h = 0; h < 384; h++) {
                    worst = Math.max(worst, Math.abs(sdk.get(i)[h] - ref.get(i)[h]));
                }
            }
            assertTrue(worst <= 1e-6, "max |sdk - raw one-by-one| = " + worst);
            double worstParallel = 0;
            for (int i = 0; i < texts.size(); i++) {
                for (int h = 0; h < 384; h++) {
                    worstParallel = Math.max(worstParallel, Math.abs(parallel.get(i)[h] - ref.get(i)[h]));
                }
            }
            assertTrue(worstParallel <= 1e-6, "max |parallel sdk - raw one-by-one| = " + worstParallel);
        }
    }
}
