package dev.nnsdk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.training.FineTuning;
import dev.nnsdk.training.LrSchedule;
import dev.nnsdk.training.Optimizer;
import dev.nnsdk.training.TextClassificationTrainer;
import dev.nnsdk.training.TrainedTextClassifier;
import dev.nnsdk.training.TrainingConfig;
import dev.nnsdk.training.data.Datasets;
import dev.nnsdk.training.data.TextDataset;
import dev.nnsdk.training.head.Head;
import dev.nnsdk.internal.AtomicDirectory;
import dev.nnsdk.training.listener.TrainingListeners;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code finetune}: trains a classification head on a frozen backbone and saves the model
 * directory. Progress goes to stderr; the last stdout line is one JSON object of validation metrics.
 * A checkpoint is kept in {@code OUTPUT.checkpoint/} until the model is saved; {@code --resume}
 * continues from it.
 */
@Command(name = "finetune", description = "Fine-tune a classification head on a frozen backbone; prints validation metrics as JSON.")
final class FinetuneCommand implements Callable<Integer> {

    @Option(names = "--task", required = true, paramLabel = "TASK", description = "text-classification (image-classification: not in this build).")
    String task;

    @Option(names = "--backbone", defaultValue = "all-minilm-l6-v2", paramLabel = "ID|PATH", description = "Frozen backbone: zoo id or model directory (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Mixin
    ModelArgs modelArgs;

    @Option(names = "--train", required = true, paramLabel = "PATH", description = "Training data: .jsonl or .csv (optionally .gz) with text and label fields.")
    Path train;

    @Option(names = "--valid", paramLabel = "PATH", description = "Validation data (default: a seeded stratified share of --train).")
    Path valid;

    @Option(names = "--valid-fraction", defaultValue = "0.1", description = "Share of --train held out when --valid is absent (default: ${DEFAULT-VALUE}).")
    double validFraction;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Model directory to write (refused if it exists, unless --overwrite).")
    Path output;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "Training batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.01", description = "Base learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--head", defaultValue = "linear", paramLabel = "linear|mlp", description = "Head (default: ${DEFAULT-VALUE}).")
    String head;

    @Option(names = "--hidden", defaultValue = "256", description = "Hidden units of the mlp head (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--dropout", defaultValue = "0.1", description = "Dropout of the mlp head (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "adam|sgd", description = "adam, or sgd with momentum 0.9 (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--weight-decay", defaultValue = "0", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--schedule", defaultValue = "cosine", paramLabel = "cosine|step|constant", description = "Learning-rate schedule: cosine (10% warm-up), step (x0.5 every 5 epochs), constant (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--class-weights", description = "Weight classes by inverse frequency (imbalanced labels).")
    boolean classWeights;

    @Option(names = "--early-stopping", defaultValue = "macro_f1", paramLabel = "macro_f1|accuracy|loss", description = "Validation metric that picks the kept epoch (default: ${DEFAULT-VALUE}).")
    String earlyStopping;

    @Option(names = "--patience", defaultValue = "0", description = "Early stopping: stop after N epochs without improvement of --early-stopping and keep the best epoch; 0 = run all epochs, keep the last (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--seed", defaultValue = "42", description = "Seed: same seed, data and options give the same model (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--resume", description = "Continue from the checkpoint in OUTPUT.checkpoint/ after an interruption.")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace an existing output directory.")
    boolean overwrite;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        if (!"text-classification".equals(task)) {
            if ("image-classification".equals(task)) {
                throw new InvalidInputException("--task image-classification is not available in this build yet "
                        + "(it needs the image pipeline); use text-classification");
            }
            throw new InvalidInputException("Unknown --task '" + task + "': expected text-classification or image-classification");
        }
        AtomicDirectory.refuseExisting(output.toAbsolutePath(), overwrite);
        TrainingConfig cfg = TrainingConfig.builder().epochs(epochs).batchSize(batchSize).learningRate(lr)
                .optimizer(Optimizer.parse(optimizer)).weightDecay(weightDecay).schedule(LrSchedule.parse(schedule))
                .balancedClassWeights(classWeights).earlyStopping(earlyStopping, patience).seed(seed).build();
        TextDataset trainData = Datasets.read(train).requireTrainable();
        Path checkpoints = checkpointDir(output);
        TextClassificationTrainer t = FineTuning.textClassification()
                .backbone(backbone, modelArgs.options(32))
                .train(trainData)
                .head(Head.parse(head, hidden, dropout))
                .config(cfg)
                .checkpointDir(checkpoints)
                .resume(resume);
        if (valid != null) {
            t.validation(Datasets.read(valid));
        } else {
            t.validation(validFraction);
        }
        if (!quiet) {
            t.listener(TrainingListeners.progressBar());
        }
        try (TrainedTextClassifier clf = t.fit()) {
            clf.save(output, overwrite);
            AtomicDirectory.deleteTree(checkpoints);
            System.out.println(new ObjectMapper().writeValueAsString(clf.validationMetrics().toMap()));
        }
        return 0;
    }

    /** {@code OUTPUT.checkpoint}, beside the output directory. */
    static Path checkpointDir(Path output) {
        Path abs = output.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + ".checkpoint");
    }
}
