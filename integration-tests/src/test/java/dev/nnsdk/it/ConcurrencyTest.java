package dev.nnsdk.it;

import dev.nnsdk.inference.TextEmbedder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One embedder shared by 8 threads gives the same vectors as serial calls, for single {@code embed}
 * and batched {@code embedAll} calls over texts of mixed lengths. "Same" is max abs difference
 * <= 1e-6 per element (each call sends the same batches to the engine as its serial twin; any
 * difference could only come from thread scheduling); the test also reports how many were bit-identical.
 */
class ConcurrencyTest {

    static final int THREADS = 8;

    @Test
    void eightThreadsGiveTheSerialVectors() throws Exception {
        List<String> texts = new ArrayList<String>(TestTexts.VARIED.subList(0, 18));
        texts.addAll(TestTexts.longTexts().subList(0, 2));
        texts.add("");
        List<List<String>> groups = new ArrayList<List<String>>();
        for (int g = 0; g < THREADS; g++) {
            List<String> group = new ArrayList<String>();
            for (int i = g; i < texts.size(); i += 3) {
                group.add(texts.get(i));
            }
            groups.add(group);
        }
        try (TextEmbedder embedder = TextEmbedder.load("all-minilm-l6-v2")) {
            List<float[]> serialSingle = new ArrayList<float[]>();
            for (String t : texts) {
                serialSingle.add(embedder.embed(t));
            }
            List<List<float[]>> serialGroups = new ArrayList<List<float[]>>();
            for (List<String> g : groups) {
                serialGroups.add(embedder.embedAll(g));
            }

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<int[]>> results = new ArrayList<Future<int[]>>();
            try {
                for (int th = 0; th < THREADS; th++) {
                    final int me = th;
                    results.add(pool.submit(new Callable<int[]>() {
                        @Override
                        public int[] call() throws Exception {
                            start.await();
                            int compared = 0;
                            int identical = 0;
                            for (int round = 0; round < 2; round++) {
                                // interleave single and batched calls, each thread from a different offset
                                for (int k = 0; k < texts.size(); k += 2) {
                                    int i = (k + me * 5) % texts.size();
                                    float[] v = embedder.embed(texts.get(i));
                                    identical += check(serialSingle.get(i), v, "embed #" + i) ? 1 : 0;
                                    compared++;
                                }
                                int g = (me + round) % groups.size();
                                List<float[]> vs = embedder.embedAll(groups.get(g));
                                for (int i = 0; i < vs.size(); i++) {
                                    identical += check(serialGroups.get(g).get(i), vs.get(i), "group " + g + " #" + i) ? 1 : 0;
                                    compared++;
                                }
                            }
                            return new int[] {compared, identical};
                        }
                    }));
                }
                start.countDown();
                int compared = 0;
                int identical = 0;
                for (Future<int[]> f : results) {
                    int[] r = f.get(5, TimeUnit.MINUTES);
                    compared += r[0];
                    identical += r[1];
                }
                System.out.printf("8 threads: %d vectors compared with serial calls, %d bit-identical%n", compared, identical);
                assertTrue(compared > 150);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Fails unless the vectors match; returns whether they are bit-identical. */
    static boolean check(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double d = TestTexts.maxAbsDiff(expected, actual);
        assertTrue(d <= 1e-6, what + ": max abs diff " + d);
        return java.util.Arrays.equals(expected, actual);
    }

    @Test
    void callsAfterCloseFailCleanly() {
        TextEmbedder e = TextEmbedder.load("all-minilm-l6-v2-int8");
        e.embed("warm up");
        e.close();
        e.close();
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> e.embed("x"));
        assertTrue(x.getMessage().contains("all-minilm-l6-v2-int8") && x.getMessage().contains("closed"), x.getMessage());
    }
}
