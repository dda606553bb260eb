package dev.nnsdk.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.TextClassifier;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code predict}: one {@code {"label":...,"score":...,"top":[{"label":...,"score":...},...]}} line
 * per input text, in input order (image models: per image, in name order, with {@code "file"}
 * first); the output appears only when every input was classified.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class, description = "Classify texts with a fine-tuned model into JSON Lines.")
final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Directory written by finetune.")
    Path model;

    @Mixin
    ModelArgs modelArgs;

    @Option(names = "--input", required = true, paramLabel = "IN", description = "Text models: .txt (one per line) or .jsonl (field \"text\"); .gz accepted. Image models: an image file or a directory of images (lines then carry \"file\").")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT", description = "JSON Lines output.")
    Path output;

    @Option(names = {"-k", "--top-k"}, paramLabel = "K", description = "Classes listed in \"top\" (default: ${DEFAULT-VALUE}).")
    int top = 5;

    /** The spelling before 0.1 ({@code --top}): hidden, kept for one release. */
    @Option(names = "--top", hidden = true, paramLabel = "K")
    void legacyTop(int value) {
        top = value;   // the field has no picocli defaultValue, which picocli would re-apply over this
    }

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        dev.nnsdk.Ranges.results("top", top);
        if (ModelDescriptor.IMAGE_CLASSIFICATION.equals(ModelRepository.resolve(model).task())) {
            ClassifyImageCommand.run(model.toString(), modelArgs.options(16), input, output, Math.max(1, top), 16, quiet);
            return 0;
        }
        long total = TextInput.count(input);
        try (TextClassifier clf = TextClassifier.load(model, modelArgs.options(32));
             TextInput in = new TextInput(input, "text");
             AtomicOutput out = new AtomicOutput(output);
             Progress progress = new Progress("predict", total, !quiet, 64)) {
            JsonGenerator g = new JsonFactory().createGenerator(out.writer());
            g.setRootValueSeparator(null);
            List<String> texts;
            while (!(texts = in.next(EmbedCommand.CHUNK)).isEmpty()) {
                for (float[] p : clf.probabilities(texts)) {
                    List<Classification> best = Classification.top(p, clf.labels(), Math.max(1, top));
                    ClassificationJson.writeLine(g, null, best);
                }
                progress.step(texts.size());
            }
            g.flush();
            out.commit();
        }
        return 0;
    }

}
