package dev.nnsdk.bench;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code EmbedProcess floor} times the calling thread only; that is the SDK's whole engine cost only if an embedder
 * made with one thread really runs every engine call on the caller. If the work moved to another thread (a pool, an
 * intra-op thread), the floor would under-count and docs/benchmarks.md would call reachable targets unreachable.
 */
class EmbedProcessFloorTest {

    @Test
    void theFloorIsTheCallingThreadsShareOfAllTheProcessesWork() throws Exception {
        List<String> texts = EmbedProcess.cut(Workload.read(BenchAssets.imdb(), 64), 60);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Embedder e = Embedders.create("sdk", "all-minilm-l6-v2", "onnx", 1, 32)) {
            e.embedAll(texts);
            long p0 = os.getProcessCpuTime();
            double[] s = EmbedProcess.floorSeconds(e, texts, 3);
            double process = (os.getProcessCpuTime() - p0) / 1e9;
            double floor = 0;
            for (double v : s) {
                assertTrue(v > 0, "every round costs CPU on the calling thread");
                floor += v;
            }
            // the warm-up inside floorSeconds is in the process figure too: compare the rounds plus a warm-up's worth
            double measured = floor * 4 / 3;
            assertTrue(measured >= 0.75 * process, "the calling thread did " + measured + " of the process's " + process
                    + " CPU s: engine work ran on other threads, so the floor would under-count");
        }
    }
}
