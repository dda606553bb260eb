package dev.nnsdk.examples;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.TextClassifier;
import dev.nnsdk.training.FineTuning;
import dev.nnsdk.training.TrainedTextClassifier;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.data.Datasets;
import dev.nnsdk.training.data.TextDataset;
import dev.nnsdk.training.head.Head;
import dev.nnsdk.training.listener.TrainingListeners;

import java.nio.file.Path;

/**
 * Fine-tunes a sentiment classifier on IMDB reviews, saves it, and loads it back.
 *
 * <pre>
 * SDK_ASSETS_DIR=/path/to/assets java -cp "sdk-cli/target/sdk-cli.jar:sdk-cli/target/lib/*" \
 *     dev.nnsdk.examples.TextClassificationExample [reviews.jsonl.gz] [output-dir]
 * </pre>
 */
public final class TextClassificationExample {

    public static void main(String[] args) {
        Path data = Path.of(args.length > 0 ? args[0] : System.getenv("SDK_ASSETS_DIR") + "/datasets/imdb/reviews.jsonl.gz");
        Path out = Path.of(args.length > 1 ? args[1] : "out/sentiment");

        // 1. Data: JSON Lines {"text":..., "label":...}. The file is sorted by label, so sample stratified.
        TextDataset reviews = Datasets.read(data).stratifiedSample(1_000, 42);
        TextDataset.Split split = reviews.stratifiedSplit(0.2, 42);

        // 2. Train a linear head on the frozen MiniLM backbone (features are computed once and cached). The linear
        //    head is fitted to the optimum by L-BFGS, its L2 strength chosen on the validation split; epochs and
        //    learning rate apply to MLP heads, which overfit a thousand reviews (docs/finetuning.md).
        try (TrainedTextClassifier clf = FineTuning.textClassification()
                .backbone("all-minilm-l6-v2", ModelOptions.builder().optEngine("onnx").build())
                .train(split.train())
                .validation(0.1)
                .head(Head.linear())
                .config(TrainingConfig.builder().seed(42).build())
                .listener(TrainingListeners.progressBar())
                .fit()) {
            System.out.println("validation: " + clf.validationMetrics());
            System.out.println("test:       " + clf.evaluate(split.validation()));
            clf.save(out, true);                                  // atomic; metrics, history and plots inside
        }

        // 3. Use the saved model: needs only sdk-api, model-zoo and one engine (no training libraries).
        try (TextClassifier loaded = TextClassifier.load(out)) {
            Classification c = loaded.classify("A moving story with wonderful performances.");
            System.out.println(c.label() + " " + c.score());
        }
    }
}
