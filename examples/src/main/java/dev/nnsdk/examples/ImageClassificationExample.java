package dev.nnsdk.examples;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.ImageClassifier;
import dev.nnsdk.training.FineTuning;
import dev.nnsdk.training.TrainedImageClassifier;
import dev.nnsdk.training.TrainingConfig;
import dev.nnsdk.training.data.Augmentation;
import dev.nnsdk.training.data.ImageDataset;
import dev.nnsdk.training.head.Head;
import dev.nnsdk.training.listener.TrainingListeners;

import java.nio.file.Path;
import java.util.List;

/**
 * Fine-tunes a clothing classifier on Fashion-MNIST with a frozen MobileNetV2, saves it, and loads
 * it back on the other engine. A folder with one sub-folder per class works the same way:
 * {@code ImageDataset.read(Path.of("photos/train"))}.
 *
 * <pre>
 * SDK_ASSETS_DIR=/path/to/assets java -cp "sdk-cli/target/sdk-cli.jar:sdk-cli/target/lib/*" \
 *     dev.nnsdk.examples.ImageClassificationExample [train-images-idx3-ubyte.gz | class-folder-dir] [output-dir]
 * </pre>
 */
public final class ImageClassificationExample {

    public static void main(String[] args) {
        Path data = Path.of(args.length > 0 ? args[0]
                : System.getenv("SDK_ASSETS_DIR") + "/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
        Path out = Path.of(args.length > 1 ? args[1] : "out/fashion");

        // 1. Data: an IDX file (class names from labels.txt beside it) or class folders; unreadable images are skipped.
        ImageDataset images = ImageDataset.read(data).first(2_000);
        ImageDataset.Split split = images.stratifiedSplit(0.2, 42);

        // 2. A linear head on MobileNetV2's 1280-d "features" output; each image (and each augmented copy)
        //    goes through the backbone once, then epochs run over cached features.
        try (TrainedImageClassifier clf = FineTuning.imageClassification()
                .backbone("mobilenet-v2-nsfw", ModelOptions.builder().optEngine("onnx").build())
                .train(split.train())
                .augmentation(Augmentation.builder().optFlip(true).optRotation(10).optCopies(1).build())
                .head(Head.linear())
                .config(TrainingConfig.builder().epochs(10).learningRate(0.01).seed(42).build())
                .listener(TrainingListeners.progressBar())
                .fit()) {
            System.out.println("validation: " + clf.validationMetrics());
            System.out.println("test:       " + clf.evaluate(split.validation()));
            clf.save(out, true);                                  // atomic; metrics, history and plots inside
        }

        // 3. Use the saved model on the other engine: same labels, no training libraries needed.
        try (ImageClassifier loaded = ImageClassifier.load(out, ModelOptions.builder().optEngine("djl").build())) {
            List<Classification> top = loaded.classify(split.validation().examples().get(0).load(), 3);
            System.out.println(split.validation().examples().get(0).label() + " -> " + top);
        }
    }
}
