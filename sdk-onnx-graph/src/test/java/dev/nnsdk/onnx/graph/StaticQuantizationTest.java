package dev.nnsdk.onnx.graph;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.inference.TextEmbedder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zoo id all-minilm-l6-v2-int8-static end to end through the SDK: quantised at first load with the built-in
 * calibration texts, cached by the source's SHA-256, within the cosine bounds of the fp32 model on 50 real reviews,
 * and batch-independent.
 */
class StaticQuantizationTest {
    private static Path cache;
    private static String oldCache;

    @BeforeAll
    static void isolatedCache() throws IOException {
        cache = Files.createTempDirectory("nnsdk-graph-cache");
        oldCache = System.getProperty("sdk.cache.dir");
        System.setProperty("sdk.cache.dir", cache.toString());
    }

    @AfterAll
    static void restore() {
        if (oldCache == null) {
            System.clearProperty("sdk.cache.dir");
        } else {
            System.setProperty("sdk.cache.dir", oldCache);
        }
    }

    private static List<Path> graphCache() throws IOException {
        Path dir = OnnxGraphPreparer.cacheDir();
        if (!Files.isDirectory(dir)) {
            return new ArrayList<Path>();
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> out = new ArrayList<Path>();
            s.filter(p -> p.toString().endsWith(".onnx")).forEach(out::add);
            return out;
        }
    }

    @Test
    void int8StaticIsCloseToFp32BatchIndependentAndCached() throws Exception {
        List<String> texts = TestModels.imdb(50);
        List<float[]> fp32;
        try (TextEmbedder e = TextEmbedder.load("all-minilm-l6-v2", ModelOptions.builder().optEngine("onnx")
                .optGraphOptimization(false).build())) {
            fp32 = e.embedAll(texts);
        }
        assertTrue(graphCache().isEmpty(), "optimisation off must not write the cache: " + graphCache());

        List<float[]> int8;
        float[] alone;
        try (TextEmbedder e = TextEmbedder.load("all-minilm-l6-v2-int8-static", ModelOptions.builder().optEngine("onnx").build())) {
            int8 = e.embedAll(texts);
            alone = e.embed(texts.get(7));
            List<float[]> inBatch = e.embedAll(texts.subList(0, 32));
            double c = TestModels.cosine(alone, inBatch.get(7));
            assertTrue(c >= 0.9999, "alone vs in a batch of 32: cosine " + c);
        }
        double min = 1;
        double sum = 0;
        for (int i = 0; i < texts.size(); i++) {
            double c = TestModels.cosine(fp32.get(i), int8.get(i));
            min = Math.min(min, c);
            sum += c;
        }
        double mean = sum / texts.size();
        assertTrue(mean >= 0.99 && min >= 0.98, "int8 static vs fp32 on 50 reviews: mean " + mean + ", min " + min);

        List<Path> cached = graphCache();
        assertEquals(1, cached.size(), cached.toString());
        assertTrue(cached.get(0).getFileName().toString().contains("int8-static"), cached.toString());
        long stamp = Files.getLastModifiedTime(cached.get(0)).toMillis();
        Thread.sleep(20);
        try (TextEmbedder e = TextEmbedder.load("all-minilm-l6-v2-int8-static", ModelOptions.builder().optEngine("onnx").build())) {
            float[] again = e.embed(texts.get(7));
            assertTrue(Arrays.equals(alone, again) || TestModels.cosine(alone, again) > 0.999999);
        }
        assertEquals(stamp, Files.getLastModifiedTime(cached.get(0)).toMillis(), "the cached file was rebuilt");
        assertEquals(1, graphCache().size());
    }
}
