package dev.nnsdk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.training.FineTuning;
import dev.nnsdk.training.ImageClassificationTrainer;
import dev.nnsdk.training.TrainedImageClassifier;
import dev.nnsdk.training.config.BackboneTraining;
import dev.nnsdk.training.config.LrSchedule;
import dev.nnsdk.training.config.Optimizer;
import dev.nnsdk.training.TextClassificationTrainer;
import dev.nnsdk.training.TrainedTextClassifier;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.data.Augmentation;
import dev.nnsdk.training.data.Datasets;
import dev.nnsdk.training.data.ImageDataset;
import dev.nnsdk.training.data.TextDataset;
import dev.nnsdk.training.head.Head;
import dev.nnsdk.io.AtomicDirectory;
import dev.nnsdk.training.listener.TrainingListeners;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code finetune}: trains a classification head on a frozen backbone and saves the model
 * directory. Progress goes to stderr; the last stdout line is one JSON object of validation metrics.
 * A checkpoint is kept in {@code OUTPUT.checkpoint/} until the model is saved; {@code --resume}
 * continues from it.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class, description = "Fine-tune a classification head on a frozen backbone (or, with --train-backbone, the backbone too); prints validation metrics as JSON.")
final class FinetuneCommand implements Callable<Integer> {

    @Option(names = "--task", required = true, paramLabel = "TASK", description = "text-classification or image-classification (recommendation: see docs/recommendation.md).")
    String task;

    @Option(names = "--backbone", paramLabel = "ID|PATH", description = "Frozen backbone: zoo id or model directory (default: all-minilm-l6-v2 for text, mobilenet-v2-nsfw for images).")
    String backbone;

    @Mixin
    ModelArgs modelArgs;

    @Option(names = "--train", required = true, paramLabel = "PATH", description = "Training data. Text: .jsonl or .csv (optionally .gz) with text and label fields. Images: a directory with one sub-folder per class (PNG/JPEG), or an IDX images file (MNIST format, optionally .gz) beside its labels file.")
    Path train;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N training examples (e.g. the first 10,000 of Fashion-MNIST).")
    Integer limit;

    @Option(names = "--augment", paramLabel = "SPEC", description = "Images: augmented copies of each training image, e.g. flip,rotation=10,shift=0.1,zoom=0.1,copies=2 (default: none). With --train-backbone every training image is transformed afresh each epoch (no copies).")
    String augment;

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

    @Option(names = "--head", paramLabel = "auto|linear|mlp", description = "auto (the default): the tuned linear head and a small seeded search of MLP heads, the one with the lowest validation log-loss kept; linear; or mlp. Without --head, any of --l2, --no-tune, --solver, --hidden, --dropout, --epochs, --lr, --optimizer, --schedule, --weight-decay, --batch-size, --early-stopping, --patience means --head linear, as before.")
    String head;

