package dev.nnsdk.bench;

import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.SdkSettings;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The raw DJL contender must compute what the SDK's djl engine computes, or the speed comparison
 * means nothing: same vectors (cosine >= 0.9999) on texts of different lengths in one padded batch.
 */
class SdkMatchesRawDjlTest {

    @Test
    void rawDjlVectorsEqualTheSdkOnDjl() {
        Path assets = SdkSettings.assetsDir();
        Path ts = assets == null ? null : assets.resolve("models/minilm-l6-v2/model.torchscript.pt");
        if (ts == null || !Files.isRegularFile(ts)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("MiniLM TorchScript missing: set SDK_ASSETS_DIR (looked for " + ts + ")");
            }
            Assumptions.abort("SDK_ASSETS_DIR not set; skipping");
        }
        List<String> texts = Arrays.asList("Short.", "", "A somewhat longer sentence about a film that was not good at all.",
                "The cat sat on the mat.", "Great acting, weak plot, and a soundtrack that I still hum.");
        ModelDescriptor d = ModelRepository.resolve("all-minilm-l6-v2");
        assertEquals(ts.toAbsolutePath().normalize(), d.artifacts().get(ModelFormat.TORCHSCRIPT).path().toAbsolutePath().normalize());
        try (Embedder sdk = Embedders.create("sdk", "all-minilm-l6-v2", "djl", 0, 4);
             Embedder raw = Embedders.create("raw", "all-minilm-l6-v2", "djl", 0, 4)) {
            assertEquals("raw-djl", raw.name());
            List<float[]> a = sdk.embedAll(texts);
            List<float[]> b = raw.embedAll(texts);
            assertEquals(texts.size(), b.size());
            for (int i = 0; i < texts.size(); i++) {
                double c = Stats.cosine(a.get(i), b.get(i));
                assertTrue(c >= TextBench.EQUAL_COSINE, "text " + i + " cosine " + c);
            }
        }
    }
}
