package dev.nnsdk.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.TextClassifier;
import dev.nnsdk.internal.Head;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code predict}: one {@code {"label":...,"score":...,"top":[{"label":...,"score":...},...]}} line
 * per input text, in input order; the output appears only when every text was classified.
 */
@Command(name = "predict", description = "Classify texts with a fine-tuned model into JSON Lines.")
final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Directory written by finetune.")
    Path model;

    @Mixin
    ModelArgs modelArgs;

    @Option(names = "--input", required = true, paramLabel = "IN", description = "Texts: .txt (one per line) or .jsonl (field \"text\"); .gz accepted.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT", description = "JSON Lines output.")
    Path output;

    @Option(names = "--top", defaultValue = "5", description = "Classes listed in \"top\" (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        long total = TextInput.count(input);
        try (TextClassifier clf = TextClassifier.load(model, modelArgs.options(32));
             TextInput in = new TextInput(input, "text");
             AtomicOutput out = new AtomicOutput(output);
             Progress progress = new Progress("predict", total, !quiet)) {
            JsonGenerator g = new JsonFactory().createGenerator(out.writer());
            g.setRootValueSeparator(null);
            List<String> texts;
            while (!(texts = in.next(EmbedCommand.CHUNK)).isEmpty()) {
                for (float[] p : clf.probabilities(texts)) {
                    List<Classification> best = top(p, clf.labels(), Math.max(1, top));
                    g.writeStartObject();
                    g.writeStringField("label", best.get(0).label());
                    g.writeNumberField("score", best.get(0).score());
                    g.writeArrayFieldStart("top");
                    for (Classification c : best) {
                        g.writeStartObject();
                        g.writeStringField("label", c.label());
                        g.writeNumberField("score", c.score());
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

    static List<Classification> top(final float[] p, List<String> labels, int k) {
        List<Integer> idx = new ArrayList<Integer>();
        for (int i = 0; i < p.length; i++) {
            idx.add(i);
        }
        Collections.sort(idx, new Comparator<Integer>() {
            @Override
            public int compare(Integer a, Integer b) {
                int c = Float.compare(p[b], p[a]);
                return c != 0 ? c : Integer.compare(a, b);
            }
        });
        List<Classification> out = new ArrayList<Classification>();
        for (int i = 0; i < Math.min(k, p.length); i++) {
            out.add(new Classification(labels.get(idx.get(i)), idx.get(i), p[idx.get(i)]));
        }
        assert Head.argmax(p) == out.get(0).index();
        return out;
    }
}
