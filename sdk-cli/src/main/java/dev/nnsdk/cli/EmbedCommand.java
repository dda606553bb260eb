package dev.nnsdk.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.nnsdk.inference.TextEmbedder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code embed}: one {@code {"embedding":[...]}} JSON line per input text, in input order. The
 * output file appears only when every text was embedded.
 */
@Command(name = "embed", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class, description = "Embed texts (.txt one per line, or .jsonl with a \"text\" field; .gz accepted) into JSON Lines.")
final class EmbedCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "all-minilm-l6-v2", paramLabel = "ID|PATH", description = "Zoo id or model directory (default: ${DEFAULT-VALUE}).")
    String model;

    @Mixin
    ModelArgs modelArgs;

    @Option(names = "--input", required = true, paramLabel = "IN", description = "Texts: .txt (one per line) or .jsonl (field \"text\").")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT", description = "JSON Lines, one {\"embedding\":[...]} per text.")
    Path output;

    @Option(names = "--field", defaultValue = "text", description = "JSONL field holding the text (default: ${DEFAULT-VALUE}).")
    String field;

    @Option(names = "--batch-size", defaultValue = "32", description = "Texts per engine call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    /** Texts read and embedded per chunk: bounds memory on huge inputs while keeping length-sorted batches full. */
    static final int CHUNK = 4096;

    @Override
    public Integer call() throws IOException {
        long total = TextInput.count(input);
        JsonFactory jf = new JsonFactory();
        try (TextEmbedder embedder = TextEmbedder.load(model, modelArgs.options(batchSize));
             TextInput in = new TextInput(input, field);
             AtomicOutput out = new AtomicOutput(output);
             Progress progress = new Progress("embed", total, !quiet)) {
            JsonGenerator g = jf.createGenerator(out.writer());
            g.setRootValueSeparator(null);
            List<String> texts;
            while (!(texts = in.next(CHUNK)).isEmpty()) {
                for (float[] v : embedder.embedAll(texts)) {
                    g.writeStartObject();
                    g.writeArrayFieldStart("embedding");
                    for (float x : v) {
                        g.writeNumber(x);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                    g.writeRaw('\n');
                }
                progress.step(texts.size());
            }
            g.flush();
            out.commit();
        }
        return 0;
    }
}
