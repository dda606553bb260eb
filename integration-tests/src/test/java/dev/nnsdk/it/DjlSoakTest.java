package dev.nnsdk.it;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.inference.TextEmbedder;
import dev.nnsdk.it.support.ProcessMemory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Soak: 20,000 predictions through the djl engine from 4 threads sharing one embedder, as 2,500
 * calls of {@code embedAll} with 8 short texts. Resident memory (VmRSS) after a warm-up on the same
 * 4 threads and at the end must differ by less than 5%: no NDArray, IValue or tensor may survive a
 * call. Runs in its own JVM (surefire execution {@code soak}) with a fixed, pre-touched heap, so
 * heap growth cannot hide or fake a native leak.
 */
class DjlSoakTest {

    private static final int THREADS = 4;
    private static final int CALLS = 2500;
    private static final int BATCH = 8;
    private static final int WARMUP_CALLS = 200;

    @Test
    void twentyThousandPredictionsOnFourThreadsKeepResidentMemoryFlat() throws Exception {
        EngineParityAssets.require("models/minilm-l6-v2/model.torchscript.pt");
        Assumptions.assumeTrue(Files.isReadable(Paths.get("/proc/self/status")), "needs Linux /proc for VmRSS");
        List<List<String>> batches = batches();
        try (TextEmbedder embedder = TextEmbedder.load("all-minilm-l6-v2",
                ModelOptions.builder().optEngine("djl").build())) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                runCalls(pool, embedder, batches, WARMUP_CALLS);
                System.gc();
                long before = ProcessMemory.rssKb();
                long start = System.nanoTime();
                int predictions = runCalls(pool, embedder, batches, CALLS);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.gc();
                long after = ProcessMemory.rssKb();
                double growth = (after - before) / (double) before;
                System.out.printf("djl soak: %d predictions on %d threads in %.1f s; VmRSS %d kB -> %d kB (%+.2f%%)%n",
                        predictions, THREADS, seconds, before, after, growth * 100);
                assertEquals(CALLS * BATCH, predictions);
                assertTrue(growth < 0.05, "VmRSS grew from " + before + " kB to " + after + " kB ("
                        + String.format("%.2f", growth * 100) + "%)");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** {@code calls} embedAll calls spread over the pool; returns the number of vectors produced. */
    private static int runCalls(ExecutorService pool, TextEmbedder embedder, List<List<String>> batches, int calls)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger vectors = new AtomicInteger();
        List<Future<?>> jobs = new ArrayList<Future<?>>();
        for (int t = 0; t < THREADS; t++) {
            jobs.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < calls) {
                    List<float[]> out = embedder.embedAll(batches.get(i % batches.size()));
                    if (out.size() != BATCH || out.get(0).length != 384) {
                        throw new AssertionError("call " + i + " returned " + out.size() + " vectors");
                    }
                    vectors.addAndGet(out.size());
                }
                return null;
            }));
        }
        for (Future<?> f : jobs) {
            f.get();
        }
        return vectors.get();
    }

    /** 100 batches of 8 short, varied texts (so sequence lengths vary between calls). */
    private static List<List<String>> batches() {
        String[] words = {"film", "great", "plot", "boring", "actor", "music", "scene", "ending", "funny", "slow",
            "story", "camera", "dialogue", "brilliant", "weak", "score"};
        List<List<String>> out = new ArrayList<List<String>>();
        int k = 0;
        for (int b = 0; b < 100; b++) {
            List<String> batch = new ArrayList<String>(BATCH);
            for (int j = 0; j < BATCH; j++) {
                StringBuilder s = new StringBuilder("The");
                int len = 2 + (k * 7) % 9;
                for (int w = 0; w < len; w++) {
                    s.append(' ').append(words[(k * 31 + w * 17) % words.length]);
                }
                batch.add(s.append('.').toString());
                k++;
            }
            out.add(batch);
        }
        return out;
    }
}
