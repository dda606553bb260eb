package dev.nnsdk.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.nnsdk.inference.CrossEncoder;
import dev.nnsdk.inference.ScoredText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code rerank}: scores every passage against the query with a cross-encoder and writes the best {@code --top} as
 * {@code {"index","score","text"}} lines, best first ({@code index} = the passage's 0-based line in the input).
 */
@Command(name = "rerank", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class, description = "Rerank passages for a query with a cross-encoder into JSON Lines, best first.")
final class RerankCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "ID|DIR", description = "Zoo id or a cross-encoder export directory (*ForSequenceClassification with one label).")
    String model;

    @Mixin
    ModelArgs modelArgs;

    @Option(names = "--query", required = true, description = "The query.")
    String query;

    @Option(names = "--input", required = true, paramLabel = "IN", description = "Passages: .txt (one per line) or .jsonl (field \"text\"); .gz accepted.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT", description = "JSON Lines output.")
    Path output;

    @Option(names = {"-k", "--top-k", "--top"}, defaultValue = "10", paramLabel = "K", description = "Passages written (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws IOException {
        try (CrossEncoder ce = CrossEncoder.load(model, modelArgs.options(32));
             TextInput in = new TextInput(input, "text");
             AtomicOutput out = new AtomicOutput(output)) {
            List<String> passages = new ArrayList<String>();
            List<String> chunk;
            while (!(chunk = in.next(EmbedCommand.CHUNK)).isEmpty()) {
                passages.addAll(chunk);
            }
            JsonGenerator g = new JsonFactory().createGenerator(out.writer());
            g.setRootValueSeparator(null);
            for (ScoredText s : ce.rerank(query, passages, Math.max(1, top))) {
                g.writeStartObject();
                g.writeNumberField("index", s.index());
                g.writeNumberField("score", s.score());
                g.writeStringField("text", s.text());
                g.writeEndObject();
                g.writeRaw('\n');
            }
            g.flush();
            out.commit();
        }
        return 0;
    }
}
