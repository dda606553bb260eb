package dev.nnsdk.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * In-process cost of one BERT-style ONNX file per engine call, and ONNX Runtime's per-node profile: the tool behind
 * the "per-node profile before and after" tables of docs/benchmarks.md.
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) dev.nnsdk.bench.NodeProfile \
 *     model.onnx [more.onnx ...] [--batch 8] [--seq 80] [--pad 0] [--runs 40] [--rounds 3] [--threads 1] [--profile]
 * </pre>
 *
 * Every file gets one session (one intra-op thread by default, as the SDK's calls side by side have) and the same
 * drawn feed: token ids in [1000, 20000), type ids 0, mask 1 except the last {@code pad} positions of every second
 * row. Files are timed in interleaved rounds by the calling thread's CPU time (other processes do not count), and the
 * median milliseconds per call of each round are printed. With {@code --profile}, one more pass with ONNX Runtime's
 * profiler prints kernel time per operator type (shares: kernel durations are wall time inside ORT).
 */
public final class NodeProfile {
    private NodeProfile() {
    }

    public static void main(String[] args) throws Exception {
        List<String> files = new ArrayList<String>();
        Map<String, String> opt = new HashMap<String, String>();
        boolean profile = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--profile")) {
                profile = true;
            } else if (args[i].startsWith("--")) {
                opt.put(args[i].substring(2), args[++i]);
            } else {
                files.add(args[i]);
            }
        }
        int batch = Integer.parseInt(opt.getOrDefault("batch", "8"));
        int seq = Integer.parseInt(opt.getOrDefault("seq", "80"));
        int pad = Integer.parseInt(opt.getOrDefault("pad", "0"));
        int runs = Integer.parseInt(opt.getOrDefault("runs", "40"));
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "3"));
        int threads = Integer.parseInt(opt.getOrDefault("threads", "1"));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OrtSession> sessions = new ArrayList<OrtSession>();
        List<Map<String, OnnxTensor>> feeds = new ArrayList<Map<String, OnnxTensor>>();
        for (String f : files) {
            OrtSession s = env.createSession(f, options(threads, null));
            sessions.add(s);
            feeds.add(feedFor(env, s, batch, seq, pad));
        }
        System.out.printf("machine=%s batch=%d seq=%d pad=%d threads=%d runs=%d%n", Machine.current().cpuModel(), batch, seq, pad,
                threads, runs);
        ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        double[][] ms = new double[files.size()][rounds];
        for (int i = 0; i < files.size(); i++) {
            for (int w = 0; w < 5; w++) {
                sessions.get(i).run(feeds.get(i)).close();
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < files.size(); i++) {
                double[] t = new double[runs];
                for (int k = 0; k < runs; k++) {
                    long c0 = tmx.getCurrentThreadCpuTime();
                    sessions.get(i).run(feeds.get(i)).close();
                    t[k] = (tmx.getCurrentThreadCpuTime() - c0) / 1e6;
                }
                Arrays.sort(t);
                ms[i][r] = t[runs / 2];
            }
        }
        for (int i = 0; i < files.size(); i++) {
            double[] m = ms[i].clone();
            Arrays.sort(m);
            System.out.printf("%-70s median ms/call %s -> %.2f%n", files.get(i), Arrays.toString(round(ms[i])), m[rounds / 2]);
        }
        if (profile) {
            for (int i = 0; i < files.size(); i++) {
                Path dir = Files.createTempDirectory("ortprof");
                try (OrtSession s = env.createSession(files.get(i), options(threads, dir.resolve("p").toString()))) {
                    Map<String, OnnxTensor> f = feedFor(env, s, batch, seq, pad);
                    for (int k = 0; k < runs; k++) {
                        s.run(f).close();
                    }
                    String out = s.endProfiling();
                    print(files.get(i), new File(out));
                    for (OnnxTensor t : f.values()) {
                        t.close();
                    }
                }
            }
        }
    }

    private static double[] round(double[] x) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = Math.round(x[i] * 100) / 100.0;
        }
        return r;
    }

    private static OrtSession.SessionOptions options(int threads, String profilePrefix) throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setIntraOpNumThreads(threads);
        so.setInterOpNumThreads(1);
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        so.addConfigEntry("session.intra_op.allow_spinning", "0");
        if (profilePrefix != null) {
            so.enableProfiling(profilePrefix);
        }
        return so;
    }

    public static Map<String, OnnxTensor> feedFor(OrtEnvironment env, OrtSession s, int batch, int seq, int pad) throws OrtException {
        Random rnd = new Random(7);
        long[][] ids = new long[batch][seq];
        long[][] mask = new long[batch][seq];
        long[][] types = new long[batch][seq];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seq; t++) {
                boolean padded = b % 2 == 1 && t >= seq - pad;
                ids[b][t] = padded ? 0 : 1000 + rnd.nextInt(19000);
                mask[b][t] = padded ? 0 : 1;
            }
            ids[b][0] = 101;
        }
        Map<String, OnnxTensor> f = new LinkedHashMap<String, OnnxTensor>();
        for (Map.Entry<String, NodeInfo> in : s.getInputInfo().entrySet()) {
            String n = in.getKey();
            long[][] v = n.contains("mask") ? mask : n.contains("type") ? types : ids;
            f.put(n, OnnxTensor.createTensor(env, v));
        }
        return f;
    }

    private static void print(String file, File profile) throws Exception {
        JsonNode events = new ObjectMapper().readTree(profile);
        Map<String, Long> byOp = new TreeMap<String, Long>();
        long total = 0;
        for (JsonNode e : events) {
            if (!"Node".equals(e.path("cat").asText()) || !e.path("name").asText().endsWith("_kernel_time")) {
                continue;
            }
            String op = e.path("args").path("op_name").asText();
            long dur = e.path("dur").asLong();
            byOp.merge(op, dur, Long::sum);
            total += dur;
        }
        System.out.println("profile of " + file + " (kernel time per op type):");
        final long all = total;
        byOp.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).forEach(e ->
                System.out.printf("  %-28s %6.1f %%  %9d us%n", e.getKey(), 100.0 * e.getValue() / all, e.getValue()));
        profile.delete();
    }
}
