package dev.nnsdk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.training.data.Datasets;
import dev.nnsdk.training.metrics.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code evaluate}: the metrics of a saved classifier on labelled data; the last stdout line is the
 * metrics JSON. Backbone features go through the feature cache, so re-evaluating is cheap.
 */
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
        System.out.println(new ObjectMapper().writeValueAsString(
                Evaluation.evaluate(model, Datasets.read(data), modelArgs.options(32)).toMap()));
        return 0;
    }
}
