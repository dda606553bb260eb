package dev.nnsdk.it;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.engine.ThreadPlan;
import dev.nnsdk.inference.TextEmbedder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Engine calls side by side (the default on multi-core machines, {@link ThreadPlan}) give the same vectors,
 * in input order, as one call after another: bit for bit for the dynamic-int8 model (one text per call either
 * way) and within float noise for fp32 (same batches, single-threaded instead of two-threaded kernels).
 */
class ParallelCallsTest {

    private static List<float[]> embed(String model, int parallelism, int threads, List<String> texts) {
        System.setProperty(ThreadPlan.PARALLELISM_PROPERTY, String.valueOf(parallelism));
        try (TextEmbedder e = TextEmbedder.load(model, ModelOptions.builder().optEngine("onnx").optThreads(threads).build())) {
            return e.embedAll(texts);
        } finally {
            System.clearProperty(ThreadPlan.PARALLELISM_PROPERTY);
        }
    }

    private static List<String> texts() {
        List<String> t = new ArrayList<String>(TestTexts.VARIED);
        t.addAll(TestTexts.VARIED.subList(0, 5));   // repeats land in other calls
        t.add("");
        return t;
    }

    @Test
    void int8OneTextPerCallInParallelIsBitIdentical() {
        List<String> texts = texts();
        List<float[]> sequential = embed("all-minilm-l6-v2-int8", 1, 1, texts);
        List<float[]> parallel = embed("all-minilm-l6-v2-int8", 2, 2, texts);
        assertEquals(texts.size(), parallel.size());
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(sequential.get(i), parallel.get(i), "text " + i + ": " + texts.get(i));
        }
        // And a text's vector is its own: the same text twice gives the same vector.
        assertTrue(Arrays.equals(parallel.get(0), parallel.get(TestTexts.VARIED.size())));
    }

    @Test
    void fp32CallsSideBySideMatchOneTwoThreadedCallAfterAnother() {
        List<String> texts = texts();
        List<float[]> oneCall = embed("all-minilm-l6-v2", 1, 2, texts);
        List<float[]> twoCalls = embed("all-minilm-l6-v2", 2, 2, texts);
        for (int i = 0; i < texts.size(); i++) {
            assertTrue(TestTexts.maxAbsDiff(oneCall.get(i), twoCalls.get(i)) < 1e-5, "text " + i + ": " + texts.get(i));
        }
    }

    private static int embedThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("nnsdk-embed-") && t.isAlive()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void repeatedSmallRequestsReuseTheEmbeddersWorkersAndCloseStopsThem() throws Exception {
        int before = embedThreads();
        System.setProperty(ThreadPlan.PARALLELISM_PROPERTY, "2");
        TextEmbedder e;
        try {
            e = TextEmbedder.load("all-minilm-l6-v2", ModelOptions.builder().optEngine("onnx").optThreads(2).build());
        } finally {
            System.clearProperty(ThreadPlan.PARALLELISM_PROPERTY);
        }
        List<String> texts = TestTexts.VARIED.subList(0, 4);
        List<float[]> first = e.embedAll(texts);
        for (int i = 0; i < 20; i++) {
            List<float[]> again = e.embedAll(texts);
            for (int k = 0; k < texts.size(); k++) {
                assertArrayEquals(first.get(k), again.get(k), "request " + i + ", text " + k);
            }
        }
        // a small request still uses both calls, and 21 requests share one worker instead of starting 21 threads
        assertEquals(1, embedThreads() - before, "workers of this embedder");
        e.close();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (embedThreads() > before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(before, embedThreads(), "close() must stop the embedder's workers");
    }
}
