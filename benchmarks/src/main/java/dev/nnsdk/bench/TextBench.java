package dev.nnsdk.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times contenders side by side on one {@link Workload}, interleaved round by round so that machine
 * noise hits all of them alike, and reports medians over rounds.
 *
 * <p>Two kinds of pass: <em>per batch size B</em>, the texts go in arrival order, B per
 * {@code embedAll} call (so every contender sees identical padded batches; p50/p99 are per call);
 * <em>bulk</em>, the whole workload in one {@code embedAll} call, where each contender does its own
 * best (the SDK sorts by length and pads per batch; LangChain4j runs text by text).
 */
public final class TextBench {

    /** Two contenders compute the same vectors when every text's cosine reaches this. */
    public static final double EQUAL_COSINE = 0.9999;

    /** What to run. */
    public static final class Config {
        int[] batchSizes = {1, 8, 32};
        int warmup = 2;
        int warmupBatch = 32;
        int rounds = 1;
        boolean bulk = true;
        int bulkChunk;

        public Config batchSizes(int... sizes) {
            this.batchSizes = sizes.clone();
            return this;
        }

        public Config warmupBatch(int texts) {
            this.warmupBatch = Math.max(1, texts);
            return this;
        }

        public Config warmup(int calls) {
            this.warmup = calls;
            return this;
        }

        public Config rounds(int n) {
            this.rounds = Math.max(1, n);
            return this;
        }

        /** Texts per call in the bulk pass (0 = the whole workload in one call). */
        public Config bulkChunk(int texts) {
            this.bulkChunk = Math.max(0, texts);
            return this;
        }

        public Config bulk(boolean on) {
            this.bulk = on;
            return this;
        }
    }

    private final Workload work;
    private final Config config;
    private final BertFlops flops;
    private final double totalFlops;

    public TextBench(Workload work, Config config, BertFlops flops) {
        this.work = work;
        this.config = config;
        this.flops = flops;
        this.totalFlops = flops == null ? 0 : flops.flops(work.tokens());
    }

    /** Seconds per pass, one list per pass key ("bulk", "b32"...), one entry per round. */
    private static final class Samples {
        final Map<String, List<Double>> seconds = new LinkedHashMap<String, List<Double>>();
        final Map<String, List<double[]>> latencies = new LinkedHashMap<String, List<double[]>>();
        final Map<String, List<Double>> cpuSeconds = new LinkedHashMap<String, List<Double>>();
        List<float[]> vectors;
        String vectorsPass;
        double rssAfterMiB;

        void add(String key, double s, double[] lat, double cpu) {
            if (!seconds.containsKey(key)) {
                seconds.put(key, new ArrayList<Double>());
                latencies.put(key, new ArrayList<double[]>());
                cpuSeconds.put(key, new ArrayList<Double>());
            }
            seconds.get(key).add(s);
            latencies.get(key).add(lat);
            cpuSeconds.get(key).add(cpu);
        }
    }

