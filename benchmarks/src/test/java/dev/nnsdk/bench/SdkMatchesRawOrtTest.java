package dev.nnsdk.bench;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.inference.TextEmbedder;
import dev.nnsdk.SdkSettings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The SDK's speed machinery (length sorting, token-budget batching, padding, bulk pooling, order
 * restoration) must not change a single embedding: compare it with raw ONNX Runtime running each
 * text alone, unpadded, on the same model file.
 */
class SdkMatchesRawOrtTest {

    private static Path imdb() {
        Path p = SdkSettings.assetsDir() == null ? null : SdkSettings.assetsDir().resolve("datasets/imdb/reviews.jsonl.gz");
        if (p == null || !Files.isRegularFile(p)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("IMDB reviews missing: set SDK_ASSETS_DIR (looked for " + p + ")");
            }
            Assumptions.abort("SDK_ASSETS_DIR not set; skipping");
        }
        return p;
    }

    @Test
    void batchedSortedEmbeddingsEqualOneByOneRawOrt() throws Exception {
        List<String> texts = new ArrayList<String>();
        for (String t : Workload.read(imdb(), 24)) {
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
