package dev.nnsdk.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.training.data.Datasets;
import dev.nnsdk.training.data.TextDataset;
import dev.nnsdk.training.data.TextExample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code sample}: a seeded stratified train/test sample of a labelled dataset (label shares kept),
 * written as JSON Lines {@code {"text":...,"label":...}}; e.g. 4,000 / 2,000 reviews of IMDB,
 * whose file is sorted by label.
 */
@Command(name = "sample", description = "Seeded stratified train/test sample of a labelled .jsonl/.csv dataset into JSON Lines.")
final class SampleCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "Labelled data: .jsonl or .csv (optionally .gz).")
    Path input;

    @Option(names = "--train-size", required = true, description = "Examples in the training sample.")
    int trainSize;

    @Option(names = "--test-size", defaultValue = "0", description = "Examples in the test sample (default: ${DEFAULT-VALUE}).")
    int testSize;

    @Option(names = "--train-output", required = true, paramLabel = "OUT")
    Path trainOutput;

    @Option(names = "--test-output", paramLabel = "OUT")
    Path testOutput;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        TextDataset all = Datasets.read(input).requireTrainable();
        int total = trainSize + testSize;
        if (trainSize < 1 || testSize < 0 || total > all.size()) {
            throw new InvalidInputException("Cannot take " + trainSize + " + " + testSize + " examples from " + input
                    + ", which has " + all.size());
        }
        if (testSize > 0 && testOutput == null) {
            throw new InvalidInputException("--test-size needs --test-output");
        }
        TextDataset sample = all.stratifiedSample(total, seed);
        if (testSize == 0) {
            write(sample, trainOutput);
        } else {
            TextDataset.Split s = sample.stratifiedSplit(testSize / (double) total, seed + 1);
            write(s.train(), trainOutput);
            write(s.validation(), testOutput);
            System.err.println("train " + s.train().size() + " " + s.train().counts() + ", test " + s.validation().size()
                    + " " + s.validation().counts());
        }
        return 0;
    }

    private static void write(TextDataset d, Path file) throws IOException {
        try (AtomicOutput out = new AtomicOutput(file)) {
            JsonGenerator g = new JsonFactory().createGenerator(out.writer());
            g.setRootValueSeparator(null);
            for (TextExample e : d.examples()) {
                g.writeStartObject();
                g.writeStringField("text", e.text());
                g.writeStringField("label", e.label());
                g.writeEndObject();
                g.writeRaw('\n');
            }
            g.flush();
            out.commit();
        }
    }
}
