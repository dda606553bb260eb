package dev.nnsdk.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One contender in a process of its own, for whole-process CPU time (user+sys, JVM start-up and model
 * load included): loads the contender, embeds the input in one {@code embedAll} call, prints one JSON
 * line (texts, seconds to load and to embed, process CPU seconds, peak RSS) and optionally writes the
 * vectors (big-endian {@code DataOutputStream} ints and floats: count, dim, values) for agreement checks.
 *
 * <pre>
 * /usr/bin/time -f "%U %S %M" java -cp "examples/target/sdk-cli.jar:examples/target/lib/*" \
 *     dev.nnsdk.bench.WholeProcess KIND MODEL ENGINE THREADS BATCH INPUT.jsonl[.gz] [LIMIT] [VECTORS.bin]
 * </pre>
 * KIND is any {@link Embedders} contender ({@code sdk}, {@code raw-ort}, {@code raw-djl}, {@code langchain4j}, ...).
 * Driven by {@code tools/bench/whole_process.py}, which interleaves contenders and takes medians.
 */
public final class WholeProcess {
    private WholeProcess() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 6) {
            System.err.println("usage: WholeProcess KIND MODEL ENGINE THREADS BATCH INPUT [LIMIT] [VECTORS]");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        String kind = args[0];
        String model = args[1];
        String engine = args[2];
        int threads = Integer.parseInt(args[3]);
        int batch = Integer.parseInt(args[4]);
        Path input = Paths.get(args[5]);
        int limit = args.length > 6 ? Integer.parseInt(args[6]) : 2000;
        List<String> texts = Workload.read(input, limit);
        Map<String, Object> out = new LinkedHashMap<String, Object>();
        out.put("contender", kind);
        out.put("model", model);
        out.put("engine", engine);
        out.put("threads", threads);
        out.put("batch", batch);
        out.put("texts", texts.size());
        List<float[]> vecs;
        try (Embedder e = Embedders.create(kind, model, engine, threads, batch)) {
            long t1 = System.nanoTime();
            out.put("loadSeconds", (t1 - t0) / 1e9);
            vecs = e.embedAll(texts);
            out.put("embedSeconds", (System.nanoTime() - t1) / 1e9);
        }
        out.put("processCpuSeconds", processCpuSeconds());
        out.put("peakRssMiB", ProcStatus.peakRssMiB());
        if (args.length > 7) {
            try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(Paths.get(args[7])))) {
                o.writeInt(vecs.size());
                o.writeInt(vecs.get(0).length);
                for (float[] v : vecs) {
                    for (float f : v) {
                        o.writeFloat(f);
                    }
                }
            }
        }
        System.out.println(new ObjectMapper().writeValueAsString(out));
        System.exit(0);
    }

    static double processCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1e9;
        }
        return -1;
    }
}
