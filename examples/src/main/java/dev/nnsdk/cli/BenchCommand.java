package dev.nnsdk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nnsdk.bench.BertFlops;
import dev.nnsdk.bench.Embedder;
import dev.nnsdk.bench.Embedders;
import dev.nnsdk.bench.Machine;
import dev.nnsdk.bench.ProcStatus;
import dev.nnsdk.bench.Soak;
import dev.nnsdk.bench.TextBench;
import dev.nnsdk.bench.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench}: times text embedding and prints one JSON object on stdout: throughput (texts/s,
 * real tokens/s), p50/p99 latency per batch for batch sizes 1, 8, 32 (or the one given), peak RSS,
 * effective GFLOP/s on real tokens next to the machine's fp32 peak, and optionally the same figures
 * for raw ONNX Runtime and LangChain4j on the same texts with time ratios. See docs/benchmarks-perf.md.
 */
@Command(name = "bench", description = "Benchmark text embedding; prints one JSON object (see docs/benchmarks-perf.md).")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "all-minilm-l6-v2", paramLabel = "ID", description = "Zoo id (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--engine", defaultValue = "onnx", paramLabel = "onnx|djl", description = "Engine (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0 = one per core).")
    int threads;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Texts: .txt or .jsonl (field \"text\"), .gz accepted.")
    Path input;

    @Option(names = "--field", defaultValue = "text", description = "JSONL field holding the text (default: ${DEFAULT-VALUE}).")
    String field;

    @Option(names = "--batch-size", paramLabel = "N", description = "Only this batch size (default: 1, 8 and 32).")
    Integer batchSize;

    @Option(names = "--limit", defaultValue = "2000", description = "Texts read from the input (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed calls per contender first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", defaultValue = "1", description = "Timed rounds, contenders interleaved; medians reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--no-bulk", description = "Skip the pass that embeds the whole input in one call.")
    boolean noBulk;

    @Option(names = "--bulk-chunk", defaultValue = "0", paramLabel = "N",
            description = "Bulk pass in calls of N texts, contenders interleaved per call (default 0: the whole input in one call).")
    int bulkChunk;

    @Option(names = "--bulk-only", description = "Only the pass that embeds the whole input in one call (no per-batch latency passes).")
    boolean bulkOnly;

    @Option(names = "--compare", split = ",", paramLabel = "KIND[:MODEL]",
            description = "Also time these on the same texts: raw (raw ONNX Runtime), langchain4j, sdk:OTHER-MODEL; e.g. raw,langchain4j.")
    List<String> compare = new ArrayList<String>();

    @Option(names = "--soak", defaultValue = "0", paramLabel = "N", description = "After timing, embed N texts (cycling) and report RSS growth.")
    int soak;

    @Option(names = "--soak-max-chars", defaultValue = "0", description = "Cut soak texts to this many characters (0 = as read).")
    int soakMaxChars;

    @Override
    public Integer call() throws IOException {
        if (limit < 1 || warmup < 0 || rounds < 1 || batchSize != null && batchSize < 1) {
            throw new IllegalArgumentException("--limit, --rounds and --batch-size must be >= 1 and --warmup >= 0");
        }
        if (bulkOnly && noBulk) {
            throw new IllegalArgumentException("--bulk-only and --no-bulk exclude each other");
        }
        List<String> texts;
        try (TextInput in = new TextInput(input, field)) {
            texts = in.next(limit);
        }
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("Input " + input + " holds no texts");
        }
        int[] sizes = batchSize == null ? new int[] {1, 8, 32} : new int[] {batchSize};
        int maxBatch = sizes[sizes.length - 1];
        int[] timed = bulkOnly ? new int[0] : sizes;
        Workload work = Workload.of(texts, model);
        BertFlops flops = BertFlops.forModel(model);
        Machine machine = Machine.current();

        Map<String, Embedder> contenders = new LinkedHashMap<String, Embedder>();
        try {
            Embedder sdk = Embedders.create("sdk", model, engine, threads, maxBatch);
            contenders.put(sdk.name(), sdk);
            for (String c : compare) {
                String kind = c.contains(":") ? c.substring(0, c.indexOf(':')) : c;
                String id = c.contains(":") ? c.substring(c.indexOf(':') + 1) : model;
                Embedder e = Embedders.create(kind, id, engine, threads, maxBatch);
                String label = id.equals(model) ? e.name() : e.name() + ":" + id;
                contenders.put(label, e);
            }
            TextBench bench = new TextBench(work, new TextBench.Config().batchSizes(timed).warmupBatch(maxBatch).warmup(warmup)
                    .rounds(rounds).bulk(!noBulk).bulkChunk(bulkChunk), flops);
            Map<String, Object> res = bench.run(contenders);

            Map<String, Object> out = new LinkedHashMap<String, Object>();
            out.put("model", model);
            out.put("engine", engine);
            out.put("threads", threads > 0 ? threads : machine.describe().get("cores"));
            out.put("input", input.toString());
            out.put("texts", work.size());
            out.put("realTokens", work.totalTokens());
            @SuppressWarnings("unchecked")
            Map<String, Object> mine = (Map<String, Object>) ((Map<String, Object>) res.get("results")).values().iterator().next();
            @SuppressWarnings("unchecked")
            Map<String, Object> main = (Map<String, Object>) mine.get(noBulk ? "batch" + maxBatch : "bulk");
            Map<String, Object> tp = new LinkedHashMap<String, Object>();
            tp.put("pass", noBulk ? "batch" + maxBatch : bulkChunk > 0 ? "bulk (embedAll of " + bulkChunk + " texts per call)"
                    : "bulk (whole input in one embedAll call)");
            tp.put("textsPerSec", main.get("textsPerSec"));
            tp.put("tokensPerSec", main.get("tokensPerSec"));
            out.put("throughput", tp);
            Map<String, Object> lat = new LinkedHashMap<String, Object>();
            for (int b : timed) {
                @SuppressWarnings("unchecked")
                Map<String, Object> p = (Map<String, Object>) mine.get("batch" + b);
                Map<String, Object> l = new LinkedHashMap<String, Object>();
                l.put("p50Ms", p.get("p50Ms"));
                l.put("p99Ms", p.get("p99Ms"));
                l.put("textsPerSec", p.get("textsPerSec"));
                lat.put(String.valueOf(b), l);
            }
            out.put("latencyPerBatch", lat);
            if (flops != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> p = (Map<String, Object>) mine.get(bulkOnly ? "bulk" : "batch" + maxBatch);
                double g = ((Number) p.get("gflops")).doubleValue();
                Map<String, Object> f = new LinkedHashMap<String, Object>();
                f.put("pass", bulkOnly ? "bulk" : "batch" + maxBatch);
                f.put("effectiveGflops", g);
                f.put("bulkGflops", noBulk ? null : main.get("gflops"));
                f.put("fp32PeakGflops", Machine.round(machine.fp32PeakGflops(), 1));
                f.put("fractionOfPeak", Machine.round(g / machine.fp32PeakGflops(), 3));
                f.put("flopModel", flops.describe());
                out.put("flops", f);
            }
            out.put("machine", machine.describe());
            out.put("comparison", res);
            if (soak > 0) {
                List<String> st = texts;
                if (soakMaxChars > 0) {
                    st = new ArrayList<String>();
                    for (String t : texts) {
                        st.add(t.length() > soakMaxChars ? t.substring(0, soakMaxChars) : t);
                    }
                }
                out.put("soak", Soak.run(contenders.values().iterator().next(), st, soak, 1000));
            }
            out.put("peakRssMiB", Machine.round(ProcStatus.peakRssMiB(), 1));
            out.put("loadAverageAfter", Machine.loadNow());
            ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            System.out.println(om.writeValueAsString(out));
        } finally {
            for (Embedder e : contenders.values()) {
                e.close();
            }
        }
        return 0;
    }
}