    @Option(names = "--hidden", defaultValue = "256", description = "Hidden units of the mlp head (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--dropout", defaultValue = "0.1", description = "Dropout of the mlp head (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "adam|sgd", description = "adam, or sgd with momentum 0.9 (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--solver", defaultValue = "auto",
            description = "auto (L-BFGS on standardised features for a linear head, mini-batch epochs for an MLP), lbfgs or sgd (default: ${DEFAULT-VALUE}).")
    String solver;

    @Option(names = "--l2", description = "L2 strength of the L-BFGS linear head; unset: picked on the validation split (--tune).")
    Double l2;

    @Option(names = "--tune", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Pick an unset --l2 on the validation split by a small deterministic search (default: on; --no-tune uses C = 1).")
    boolean tune;

    @Option(names = "--weight-decay", defaultValue = "0", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--schedule", defaultValue = "cosine", paramLabel = "cosine|step|constant", description = "Learning-rate schedule: cosine (10%% warm-up), step (x0.5 every 5 epochs), constant (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--class-weights", description = "Weight classes by inverse frequency (imbalanced labels).")
    boolean classWeights;

    @Option(names = "--early-stopping", defaultValue = "macro_f1", paramLabel = "macro_f1|accuracy|loss", description = "Validation metric that picks the kept epoch (default: ${DEFAULT-VALUE}).")
    String earlyStopping;

    @Option(names = "--patience", defaultValue = "0", description = "Early stopping: stop after N epochs without improvement of --early-stopping and keep the best epoch; 0 = run all epochs, keep the last (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--seed", defaultValue = "42", description = "Seed: same seed, data and options give the same model (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--train-backbone", defaultValue = "none", paramLabel = "none|last:N|all",
            description = "Train the backbone too (TorchScript backbone, engine djl): none (default: a head on the frozen backbone), last:N (the top N layers; images: the top N blocks plus the final 1x1 convolution) or all. See docs/finetuning.md.")
    String trainBackbone;

    @Option(names = "--backbone-lr", defaultValue = "5e-5", description = "--train-backbone: peak learning rate of the backbone (default: ${DEFAULT-VALUE}).")
    double backboneLr;

    @Option(names = "--head-lr", paramLabel = "LR", description = "--train-backbone: peak learning rate of the head (default: 1e-3 for text, whose features are L2-normalised; 1e-4 for images, whose features are not).")
    Double headLr;

    @Option(names = "--layer-decay", defaultValue = "1.0", description = "--train-backbone: learning-rate factor per layer below the top one, in (0, 1] (default: ${DEFAULT-VALUE}, none).")
    double layerDecay;

    @Option(names = "--clip", defaultValue = "1.0", description = "--train-backbone: global gradient-norm clip, > 0 (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--micro-batch", defaultValue = "0", description = "--train-backbone: examples per forward pass; gradients are accumulated up to --batch-size (default: ${DEFAULT-VALUE} = the batch size).")
    int microBatch;

    @Option(names = "--max-length", defaultValue = "0", description = "--train-backbone: word pieces per text (default: ${DEFAULT-VALUE} = the backbone's maximum).")
    int maxLength;

    @Option(names = "--windows", paramLabel = "N", description = "Text, frozen backbone: texts longer than the backbone's maximum length are embedded as the mean of up to N >= 2 consecutive windows (kept in the saved model, so predict, evaluate and export-onnx do the same); 0 truncates them. Default: 8 when some training text is that long, else 0; 0 with --train-backbone.")
    Integer windows;

    @Option(names = "--batchnorm", defaultValue = "affine", paramLabel = "affine|frozen", description = "--train-backbone, images: affine (default: BatchNorm scale and shift of the trained blocks train) or frozen. Running statistics never change (the traced module runs batch_norm in eval mode).")
    String batchNorm;

    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "STEPS", description = "--train-backbone: also checkpoint every N optimizer steps inside an epoch (default: ${DEFAULT-VALUE}, after each epoch only).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue from the checkpoint in OUTPUT.checkpoint/ after an interruption.")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace an existing output directory.")
    boolean overwrite;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    /** Options that set how one head trains: given without --head, they mean --head linear (their meaning before auto). */
    static final String[] HEAD_SETTINGS = {"--l2", "--tune", "--no-tune", "--solver", "--hidden", "--dropout", "--epochs",
        "--lr", "--optimizer", "--schedule", "--weight-decay", "--batch-size", "--early-stopping", "--patience"};

    private BackboneTraining backboneTraining = BackboneTraining.none();

    @Override
    public Integer call() throws IOException {
        boolean image = "image-classification".equals(task);
        if (!image && !"text-classification".equals(task)) {
            throw new InvalidInputException("Unknown --task '" + task + "': expected text-classification, "
                    + "image-classification or recommendation");
        }
        if (augment != null && !image) {
            throw new InvalidInputException("--augment applies to --task image-classification only");
        }
        if (limit != null && limit < 1) {
            throw new InvalidInputException("--limit must be at least 1, got " + limit);
        }
        AtomicDirectory.refuseExisting(output.toAbsolutePath(), overwrite);
        TrainingConfig.Builder cb = TrainingConfig.builder().epochs(epochs).batchSize(batchSize).learningRate(lr)
                .optimizer(Optimizer.parse(optimizer)).weightDecay(weightDecay).schedule(LrSchedule.parse(schedule))
                .balancedClassWeights(classWeights).earlyStopping(earlyStopping, patience).seed(seed)
                .optSolver(solver).optTune(tune && l2 == null);
        if (l2 != null) {
            cb.optL2(l2);
        }
        TrainingConfig cfg = cb.build();
        Head h = Head.parse(head != null ? head : headSettingGiven() ? "linear" : "auto", hidden, dropout);
        BackboneTraining bt = BackboneTraining.builder().setLayers(trainBackbone).optBackboneLearningRate(backboneLr)
                .optHeadLearningRate(headLr != null ? headLr : image ? 1e-4 : 1e-3).optLayerDecay(layerDecay).optClipNorm(clip).optMicroBatch(microBatch)
                .optMaxLength(maxLength).optWeightDecay(weightDecay).optCheckpointEverySteps(checkpointEvery)
                .optThreads(modelArgs.threads).optBatchNorm(batchNorm).build();
        if (bt.enabled() && image && maxLength != 0) {
            throw new InvalidInputException("--max-length applies to text backbones; an image backbone takes the "
                    + "images at its own input size");
        }
        this.backboneTraining = bt;
        Path checkpoints = checkpointDir(output);
        if (image && windows != null) {
            throw new InvalidInputException("--windows applies to text classification, not to images");
        }
        String metrics = image ? trainImages(cfg, h, checkpoints) : trainTexts(cfg, h, checkpoints);
        AtomicDirectory.deleteTree(checkpoints);
        System.out.println(metrics);
        return 0;
    }

    private String trainTexts(TrainingConfig cfg, Head h, Path checkpoints) throws IOException {
        TextDataset trainData = Datasets.read(train);
        if (limit != null) {
            trainData = new TextDataset(trainData.name(), trainData.examples().subList(0, Math.min(limit, trainData.size())));
        }
        TextClassificationTrainer t = FineTuning.textClassification()
                .backbone(backbone == null ? "all-minilm-l6-v2" : backbone, modelArgs.options(32))
                .train(trainData.requireTrainable())
                .head(h)
                .config(cfg)
                .checkpointDir(checkpoints)
                .resume(resume)
                .optBackboneTraining(backboneTraining);
        if (windows != null) {
            t.optWindows(windows);
        }
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
            return new ObjectMapper().writeValueAsString(clf.validationMetrics().toMap());
        }
    }

    private String trainImages(TrainingConfig cfg, Head h, Path checkpoints) throws IOException {
        ImageDataset trainData = ImageDataset.read(train);
        if (limit != null) {
            trainData = trainData.first(limit);
        }
        ImageClassificationTrainer t = FineTuning.imageClassification()
                .backbone(backbone == null ? "mobilenet-v2-nsfw" : backbone, modelArgs.options(32))
                .train(trainData.requireTrainable())
                .augmentation(augment == null ? Augmentation.none() : Augmentation.parse(augment))
                .head(h)
                .config(cfg)
                .checkpointDir(checkpoints)
                .resume(resume)
                .optBackboneTraining(backboneTraining);
        if (valid != null) {
            t.validation(ImageDataset.read(valid));
        } else {
            t.validation(validFraction);
        }
        if (!quiet) {
            t.listener(TrainingListeners.progressBar());
        }
        try (TrainedImageClassifier clf = t.fit()) {
            clf.save(output, overwrite);
            return new ObjectMapper().writeValueAsString(clf.validationMetrics().toMap());
        }
    }

    /** Whether the command line names one of {@link #HEAD_SETTINGS}. */
    private boolean headSettingGiven() {
        if (spec == null || spec.commandLine() == null || spec.commandLine().getParseResult() == null) {
            return false;
        }
        for (String name : HEAD_SETTINGS) {
            if (spec.commandLine().getParseResult().hasMatchedOption(name)) {
                return true;
            }
        }
        return false;
    }

    /** {@code OUTPUT.checkpoint}, beside the output directory. */
    static Path checkpointDir(Path output) {
        Path abs = output.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + ".checkpoint");
    }
}
