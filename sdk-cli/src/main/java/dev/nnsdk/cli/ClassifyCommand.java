package dev.nnsdk.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.TextClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code classify}: texts (or text pairs) through a text classifier — a Hugging Face sequence-classification export or
 * a fine-tuned directory — one {@code {"label","score","top":[...]}} line per input, in input order; written only when
 * every input was classified.
 */
@Command(name = "classify", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class, description = "Classify texts or text pairs (Hugging Face sequence-classification exports, fine-tuned models) into JSON Lines.")
final class ClassifyCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "ID|DIR", description = "Zoo id or model directory (config.json with id2label + model file + tokenizer.json, or a fine-tuned directory).")
    String model;

    @Mixin
    ModelArgs modelArgs;

    @Option(names = "--input", required = true, paramLabel = "IN", description = ".txt (one text per line) or .jsonl (field \"text\", and \"text_pair\" with --pairs); .gz accepted.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT", description = "JSON Lines output.")
    Path output;

    @Option(names = "--pairs", description = "Classify (text, text_pair) pairs, e.g. NLI premise/hypothesis (.jsonl input).")
    boolean pairs;

    @Option(names = {"-k", "--top-k", "--top"}, defaultValue = "5", paramLabel = "K", description = "Labels listed in \"top\" (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        long total = TextInput.count(input);
        try (TextClassifier clf = TextClassifier.load(model, modelArgs.options(32));
             TextInput in = new TextInput(input, "text");
             TextInput second = pairs ? new TextInput(input, "text_pair") : null;
             AtomicOutput out = new AtomicOutput(output);
             Progress progress = new Progress("classify", total, !quiet)) {
            JsonGenerator g = new JsonFactory().createGenerator(out.writer());
            g.setRootValueSeparator(null);
            List<String> texts;
            while (!(texts = in.next(EmbedCommand.CHUNK)).isEmpty()) {
                List<float[]> probs = pairs ? clf.pairProbabilities(texts, second.next(texts.size())) : clf.probabilities(texts);
                for (float[] p : probs) {
                    ClassificationJson.writeLine(g, null, Classification.top(p, clf.labels(), Math.max(1, top)));
                }
                progress.step(texts.size());
            }
            g.flush();
            out.commit();
        }
        return 0;
    }
}
