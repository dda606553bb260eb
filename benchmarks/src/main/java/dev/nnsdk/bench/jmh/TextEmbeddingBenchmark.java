package dev.nnsdk.bench.jmh;

import dev.nnsdk.bench.Embedder;
import dev.nnsdk.bench.Embedders;
import dev.nnsdk.bench.Workload;
import dev.nnsdk.SdkSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * JMH: time of one {@code embedAll} call on the same batch of IMDB reviews for each contender
 * ({@code sdk}, {@code raw} ONNX Runtime, {@code langchain4j}). Each invocation embeds the next batch
 * of {@code batch} reviews (cycling through the first {@code texts}), so every contender sees the same
 * sequence of batches. Not run by {@code mvn verify}; see docs/benchmarks-perf.md for the command.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TextEmbeddingBenchmark {

    @Param({"sdk", "raw"})
    public String contender;

    @Param({"all-minilm-l6-v2"})
    public String model;

    @Param({"32"})
    public int batch;

    @Param({"256"})
    public int texts;

    @Param({"0"})
    public int threads;

    private Embedder embedder;
    private List<String> reviews;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dev.nnsdk.djl.DjlSystemProperties.apply();
        Path imdb = SdkSettings.assetsDir().resolve("datasets/imdb/reviews.jsonl.gz");
        reviews = Workload.read(imdb, texts);
        embedder = Embedders.create(contender, model, "onnx", threads, batch);
    }

    @Benchmark
    public Object embedBatch() {
        int from = next;
        next = (next + batch) % (reviews.size() - batch + 1);
        return embedder.embedAll(reviews.subList(from, from + batch));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        embedder.close();
    }
}
