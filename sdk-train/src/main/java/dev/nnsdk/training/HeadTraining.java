package dev.nnsdk.training;

import dev.nnsdk.training.config.TrainingConfig;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.training.head.Head;
import dev.nnsdk.training.internal.FeatureCache;
import dev.nnsdk.training.listener.TrainingListener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settings every head fine-tuning run shares, whatever its input: the backbone's engine
 * options, the validation share, the head, the training configuration, listeners, checkpoints and
 * the feature cache. {@link TextClassificationTrainer} and {@link ImageClassificationTrainer} add
 * their backbone and data; each setter returns the trainer itself for chaining.
 *
 * @param <T> the concrete trainer
 * @param <B> the backbone type a caller can share ({@code TextEmbedder}, {@code ImageClassifier})
 * @param <D> the dataset type ({@code TextDataset}, {@code ImageDataset})
 */
public abstract class HeadTraining<T extends HeadTraining<T, B, D>, B, D> {
    String backbone;
    B sharedBackbone;
    D train;
    D validation;
    ModelOptions options = ModelOptions.defaults();
    double validationFraction = 0.1;
    Head head = Head.auto();
    TrainingConfig config = TrainingConfig.defaults();
    final List<TrainingListener> listeners = new ArrayList<TrainingListener>();
    Path checkpointDir;
    boolean resume;
    FeatureCache cache = new FeatureCache();

    /**
     * The head a backbone-training run trains with the backbone: always linear; the default ({@link Head#auto()})
     * means linear there, an MLP head is refused.
     */
    Head backboneTrainingHead() {
        if (!"linear".equals(head.type()) && !head.isAuto()) {
            throw new dev.nnsdk.InvalidInputException("--train-backbone trains a linear head with the backbone; got a "
                    + head.type() + " head (use --head linear)");
        }
        return Head.linear();
    }

    HeadTraining(String defaultBackbone) {
        this.backbone = defaultBackbone;
    }

    abstract T self();

    /** The id a shared backbone is recorded under. */
    abstract String idOf(B sharedBackbone);

    /** Forgets a separate validation dataset (a share of the training data is used instead). */
    void clearValidationData() {
        this.validation = null;
    }

    /**
     * An already loaded backbone, shared with the caller: it stays open after training and when the returned
     * classifier is closed (close it yourself). Saves reloading it for several runs.
     */
    public T setBackbone(B shared) {
        this.sharedBackbone = Objects.requireNonNull(shared, "backbone");
        this.backbone = idOf(shared);
        return self();
    }

    /** @deprecated renamed setBackbone; kept for existing callers. */
    @Deprecated
    public T backbone(B shared) {
        return setBackbone(shared);
    }

    /** The training examples (required). */
    public T setTrainingData(D train) {
        this.train = Objects.requireNonNull(train, "train");
        return self();
    }

    /** @deprecated renamed setTrainingData; kept for existing callers. */
    @Deprecated
    public T train(D train) {
        return setTrainingData(train);
    }

    /** A separate validation dataset (instead of a share of the training data). */
    public T optValidation(D validation) {
        this.validation = Objects.requireNonNull(validation, "validation");
        return self();
    }

    /** @deprecated renamed optValidation; kept for existing callers. */
    @Deprecated
    public T validation(D validation) {
        return optValidation(validation);
    }

    /**
     * The frozen backbone: a zoo id or a model directory (text: any text embedder, default {@code all-minilm-l6-v2};
     * images: a model whose descriptor names a {@code features} output, default {@code mobilenet-v2-nsfw}).
     */
    public T setBackbone(String idOrPath) {
        this.backbone = Objects.requireNonNull(idOrPath, "backbone");
        return self();
    }

    /** @deprecated renamed setBackbone; kept for existing callers. */
    @Deprecated
    public T backbone(String idOrPath) {
        return setBackbone(idOrPath);
    }

    /** The backbone and the engine / device / batch size that compute its features. */
    public T setBackbone(String idOrPath, ModelOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return setBackbone(idOrPath);
    }

    /** @deprecated renamed setBackbone; kept for existing callers. */
    @Deprecated
    public T backbone(String idOrPath, ModelOptions options) {
        return setBackbone(idOrPath, options);
    }

    /** A seeded stratified share of the training data held out for validation (default 0.1). */
    public T optValidation(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
        }
        clearValidationData();
        this.validationFraction = fraction;
        return self();
    }

    /** @deprecated renamed optValidation; kept for existing callers. */
    @Deprecated
    public T validation(double fraction) {
        return optValidation(fraction);
    }

    /**
     * {@link Head#auto()} (default: the tuned linear head and a small seeded MLP search, the best on the validation
     * split kept; {@link TrainingConfig#headSearch()}), {@link Head#linear()} or {@link Head#mlp(int)} with dropout.
     */
    public T optHead(Head head) {
        this.head = Objects.requireNonNull(head, "head");
        return self();
    }

    /** @deprecated renamed optHead; kept for existing callers. */
    @Deprecated
    public T head(Head head) {
        return optHead(head);
    }

    public T optConfig(TrainingConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        return self();
    }

    /** @deprecated renamed optConfig; kept for existing callers. */
    @Deprecated
    public T config(TrainingConfig config) {
        return optConfig(config);
    }

    public T optListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return self();
    }

    /** @deprecated renamed optListener; kept for existing callers. */
    @Deprecated
    public T listener(TrainingListener listener) {
        return optListener(listener);
    }

    /** Where to save a checkpoint after every epoch (default: none). */
    public T optCheckpointDir(Path dir) {
        this.checkpointDir = dir;
        return self();
    }

    /** @deprecated renamed optCheckpointDir; kept for existing callers. */
    @Deprecated
    public T checkpointDir(Path dir) {
        return optCheckpointDir(dir);
    }

    /** Continue from the checkpoint in {@link #checkpointDir(Path)} when there is one. */
    public T optResume(boolean resume) {
        this.resume = resume;
        return self();
    }

    /** @deprecated renamed optResume; kept for existing callers. */
    @Deprecated
    public T resume(boolean resume) {
        return optResume(resume);
    }

    /** Where features are cached (default {@code <cache>/features} on disk plus memory). */
    public T optFeatureCache(FeatureCache cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
        return self();
    }

    /** @deprecated renamed optFeatureCache; kept for existing callers. */
    @Deprecated
    public T featureCache(FeatureCache cache) {
        return optFeatureCache(cache);
    }

    /**
     * Fails when there are no validation examples, naming what the user gave: the validation data they passed, or
     * (when none was passed) the training data the validation split was drawn from, never the split as if it had
     * been passed.
     */
    void requireValidationExamples(String trainingName, String validationName, int validationSize,
            java.util.Map<String, Integer> trainingCounts) {
        if (validationSize > 0) {
            return;
        }
        if (validation != null) {
            throw new dev.nnsdk.InvalidInputException("Validation data " + validationName + " has no examples");
        }
        throw new dev.nnsdk.InvalidInputException("No validation split can be drawn from " + trainingName
                + ": every label has a single example " + trainingCounts + ", and a label gives examples to validation"
                + " only when it has 2 or more (one always stays for training). Pass separate validation data"
                + " (optValidation(dataset); on the command line --valid) or more examples per label");
    }
}
