package dev.nnsdk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import dev.nnsdk.training.data.Datasets;
import dev.nnsdk.training.data.ImageDataset;
import dev.nnsdk.training.data.TextDataset;
import dev.nnsdk.training.metrics.ClassificationMetrics;
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

    @Option(names = "--data", required = true, paramLabel = "PATH", description = "Labelled data. Text models: .jsonl or .csv (optionally .gz). Image models: a directory with one sub-folder per class, or an IDX images file beside its labels file.")
    Path data;

    @Option(names = "--limit", paramLabel = "N", description = "Score only the first N examples (e.g. the first 2,000 of the Fashion-MNIST test set).")
    Integer limit;

    @Mixin
    ModelArgs modelArgs;

    @Override
    public Integer call() throws IOException {
        if (limit != null && limit < 1) {
            throw new dev.nnsdk.InvalidInputException("--limit must be at least 1, got " + limit);
        }
        ClassificationMetrics m;
        if (ModelDescriptor.IMAGE_CLASSIFICATION.equals(ModelRepository.resolve(model).task())) {
            ImageDataset d = ImageDataset.read(data);
            m = Evaluation.evaluate(model, limit == null ? d : d.first(limit), modelArgs.options(32));
        } else {
            TextDataset d = Datasets.read(data);
            if (limit != null) {
                d = new TextDataset(d.name(), d.examples().subList(0, Math.min(limit, d.size())));
            }
            m = Evaluation.evaluate(model, d, modelArgs.options(32));
        }
        System.out.println(new ObjectMapper().writeValueAsString(m.toMap()));
        return 0;
    }
}
