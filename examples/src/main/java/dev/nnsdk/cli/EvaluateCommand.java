package dev.nnsdk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.inference.TextClassifier;
import dev.nnsdk.training.data.Datasets;
import dev.nnsdk.training.metrics.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code evaluate}: the metrics of a saved classifier on labelled data; the last stdout line is the metrics JSON. */
@Command(name = "evaluate", description = "Score a fine-tuned classifier on labelled data; prints metrics as JSON.")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Directory written by finetune.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "PATH", description = "Labelled data: .jsonl or .csv (optionally .gz).")
    Path data;

    @Mixin
    ModelArgs modelArgs;

    @Override
    public Integer call() throws IOException {
        try (TextClassifier clf = TextClassifier.load(model, modelArgs.options(32))) {
            System.out.println(new ObjectMapper().writeValueAsString(Evaluation.evaluate(clf, Datasets.read(data)).toMap()));
        }
        return 0;
    }
}
