package dev.nnsdk.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.nnsdk.inference.EntitySpan;
import dev.nnsdk.inference.TokenClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ner}: one {@code {"entities":[{"label","start","end","score","text"}...]}} line per input text (character
 * offsets into the text), in input order; written only when every text was processed.
 */
@Command(name = "ner", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class, description = "Named-entity recognition (token classification) into JSON Lines with character offsets.")
final class NerCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "ID|DIR", description = "Zoo id or a *ForTokenClassification export directory.")
    String model;

    @Mixin
    ModelArgs modelArgs;

    @Option(names = "--input", required = true, paramLabel = "IN", description = ".txt (one text per line) or .jsonl (field \"text\"); .gz accepted.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT", description = "JSON Lines output.")
    Path output;

    @Option(names = "--aggregation", defaultValue = "simple", paramLabel = "none|simple|first|average|max", description = "How tokens become entities, as Hugging Face's aggregation_strategy (default: ${DEFAULT-VALUE}).")
    String aggregation;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        TokenClassifier.Aggregation a;
        try {
            a = TokenClassifier.Aggregation.parse(aggregation);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--aggregation: " + e.getMessage());
        }
        long total = TextInput.count(input);
        try (TokenClassifier ner = TokenClassifier.load(model, modelArgs.options(32));
             TextInput in = new TextInput(input, "text");
             AtomicOutput out = new AtomicOutput(output);
             Progress progress = new Progress("ner", total, !quiet)) {
            JsonGenerator g = new JsonFactory().createGenerator(out.writer());
            g.setRootValueSeparator(null);
            List<String> texts;
            while (!(texts = in.next(EmbedCommand.CHUNK)).isEmpty()) {
                for (List<EntitySpan> spans : ner.entitiesAll(texts, a)) {
                    g.writeStartObject();
                    g.writeArrayFieldStart("entities");
                    for (EntitySpan e : spans) {
                        g.writeStartObject();
                        g.writeStringField("label", e.label());
                        g.writeNumberField("start", e.start());
                        g.writeNumberField("end", e.end());
                        g.writeNumberField("score", e.score());
                        g.writeStringField("text", e.text());
                        g.writeEndObject();
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
