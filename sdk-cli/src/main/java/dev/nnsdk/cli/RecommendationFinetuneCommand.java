package dev.nnsdk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.training.FineTuning;
import dev.nnsdk.training.LrSchedule;
import dev.nnsdk.training.Optimizer;
import dev.nnsdk.training.TrainingConfig;
import dev.nnsdk.io.AtomicDirectory;
import dev.nnsdk.training.listener.TrainingListeners;
import dev.nnsdk.training.recommend.Interactions;
import dev.nnsdk.training.recommend.ItemCatalog;
import dev.nnsdk.training.recommend.RecommendationTrainer;
import dev.nnsdk.training.recommend.TrainedRecommender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code finetune --task recommendation}: trains the hybrid recommender, the BPR-MF and popularity
 * baselines and the cold-start run, saves the model directory, and prints the test metrics as one
 * JSON object on the last stdout line. {@link Cli#run} routes {@code finetune --task recommendation}
 * here (other tasks go to {@link FinetuneCommand}).
 */
@Command(name = "finetune", description = "Fine-tune a recommender on interactions and item texts (--task recommendation).")
public final class RecommendationFinetuneCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--task", defaultValue = "recommendation", description = "Task: recommendation (default).")
    String task;

    @Option(names = "--backbone", defaultValue = "all-minilm-l6-v2", paramLabel = "ID|PATH",
            description = "Frozen text encoder for item content (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Mixin
    ModelArgs modelArgs;

    @Option(names = "--train", required = true, paramLabel = "RATINGS.csv",
            description = "Interactions CSV (.csv or .csv.gz): userId,itemId (or movieId)[,rating][,timestamp].")
    Path train;

    @Option(names = "--items", required = true, paramLabel = "ITEMS.csv",
            description = "Item-content CSV (.csv or .csv.gz): itemId (or movieId) and text columns.")
    Path items;

    @Option(names = "--item-fields", split = ",", paramLabel = "F1,F2",
            description = "Text columns of the item file (default: every column but the id).")
    String[] itemFields;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Model directory to write (atomically).")
    Path output;

    @Option(names = "--overwrite", description = "Replace an existing output directory.")
    boolean overwrite;

    @Option(names = "--min-rating", paramLabel = "R", description = "Implicit feedback: keep only rows rated >= R (default: every row).")
    Double minRating;

    @Option(names = "--epochs", defaultValue = "40", description = "Maximum epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "1024", description = "Interactions per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.005", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam or sgd (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--schedule", defaultValue = "constant", description = "constant, cosine or step (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--dim", defaultValue = "64", description = "Embedding dimension (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--l2", defaultValue = "1e-4", description = "L2 on embedding rows and biases (default: ${DEFAULT-VALUE}).")
    double l2;

    @Option(names = "--weight-decay", defaultValue = "0", description = "Weight decay of the projection (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--patience", defaultValue = "5", description = "Early stopping on validation NDCG@10 after N epochs without improvement; 0 = never (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--cold-start", defaultValue = "0.1", paramLabel = "FRACTION",
            description = "Share of items held out for the cold-start evaluation; 0 = skip it (default: ${DEFAULT-VALUE}).")
    double coldStart;

    @Option(names = "--no-baselines", description = "Skip the BPR-MF baseline.")
    boolean noBaselines;

    @Option(names = "--no-item-embedding", description = "Content-only item vectors (no learned item embedding).")
    boolean noItemEmbedding;

    @Option(names = "--refit", description = "After early stopping, retrain on training + validation interactions for the best epoch count.")
    boolean refit;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Save a checkpoint after every epoch here.")
    Path checkpointDir;

    @Option(names = "--resume", description = "Continue from the checkpoints in --checkpoint-dir.")
    boolean resume;

    @Option(names = "--embed-batch-size", defaultValue = "64", description = "Texts per encoder call (default: ${DEFAULT-VALUE}).")
    int embedBatchSize;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    /** Whether a {@code finetune} command line asks for {@code --task recommendation}. */
    static boolean wants(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if ("--task=recommendation".equals(args[i])
                    || ("--task".equals(args[i]) && i + 1 < args.length && "recommendation".equals(args[i + 1]))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Integer call() throws Exception {
        if (!"recommendation".equals(task)) {
            throw new InvalidInputException("This command trains --task recommendation, not '" + task + "'");
        }
        if (resume && checkpointDir == null) {
            throw new InvalidInputException("--resume needs --checkpoint-dir");
        }
        AtomicDirectory.refuseExisting(output.toAbsolutePath(), overwrite);
        TrainingConfig cfg = TrainingConfig.builder().epochs(epochs).batchSize(batchSize).learningRate(lr)
                .optimizer(Optimizer.parse(optimizer)).schedule(LrSchedule.parse(schedule)).weightDecay(weightDecay)
                .earlyStopping(TrainingConfig.MACRO_F1, patience).seed(seed).build();
        Interactions data = minRating == null ? Interactions.csv(train) : Interactions.csv(train, minRating);
        ItemCatalog catalog = ItemCatalog.csv(items, itemFields == null ? new String[0] : itemFields);
        RecommendationTrainer t = FineTuning.recommendation()
                .interactions(data).items(catalog)
                .itemEncoder(backbone, modelArgs.options(embedBatchSize))
                .dimension(dim).l2(l2).baselineL2(l2).itemEmbedding(!noItemEmbedding).baselines(!noBaselines)
                .coldStart(coldStart).refit(refit).config(cfg).checkpointDir(checkpointDir).resume(resume);
        if (!quiet) {
            t.listener(TrainingListeners.progressBar());
        }
        try (TrainedRecommender rec = t.fit()) {
            rec.save(output, overwrite);
            System.out.println(JSON.writeValueAsString(rec.metrics()));
        }
        return 0;
    }
}
