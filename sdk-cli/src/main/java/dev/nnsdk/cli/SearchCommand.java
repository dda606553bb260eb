package dev.nnsdk.cli;

import dev.nnsdk.inference.TextEmbedder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code search}: semantic search. Embeds a corpus (a file, or a few built-in sentences) and prints
 * the texts closest to the query by cosine similarity, as {@code score<TAB>text} lines.
 */
@Command(name = "search", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class, description = "Semantic search: print the corpus texts closest in meaning to a query.")
final class SearchCommand implements Callable<Integer> {

    static final List<String> DEMO_CORPUS = Collections.unmodifiableList(Arrays.asList(
            "The cat sleeps on the warm windowsill.",
            "A dog is playing fetch in the park.",
            "Stock markets fell sharply after the announcement.",
            "The central bank raised interest rates again.",
            "This recipe needs two eggs, flour and a pinch of salt.",
            "Bake the cake for forty minutes at 180 degrees.",
            "The team won the championship in overtime.",
            "Il pleut beaucoup à Paris aujourd'hui.",
            "Our new phone has a brighter screen and a longer battery life.",
            "The spacecraft entered orbit around Mars."));

    @Parameters(arity = "1..*", paramLabel = "QUERY", description = "The query text (words are joined).")
    List<String> query;

    @Option(names = "--model", defaultValue = "all-minilm-l6-v2", paramLabel = "ID|PATH", description = "Zoo id or model directory (default: ${DEFAULT-VALUE}).")
    String model;

    @Mixin
    ModelArgs modelArgs;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--corpus", paramLabel = "FILE", description = "Texts to search (.txt or .jsonl); default: ten built-in sentences.")
    Path corpus;

    @Option(names = "--index", paramLabel = "FILE", description = "Keep the corpus vectors in FILE: built on the first query (atomically), reused while the corpus and model checksums match, so later queries do not embed the corpus again. Needs --corpus.")
    Path index;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Option(names = {"-k", "--top-k"}, paramLabel = "K", description = "How many results (default: ${DEFAULT-VALUE}).")
    int k = 3;

    /** The spelling before 0.1 ({@code --k}): hidden, kept for one release. */
    @Option(names = "--k", hidden = true, paramLabel = "K")
    void legacyK(int value) {
        k = value;   // the field has no picocli defaultValue, which picocli would re-apply over this
    }

    @Override
    public Integer call() throws IOException {
        dev.nnsdk.Ranges.results("k", k);
        List<String> texts = new ArrayList<String>();
        if (corpus == null) {
            texts.addAll(DEMO_CORPUS);
        } else {
            try (TextInput in = new TextInput(corpus, "text")) {
                String t;
                while ((t = in.next()) != null) {
                    texts.add(t);
                }
            }
        }
        if (index != null && corpus == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--index needs --corpus FILE");
        }
        com.fasterxml.jackson.databind.node.ObjectNode key = index == null ? null : SearchIndex.key(model, modelArgs.engine, corpus);
        List<float[]> cached = index == null ? null : SearchIndex.read(index, key, texts.size());
        try (TextEmbedder embedder = TextEmbedder.load(model, modelArgs.options(32))) {
            float[] q = embedder.embed(String.join(" ", query));
            List<float[]> vs = cached != null ? cached : embed(embedder, texts);
            if (index != null && cached == null) {
                SearchIndex.write(index, key, vs);
                System.err.println("wrote index " + index + " (" + vs.size() + " vectors)");
            }
            Integer[] idx = new Integer[texts.size()];
            final double[] score = new double[texts.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
                score[i] = cosine(q, vs.get(i));
            }
            Arrays.sort(idx, (a, b) -> Double.compare(score[b], score[a]));
            for (int i = 0; i < Math.min(k, idx.length); i++) {
                System.out.printf(java.util.Locale.ROOT, "%.4f\t%s%n", score[idx[i]], texts.get(idx[i]));
            }
        }
        return 0;
    }

    /** The corpus vectors, with progress on stderr for a corpus that takes more than a few seconds. */
    private List<float[]> embed(TextEmbedder embedder, List<String> texts) {
        List<float[]> out = new ArrayList<float[]>(texts.size());
        try (Progress progress = new Progress("embed corpus", texts.size(), !quiet, 64)) {
            for (int i = 0; i < texts.size(); i += 64) {
                List<String> part = texts.subList(i, Math.min(texts.size(), i + 64));
                out.addAll(embedder.embedAll(part));
                progress.step(part.size());
            }
        }
        return out;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
