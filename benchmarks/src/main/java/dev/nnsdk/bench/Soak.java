package dev.nnsdk.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Steady-state memory: embeds {@code total} texts (cycling through the workload) in calls of
 * {@code chunk} texts and samples the resident set after each call. Growth is measured from the
 * sample after the first 10% of the texts (allocators and JIT warm by then) to the last.
 */
public final class Soak {
    private Soak() {
    }

    public static Map<String, Object> run(Embedder e, List<String> texts, int total, int chunk) {
        List<Double> rss = new ArrayList<Double>();
        List<Integer> at = new ArrayList<Integer>();
        int done = 0;
        int pos = 0;
        long t0 = System.nanoTime();
        while (done < total) {
            int n = Math.min(chunk, total - done);
            List<String> batch = new ArrayList<String>(n);
            for (int i = 0; i < n; i++) {
                batch.add(texts.get(pos));
                pos = (pos + 1) % texts.size();
            }
            e.embedAll(batch);
            done += n;
            rss.add(ProcStatus.rssMiB());
            at.add(done);
            // Progress on stderr, so a long soak shows its trace even if stopped early.
            System.err.printf(java.util.Locale.ROOT, "soak: %d embeddings, %.1f s, RSS %.1f MiB%n", done,
                    (System.nanoTime() - t0) / 1e9, rss.get(rss.size() - 1));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int base = 0;
        while (base < at.size() - 1 && at.get(base) < total / 10) {
            base++;
        }
        double start = rss.get(base);
        double end = rss.get(rss.size() - 1);
        double max = start;
        for (int i = base; i < rss.size(); i++) {
            max = Math.max(max, rss.get(i));
        }
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("embeddings", total);
        m.put("seconds", Machine.round(seconds, 1));
        m.put("rssAtWarmMiB", Machine.round(start, 1));
        m.put("warmAfterEmbeddings", at.get(base));
        m.put("rssEndMiB", Machine.round(end, 1));
        m.put("rssMaxAfterWarmMiB", Machine.round(max, 1));
        m.put("growthPercent", Machine.round(100 * (end - start) / start, 2));
        m.put("maxGrowthPercent", Machine.round(100 * (max - start) / start, 2));
        List<Double> trace = new ArrayList<Double>();
        int step = Math.max(1, rss.size() / 20);
        for (int i = 0; i < rss.size(); i += step) {
            trace.add(Machine.round(rss.get(i), 1));
        }
        m.put("rssTraceMiB", trace);
        return m;
    }
}
