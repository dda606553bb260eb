package dev.nnsdk.training;

import dev.nnsdk.training.config.TrainingConfig;

/**
 * Entry point for fine-tuning a classification head on a frozen pretrained backbone.
 *
 * <pre>{@code
 * try (TrainedTextClassifier clf = FineTuning.textClassification()
 *         .setBackbone("all-minilm-l6-v2")                   // frozen; ModelOptions pick its engine
 *         .setTrainingData(Datasets.read(Path.of("train.jsonl")))
 *         .optValidation(0.1)                               // or a second dataset
 *         .optHead(Head.linear())                           // L-BFGS on standardised features, L2 picked on validation
 *         .optConfig(TrainingConfig.builder().optSeed(42).build())
 *         .optListener(TrainingListeners.progressBar())
 *         .fit()) {                                          // features extracted once, cached
 *     clf.save(Path.of("out/sentiment"));                   // atomic, with provenance and metrics
 * }
 * }</pre>
 *
 * <p>Text classification can train the backbone too ({@code optBackboneTraining(BackboneTraining.builder()
 * .setLayers("last:2").build())}, TorchScript backbones on engine {@code djl}); see docs/finetuning.md.
 */
public final class FineTuning {
    private FineTuning() {
    }

    /** A trainer for text classification (backbone: a text embedding model). */
    public static TextClassificationTrainer textClassification() {
        return new TextClassificationTrainer();
    }

    /** A trainer for image classification (backbone: an image model with a {@code features} output). */
    public static ImageClassificationTrainer imageClassification() {
        return new ImageClassificationTrainer();
    }

    /** A trainer for recommendation (interactions + item texts through a frozen text encoder). */
    public static dev.nnsdk.training.recommend.RecommendationTrainer recommendation() {
        return new dev.nnsdk.training.recommend.RecommendationTrainer();
    }
}