    /** Runs every contender (by label) and returns a JSON-ready result. */
    public Map<String, Object> run(Map<String, Embedder> contenders) {
        Map<String, Samples> samples = new LinkedHashMap<String, Samples>();
        for (Map.Entry<String, Embedder> c : contenders.entrySet()) {
            samples.put(c.getKey(), new Samples());
            warm(c.getValue());
        }
        List<String> names = new ArrayList<String>(contenders.keySet());
        for (int r = 0; r < config.rounds; r++) {
            for (int b : config.batchSizes) {
                int calls = (work.size() + b - 1) / b;
                double[][] lat = new double[names.size()][calls];
                double[] cpu = new double[names.size()];
                List<List<float[]>> vecs = new ArrayList<List<float[]>>();
                for (int c = 0; c < names.size(); c++) {
                    vecs.add(new ArrayList<float[]>(work.size()));
                }
                for (int k = 0; k < calls; k++) {
                    List<String> chunk = work.texts().subList(k * b, Math.min(work.size(), k * b + b));
                    // Same batch for every contender back to back, starting with a different one each call.
                    for (int j = 0; j < names.size(); j++) {
                        int c = (j + k) % names.size();
                        long p0 = processCpuNanos();
                        long c0 = System.nanoTime();
                        List<float[]> v = contenders.get(names.get(c)).embedAll(chunk);
                        lat[c][k] = (System.nanoTime() - c0) / 1e6;
                        cpu[c] += (processCpuNanos() - p0) / 1e9;
                        vecs.get(c).addAll(v);
                    }
                }
                for (int c = 0; c < names.size(); c++) {
                    double sum = 0;
                    for (double x : lat[c]) {
                        sum += x;
                    }
                    Samples s = samples.get(names.get(c));
                    s.add("b" + b, sum / 1e3, lat[c], cpu[c]);
                    // Agreement is checked on the bulk pass when there is one, else on the last batch pass.
                    if (!config.bulk) {
                        s.vectors = vecs.get(c);
                        s.vectorsPass = "batch" + b;
                        s.rssAfterMiB = ProcStatus.rssMiB();
                    }
                }
            }
            if (config.bulk) {
                // The input in chunks of bulkChunk texts (default: all of it in one call), contenders
                // interleaved chunk by chunk so that load changes hit them alike.
                int chunkSize = config.bulkChunk > 0 ? config.bulkChunk : work.size();
                int chunks = (work.size() + chunkSize - 1) / chunkSize;
                double[][] lat = new double[names.size()][chunks];
                double[] cpu = new double[names.size()];
                List<List<float[]>> vecs = new ArrayList<List<float[]>>();
                for (int c = 0; c < names.size(); c++) {
                    vecs.add(new ArrayList<float[]>());
                }
                for (int k = 0; k < chunks; k++) {
                    List<String> chunk = work.texts().subList(k * chunkSize, Math.min(work.size(), k * chunkSize + chunkSize));
                    for (int j = 0; j < names.size(); j++) {
                        int c = (j + k + r) % names.size();
                        long p0 = processCpuNanos();
                        long c0 = System.nanoTime();
                        vecs.get(c).addAll(contenders.get(names.get(c)).embedAll(chunk));
                        lat[c][k] = (System.nanoTime() - c0) / 1e6;
                        cpu[c] += (processCpuNanos() - p0) / 1e9;
                    }
                }
                for (int c = 0; c < names.size(); c++) {
                    double sum = 0;
                    for (double x : lat[c]) {
                        sum += x;
                    }
                    Samples s = samples.get(names.get(c));
                    s.add("bulk", sum / 1e3, lat[c], cpu[c]);
                    s.vectors = vecs.get(c);
                    s.vectorsPass = "bulk";
                    s.rssAfterMiB = ProcStatus.rssMiB();
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<String, Object>();
        out.put("texts", work.size());
        out.put("realTokens", work.totalTokens());
        out.put("rounds", config.rounds);
        Map<String, Object> results = new LinkedHashMap<String, Object>();
        for (Map.Entry<String, Samples> e : samples.entrySet()) {
            results.put(e.getKey(), summarize(e.getValue()));
        }
        out.put("results", results);
        if (contenders.size() > 1) {
            out.put("ratios", ratios(samples));
            out.put("agreement", agreement(samples));
        }
        return out;
    }

    private void warm(Embedder e) {
        int b = config.warmupBatch;
        for (int i = 0; i < config.warmup; i++) {
            int from = (i * b) % Math.max(1, work.size());
            e.embedAll(work.texts().subList(from, Math.min(work.size(), from + b)));
        }
    }

    private Map<String, Object> summarize(Samples s) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        for (Map.Entry<String, List<Double>> e : s.seconds.entrySet()) {
            double sec = Stats.median(toArray(e.getValue()));
            Map<String, Object> p = new LinkedHashMap<String, Object>();
            p.put("seconds", Machine.round(sec, 3));
            p.put("textsPerSec", Machine.round(work.size() / sec, 2));
            p.put("tokensPerSec", Machine.round(work.totalTokens() / sec, 1));
            if (flops != null) {
                p.put("gflops", Machine.round(totalFlops / sec / 1e9, 2));
            }
            double cpu = Stats.median(toArray(s.cpuSeconds.get(e.getKey())));
            if (cpu > 0) {
                // Process CPU time (all threads, native included) while this contender ran: on a shared
                // machine, work per CPU-second is steadier than work per wall-second.
                p.put("cpuSeconds", Machine.round(cpu, 3));
                p.put("textsPerCpuSec", Machine.round(work.size() / cpu, 3));
                if (flops != null) {
                    p.put("gflopsPerCore", Machine.round(totalFlops / cpu / 1e9, 2));
                }
            }
            if (s.latencies.get(e.getKey()).get(0).length > 1) {
                List<double[]> lats = s.latencies.get(e.getKey());
                double[] p50 = new double[lats.size()];
                double[] p99 = new double[lats.size()];
                for (int i = 0; i < lats.size(); i++) {
                    p50[i] = Stats.percentile(lats.get(i), 50);
                    p99[i] = Stats.percentile(lats.get(i), 99);
                }
                p.put("p50Ms", Machine.round(Stats.median(p50), 2));
                p.put("p99Ms", Machine.round(Stats.median(p99), 2));
            }
            if (s.seconds.get(e.getKey()).size() > 1) {
                List<Double> all = new ArrayList<Double>();
                for (double d : e.getValue()) {
                    all.add(Machine.round(d, 3));
                }
                p.put("secondsPerRound", all);
            }
            m.put(e.getKey().equals("bulk") ? "bulk" : "batch" + e.getKey().substring(1), p);
        }
        m.put("rssAfterMiB", Machine.round(s.rssAfterMiB, 1));
        return m;
    }

    /** Time of every later contender divided by the first one's, per pass: median over rounds of the per-round ratio. */
    private Map<String, Object> ratios(Map<String, Samples> samples) {
        List<String> names = new ArrayList<String>(samples.keySet());
        Samples first = samples.get(names.get(0));
        Map<String, Object> out = new LinkedHashMap<String, Object>();
        for (int i = 1; i < names.size(); i++) {
            Samples other = samples.get(names.get(i));
            Map<String, Object> per = new LinkedHashMap<String, Object>();
            for (String key : first.seconds.keySet()) {
                List<Double> a = first.seconds.get(key);
                List<Double> b = other.seconds.get(key);
                double[] r = new double[Math.min(a.size(), b.size())];
                for (int k = 0; k < r.length; k++) {
                    r[k] = a.get(k) / b.get(k);
                }
                String label = key.equals("bulk") ? "bulk" : "batch" + key.substring(1);
                per.put(label, Machine.round(Stats.median(r), 4));
                double[] rc = new double[r.length];
                for (int k = 0; k < rc.length; k++) {
                    rc[k] = first.cpuSeconds.get(key).get(k) / other.cpuSeconds.get(key).get(k);
                }
                per.put(label + "_cpu", Machine.round(Stats.median(rc), 4));
                if (first.latencies.get(key).get(0).length > 1) {
                    // Median over every call of (first's time / other's time) on the identical batch.
                    List<Double> calls = new ArrayList<Double>();
                    List<double[]> la = first.latencies.get(key);
                    List<double[]> lb = other.latencies.get(key);
                    for (int k = 0; k < r.length; k++) {
                        for (int q = 0; q < la.get(k).length; q++) {
                            calls.add(la.get(k)[q] / lb.get(k)[q]);
                        }
                    }
                    per.put(label + "_medianPerCall", Machine.round(Stats.median(toArray(calls)), 4));
                }
            }
            out.put(names.get(0) + "_time/" + names.get(i) + "_time", per);
        }
        return out;
    }

    /** Cosine between the first contender's bulk vectors and each other's, per text: mean and min. */
    private Map<String, Object> agreement(Map<String, Samples> samples) {
        List<String> names = new ArrayList<String>(samples.keySet());
        List<float[]> ref = samples.get(names.get(0)).vectors;
        Map<String, Object> out = new LinkedHashMap<String, Object>();
        for (int i = 1; i < names.size() && ref != null; i++) {
            List<float[]> v = samples.get(names.get(i)).vectors;
            if (v == null) {
                continue;
            }
            double sum = 0;
            double min = 1;
            for (int k = 0; k < ref.size(); k++) {
                double c = Stats.cosine(ref.get(k), v.get(k));
                sum += c;
                min = Math.min(min, c);
            }
            Map<String, Object> m = new LinkedHashMap<String, Object>();
            m.put("meanCosine", Machine.round(sum / ref.size(), 6));
            m.put("minCosine", Machine.round(min, 6));
            m.put("pass", samples.get(names.get(0)).vectorsPass);
            m.put("texts", ref.size());
            m.put("equal", min >= EQUAL_COSINE);
            out.put(names.get(0) + "~" + names.get(i), m);
        }
        return out;
    }

    /** CPU time of the whole process (all threads, native ones included), or 0 when the JVM cannot tell. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return Math.max(0, ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime());
        }
        return 0;
    }

    private static double[] toArray(List<Double> l) {
        double[] a = new double[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }
}
