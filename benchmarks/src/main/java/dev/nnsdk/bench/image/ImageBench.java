package dev.nnsdk.bench.image;

import dev.nnsdk.bench.Machine;
import dev.nnsdk.bench.ProcStatus;
import dev.nnsdk.bench.Stats;
import dev.nnsdk.image.Image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times image contenders side by side on decoded images, the way {@code TextBench} times text:
 * for each batch size B the images go in input order, B per call; for each call every contender
 * classifies the <em>same</em> B images back to back, starting with a different contender each
 * call, so that machine noise hits them alike. Decoding is done once before timing and is not
 * counted: images/s is preprocessing + inference + softmax/top-k.
 */
public final class ImageBench {

    /** Contenders agree when the top-1 class is the same for every image and no probability differs by more than this. */
    public static final double EQUAL_PROBABILITY = 1e-3;

    private final List<Image> images;
    private final int[] batchSizes;
    private final int warmup;
    private final int rounds;

    public ImageBench(List<Image> images, int[] batchSizes, int warmup, int rounds) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("No images to time");
        }
        this.images = new ArrayList<Image>(images);
        this.batchSizes = batchSizes.clone();
        this.warmup = Math.max(0, warmup);
        this.rounds = Math.max(1, rounds);
    }

    /** Runs every contender (by label, the first is the reference for ratios) and returns a JSON-ready result. */
    public Map<String, Object> run(Map<String, ImageContender> contenders) {
        List<String> names = new ArrayList<String>(contenders.keySet());
        int maxBatch = batchSizes.length == 0 ? 1 : batchSizes[batchSizes.length - 1];
        for (String n : names) {
            for (int i = 0; i < warmup; i++) {
                int from = (i * maxBatch) % images.size();
                contenders.get(n).probabilities(images.subList(from, Math.min(images.size(), from + maxBatch)));
            }
        }
        // seconds.get(contender).get("batchB") = one total per round; latencies likewise
        Map<String, Map<String, List<Double>>> seconds = new LinkedHashMap<String, Map<String, List<Double>>>();
        Map<String, Map<String, List<double[]>>> latencies = new LinkedHashMap<String, Map<String, List<double[]>>>();
        Map<String, Map<String, List<Double>>> cpuSeconds = new LinkedHashMap<String, Map<String, List<Double>>>();
        Map<String, List<float[]>> probs = new LinkedHashMap<String, List<float[]>>();
        Map<String, Double> rss = new LinkedHashMap<String, Double>();
        for (String n : names) {
            seconds.put(n, new LinkedHashMap<String, List<Double>>());
            latencies.put(n, new LinkedHashMap<String, List<double[]>>());
            cpuSeconds.put(n, new LinkedHashMap<String, List<Double>>());
        }
        String lastPass = null;
        for (int r = 0; r < rounds; r++) {
            for (int b : batchSizes) {
                String key = "batch" + b;
                lastPass = key;
                int calls = (images.size() + b - 1) / b;
                double[][] lat = new double[names.size()][calls];
                double[] cpu = new double[names.size()];
                List<List<float[]>> out = new ArrayList<List<float[]>>();
                for (int c = 0; c < names.size(); c++) {
                    out.add(new ArrayList<float[]>(images.size()));
                }
                for (int k = 0; k < calls; k++) {
                    List<Image> chunk = images.subList(k * b, Math.min(images.size(), k * b + b));
                    for (int j = 0; j < names.size(); j++) {
                        int c = (j + k) % names.size();
                        long p0 = processCpuNanos();
                        long c0 = System.nanoTime();
                        List<float[]> p = contenders.get(names.get(c)).probabilities(chunk);
                        lat[c][k] = (System.nanoTime() - c0) / 1e6;
                        cpu[c] += (processCpuNanos() - p0) / 1e9;
                        out.get(c).addAll(p);
                    }
                }
                for (int c = 0; c < names.size(); c++) {
                    String n = names.get(c);
                    double sum = 0;
                    for (double x : lat[c]) {
                        sum += x;
                    }
                    add(seconds.get(n), key, sum / 1e3);
                    add(cpuSeconds.get(n), key, cpu[c]);
                    if (!latencies.get(n).containsKey(key)) {
                        latencies.get(n).put(key, new ArrayList<double[]>());
                    }
                    latencies.get(n).get(key).add(lat[c]);
                    probs.put(n, out.get(c));
                    rss.put(n, ProcStatus.rssMiB());
                }
            }
        }
        Map<String, Object> res = new LinkedHashMap<String, Object>();
        res.put("images", images.size());
        res.put("rounds", rounds);
        Map<String, Object> results = new LinkedHashMap<String, Object>();
        for (String n : names) {
            Map<String, Object> m = new LinkedHashMap<String, Object>();
            for (String key : seconds.get(n).keySet()) {
                m.put(key, summarize(seconds.get(n).get(key), cpuSeconds.get(n).get(key), latencies.get(n).get(key)));
            }
            m.put("rssAfterMiB", Machine.round(rss.containsKey(n) ? rss.get(n) : -1, 1));
            results.put(n, m);
        }
        res.put("results", results);
        if (names.size() > 1) {
            res.put("ratios", ratios(names, seconds, latencies));
            res.put("agreement", agreement(names, probs, lastPass));
        }
        return res;
    }

    private static void add(Map<String, List<Double>> m, String key, double v) {
        if (!m.containsKey(key)) {
            m.put(key, new ArrayList<Double>());
        }
        m.get(key).add(v);
    }

    private Map<String, Object> summarize(List<Double> secs, List<Double> cpus, List<double[]> lats) {
        double sec = Stats.median(toArray(secs));
        double cpu = Stats.median(toArray(cpus));
        double[] p50 = new double[lats.size()];
        double[] p99 = new double[lats.size()];
        for (int i = 0; i < lats.size(); i++) {
            p50[i] = Stats.percentile(lats.get(i), 50);
            p99[i] = Stats.percentile(lats.get(i), 99);
        }
        Map<String, Object> p = new LinkedHashMap<String, Object>();
        p.put("seconds", Machine.round(sec, 3));
        p.put("imagesPerSec", Machine.round(images.size() / sec, 2));
        p.put("p50Ms", Machine.round(Stats.median(p50), 2));
        p.put("p99Ms", Machine.round(Stats.median(p99), 2));
        if (cpu > 0) {
            p.put("cpuSeconds", Machine.round(cpu, 3));
            p.put("imagesPerCpuSec", Machine.round(images.size() / cpu, 2));
        }
        if (secs.size() > 1) {
            List<Double> all = new ArrayList<Double>();
            for (double d : secs) {
                all.add(Machine.round(d, 3));
            }
            p.put("secondsPerRound", all);
        }
        return p;
    }

    /** First contender's time / each other's: total (median over rounds) and median per call. */
    private static Map<String, Object> ratios(List<String> names, Map<String, Map<String, List<Double>>> seconds,
                                              Map<String, Map<String, List<double[]>>> latencies) {
        String first = names.get(0);
        Map<String, Object> out = new LinkedHashMap<String, Object>();
        for (int i = 1; i < names.size(); i++) {
            String other = names.get(i);
            Map<String, Object> per = new LinkedHashMap<String, Object>();
            for (String key : seconds.get(first).keySet()) {
                List<Double> a = seconds.get(first).get(key);
                List<Double> b = seconds.get(other).get(key);
                double[] r = new double[Math.min(a.size(), b.size())];
                List<Double> calls = new ArrayList<Double>();
                for (int k = 0; k < r.length; k++) {
                    r[k] = a.get(k) / b.get(k);
                    double[] la = latencies.get(first).get(key).get(k);
                    double[] lb = latencies.get(other).get(key).get(k);
                    for (int q = 0; q < la.length; q++) {
                        calls.add(la[q] / lb[q]);
                    }
                }
                per.put(key, Machine.round(Stats.median(r), 4));
                per.put(key + "_medianPerCall", Machine.round(Stats.median(toArray(calls)), 4));
            }
            out.put(first + "_time/" + other + "_time", per);
        }
        return out;
    }

    /** Top-1 agreement and largest probability difference between the first contender and each other. */
    static Map<String, Object> agreement(List<String> names, Map<String, List<float[]>> probs, String pass) {
        List<float[]> ref = probs.get(names.get(0));
        Map<String, Object> out = new LinkedHashMap<String, Object>();
        for (int i = 1; i < names.size(); i++) {
            List<float[]> v = probs.get(names.get(i));
            int same = 0;
            double maxDiff = 0;
            for (int k = 0; k < ref.size(); k++) {
                if (dev.nnsdk.format.HeadWeights.argmax(ref.get(k)) == dev.nnsdk.format.HeadWeights.argmax(v.get(k))) {
                    same++;
                }
                for (int c = 0; c < ref.get(k).length; c++) {
                    maxDiff = Math.max(maxDiff, Math.abs(ref.get(k)[c] - v.get(k)[c]));
                }
            }
            Map<String, Object> m = new LinkedHashMap<String, Object>();
            m.put("pass", pass);
            m.put("images", ref.size());
            m.put("sameTop1", same);
            m.put("maxProbabilityDiff", maxDiff);
            m.put("equal", same == ref.size() && maxDiff <= EQUAL_PROBABILITY);
            out.put(names.get(0) + "~" + names.get(i), m);
        }
        return out;
    }

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
