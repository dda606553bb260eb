package dev.nnsdk.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One contender as a whole process, for CPU-time comparisons measured outside the JVM (scripts/bench-graph.sh):
 * {@code embed CONTENDER MODEL INPUT LIMIT WORDS OUT.bin [THREADS BATCH [ENGINE]]} embeds the first LIMIT texts cut to WORDS
 * words in one {@code embedAll} call and writes the vectors; {@code compare A.bin B.bin} prints mean/min cosine;
 * {@code batchcheck CONTENDER MODEL INPUT} prints the min cosine between 32 texts embedded alone and in one batch;
 * {@code floor CONTENDER MODEL INPUT LIMIT WORDS [ROUNDS]} prints the steady-state CPU seconds of one {@code embedAll}
 * of the workload on the calling thread alone (one engine call at a time, one intra-op thread, the default batch plan),
 * after a warm-up: JVM start-up, model load, JIT compiler and GC threads and a second call's contention are not in it,
 * so a whole-process target below this figure cannot be met by any change outside the engine's kernels.
 */
public final class EmbedProcess {
    private EmbedProcess() {
    }

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "embed": {
                List<String> texts = cut(Workload.read(Path.of(a[3]), Integer.parseInt(a[4])), Integer.parseInt(a[5]));
                int threads = a.length > 7 ? Integer.parseInt(a[7]) : 0;
                int batch = a.length > 8 ? Integer.parseInt(a[8]) : 32;
                String engine = a.length > 9 ? a[9] : "onnx";
                try (Embedder e = Embedders.create(a[1], a[2], engine, threads, batch)) {
                    write(Path.of(a[6]), e.embedAll(texts));
                }
                break;
            }
            case "compare": {
                List<float[]> x = read(Path.of(a[1]));
                List<float[]> y = read(Path.of(a[2]));
                double min = 1;
                double sum = 0;
                for (int i = 0; i < x.size(); i++) {
                    double c = cosine(x.get(i), y.get(i));
                    min = Math.min(min, c);
                    sum += c;
                }
                System.out.printf(Locale.ROOT, "{\"texts\": %d, \"meanCosine\": %.6f, \"minCosine\": %.6f}%n",
                        x.size(), sum / x.size(), min);
                break;
            }
            case "batchcheck": {
                List<String> texts = cut(Workload.read(Path.of(a[3]), 32), 60);
                try (Embedder e = Embedders.create(a[1], a[2], "onnx", 0, 32)) {
                    List<float[]> together = e.embedAll(texts);
                    double min = 1;
                    for (int i = 0; i < texts.size(); i++) {
                        min = Math.min(min, cosine(e.embedAll(Arrays.asList(texts.get(i))).get(0), together.get(i)));
                    }
                    System.out.printf(Locale.ROOT, "{\"alone_vs_batch32_minCosine\": %.7f}%n", min);
                }
                break;
            }
            case "floor": {
                List<String> texts = cut(Workload.read(Path.of(a[3]), Integer.parseInt(a[4])), Integer.parseInt(a[5]));
                int rounds = a.length > 6 ? Integer.parseInt(a[6]) : 3;
                // threads 1: one engine call at a time with one intra-op thread, run by ONNX Runtime on this thread
                try (Embedder e = Embedders.create(a[1], a[2], "onnx", 1, 32)) {
                    double[] s = floorSeconds(e, texts, rounds);
                    double[] sorted = s.clone();
                    Arrays.sort(sorted);
                    StringBuilder b = new StringBuilder();
                    for (double v : s) {
                        b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", v));
                    }
                    System.out.printf(Locale.ROOT, "{\"contender\": \"%s %s\", \"texts\": %d, \"threadCpuSeconds\": [%s], "
                            + "\"median\": %.2f}%n", a[1], a[2], texts.size(), b, sorted[rounds / 2]);
                }
                break;
            }
            default:
                throw new IllegalArgumentException("Use embed, compare, batchcheck or floor, not " + a[0]);
        }
    }

    /**
     * The calling thread's CPU seconds for each of {@code rounds} {@code embedAll(texts)} calls, after a warm-up on up to
     * 200 of the texts. Meant for an embedder made with one thread, whose engine work then all runs on this thread.
     */
    static double[] floorSeconds(Embedder e, List<String> texts, int rounds) {
        ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        e.embedAll(texts.subList(0, Math.min(texts.size(), 200)));
        double[] s = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long c0 = tmx.getCurrentThreadCpuTime();
            e.embedAll(texts);
            s[r] = (tmx.getCurrentThreadCpuTime() - c0) / 1e9;
        }
        return s;
    }

    static List<String> cut(List<String> texts, int words) {
        List<String> out = new ArrayList<String>(texts.size());
        for (String t : texts) {
            String[] w = t.trim().split("\\s+");
            out.add(String.join(" ", Arrays.copyOf(w, Math.min(words, w.length))));
        }
        return out;
    }

    static double cosine(float[] x, float[] y) {
        double xy = 0, xx = 0, yy = 0;
        for (int i = 0; i < x.length; i++) {
            xy += (double) x[i] * y[i];
            xx += (double) x[i] * x[i];
            yy += (double) y[i] * y[i];
        }
        return xy / Math.sqrt(xx * yy);
    }

    private static void write(Path file, List<float[]> vectors) throws IOException {
        try (OutputStream o = Files.newOutputStream(file); DataOutputStream d = new DataOutputStream(new java.io.BufferedOutputStream(o))) {
            d.writeInt(vectors.size());
            d.writeInt(vectors.get(0).length);
            for (float[] v : vectors) {
                for (float f : v) {
                    d.writeFloat(f);
                }
            }
        }
    }

    private static List<float[]> read(Path file) throws IOException {
        try (InputStream i = Files.newInputStream(file); DataInputStream d = new DataInputStream(new java.io.BufferedInputStream(i))) {
            int n = d.readInt();
            int dim = d.readInt();
            List<float[]> out = new ArrayList<float[]>(n);
            for (int k = 0; k < n; k++) {
                float[] v = new float[dim];
                for (int j = 0; j < dim; j++) {
                    v[j] = d.readFloat();
                }
                out.add(v);
            }
            return out;
        }
    }
}
