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
import dev.nnsdk.bench.image.ImageBench;
import dev.nnsdk.bench.image.ImageContender;
import dev.nnsdk.bench.image.ImageContenders;
import dev.nnsdk.bench.image.ImageInputs;
import dev.nnsdk.image.Image;
import dev.nnsdk.image.ImageDecoder;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
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
 * for the raw engine API (raw ONNX Runtime for {@code --engine onnx}, raw DJL for {@code --engine djl})
 * and LangChain4j on the same texts with time ratios and vector agreement. See docs/benchmarks-perf.md.
 *
 * <p>For an image model (the descriptor has an {@code image} section) it times
 * {@code ImageClassifier.classifyAll} instead: images/s and p50/p99 per batch of 1, 8 and 32 images
 * read from a directory or a list file, optionally next to the raw engine. See docs/benchmarks-bench2.md.
 */
@Command(name = "bench", description = "Benchmark text embedding or image classification; prints one JSON object (see docs/benchmarks-perf.md, docs/benchmarks-bench2.md).")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "all-minilm-l6-v2", paramLabel = "ID", description = "Zoo id (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--engine", defaultValue = "onnx", paramLabel = "onnx|djl", description = "Engine (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0 = one per core).")
    int threads;

    @Option(names = "--input", required = true, paramLabel = "FILE|DIR",
            description = "Texts: .txt or .jsonl (field \"text\"), .gz accepted. Image models: a directory of .jpg/.png files or a text file of image paths.")
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
            description = "Also time these on the same inputs: raw (the raw API of --engine: ONNX Runtime or DJL), raw-ort, raw-djl, langchain4j, sdk:OTHER-MODEL (text only); e.g. raw,langchain4j.")
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
        ModelDescriptor descriptor = ModelRepository.resolve(model);
        if (descriptor.image() != null) {
            if (bulkOnly || bulkChunk > 0 || soak > 0) {
                throw new IllegalArgumentException("--bulk-only, --bulk-chunk and --soak apply to text models only; "
                        + model + " is an image model");
            }
            return images();
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
            Map<String, Object> overRaw = sdkOverRaw(res);
            if (overRaw != null) {
                out.put("sdkOverRaw", overRaw);
            }
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

    /**
     * The SDK's time over the raw engine's per pass (from {@code comparison.ratios}) and their vector
     * agreement, when a raw contender ran; {@code null} otherwise.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> sdkOverRaw(Map<String, Object> comparison) {
        Map<String, Object> ratios = (Map<String, Object>) comparison.get("ratios");
        if (ratios == null) {
            return null;
        }
        for (Map.Entry<String, Object> e : ratios.entrySet()) {
            String other = e.getKey().substring(e.getKey().indexOf('/') + 1);
            if (!other.startsWith("raw-")) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<String, Object>();
            m.put("raw", other.substring(0, other.length() - "_time".length()));
            m.putAll((Map<String, Object>) e.getValue());
            Map<String, Object> agreement = (Map<String, Object>) comparison.get("agreement");
            if (agreement != null) {
                String first = e.getKey().substring(0, e.getKey().indexOf("_time/"));
                m.put("agreement", agreement.get(first + "~" + m.get("raw")));
            }
            return m;
        }
        return null;
    }

    /** The image bench: decode once, then time classifyAll per batch size for the SDK and the contenders asked for. */
    private Integer images() throws IOException {
        List<java.nio.file.Path> files = ImageInputs.list(input, limit);
        ImageDecoder decoder = ImageDecoder.get();
        List<Image> decoded = new ArrayList<Image>(files.size());
        long d0 = System.nanoTime();
        for (java.nio.file.Path f : files) {
            decoded.add(decoder.decode(f));
        }
        double decodeMs = (System.nanoTime() - d0) / 1e6 / files.size();
        int[] sizes = batchSize == null ? new int[] {1, 8, 32} : new int[] {batchSize};
        int maxBatch = sizes[sizes.length - 1];
        Machine machine = Machine.current();
        Map<String, ImageContender> contenders = new LinkedHashMap<String, ImageContender>();
        try {
            ImageContender sdk = ImageContenders.create("sdk", model, engine, threads, maxBatch);
            contenders.put(sdk.name(), sdk);
            for (String c : compare) {
                ImageContender e = ImageContenders.create(c, model, engine, threads, maxBatch);
                contenders.put(e.name(), e);
            }
            Map<String, Object> res = new ImageBench(decoded, sizes, warmup, rounds).run(contenders);
            out(imageReport(res, files.size(), decodeMs, sizes, machine));
        } finally {
            for (ImageContender e : contenders.values()) {
                e.close();
            }
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> imageReport(Map<String, Object> res, int images, double decodeMs, int[] sizes, Machine machine) {
        Map<String, Object> out = new LinkedHashMap<String, Object>();
        out.put("model", model);
        out.put("engine", engine);
        out.put("task", "image-classification");
        out.put("threads", threads > 0 ? threads : machine.describe().get("cores"));
        out.put("input", input.toString());
        out.put("images", images);
        out.put("decodeMsPerImage", Machine.round(decodeMs, 2));
        Map<String, Object> mine = (Map<String, Object>) ((Map<String, Object>) res.get("results")).values().iterator().next();
        int maxBatch = sizes[sizes.length - 1];
        Map<String, Object> main = (Map<String, Object>) mine.get("batch" + maxBatch);
        Map<String, Object> tp = new LinkedHashMap<String, Object>();
        tp.put("pass", "batch" + maxBatch + " (decoded images, classifyAll of " + maxBatch + " per call)");
        tp.put("imagesPerSec", main.get("imagesPerSec"));
        out.put("throughput", tp);
        Map<String, Object> lat = new LinkedHashMap<String, Object>();
        for (int b : sizes) {
            Map<String, Object> p = (Map<String, Object>) mine.get("batch" + b);
            Map<String, Object> l = new LinkedHashMap<String, Object>();
            l.put("p50Ms", p.get("p50Ms"));
            l.put("p99Ms", p.get("p99Ms"));
            l.put("imagesPerSec", p.get("imagesPerSec"));
            lat.put(String.valueOf(b), l);
        }
        out.put("latencyPerBatch", lat);
        out.put("machine", machine.describe());
        out.put("comparison", res);
        Map<String, Object> overRaw = sdkOverRaw(res);
        if (overRaw != null) {
            out.put("sdkOverRaw", overRaw);
        }
        out.put("peakRssMiB", Machine.round(ProcStatus.peakRssMiB(), 1));
        out.put("loadAverageAfter", Machine.loadNow());
        return out;
    }

    private static void out(Map<String, Object> json) throws IOException {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        System.out.println(om.writeValueAsString(json));
    }
}
