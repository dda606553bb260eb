package dev.nnsdk.inference;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.image.Image;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;

import java.nio.file.Path;
import java.util.List;

/**
 * Classifies images with a pretrained model; resize, crop, normalisation and layout come from the
 * model's descriptor ({@link dev.nnsdk.repository.ImageSpec}), never from the caller.
 *
 * <pre>{@code
 * try (ImageClassifier clf = ImageClassifier.load("mobilenet-v2-nsfw")) {
 *     List<Classification> top = clf.classify(Path.of("dog.jpg"), 3);   // best first
 * }
 * // A model the user brings: a directory with the model file and a model.json descriptor.
 * try (ImageClassifier clf = ImageClassifier.load(Path.of("models/my-resnet"))) { ... }
 * // A head fine-tuned on a frozen backbone (a directory saved by fine-tuning), on either engine.
 * try (ImageClassifier clf = ImageClassifier.load(Path.of("out/fashion"), ModelOptions.builder().optEngine("djl").build())) { ... }
 * }</pre>
 *
 * Thread-safe: share one instance between threads. Close it to free native memory. On Android,
 * build {@link Image}s from pixels ({@link Image#fromArgb}) and use the {@code Image} overloads.
 */
public interface ImageClassifier extends AutoCloseable {

    /** Loads a zoo model by id (or a local path) with default options. */
    static ImageClassifier load(String idOrPath) {
        return load(idOrPath, ModelOptions.defaults());
    }

    /** Loads a zoo model by id (or a local path) with the given engine, device, threads and batch size. */
    static ImageClassifier load(String idOrPath, ModelOptions options) {
        return load(ModelRepository.resolve(idOrPath), options);
    }

    /** Loads a model directory (model file plus {@code model.json}) the user brings. */
    static ImageClassifier load(Path path) {
        return load(path, ModelOptions.defaults());
    }

    static ImageClassifier load(Path path, ModelOptions options) {
        return load(ModelRepository.resolve(path), options);
    }

    /** Loads the model a descriptor describes. */
    static ImageClassifier load(ModelDescriptor descriptor, ModelOptions options) {
        if (descriptor.head() != null) {
            return ImageHeadClassifier.create(descriptor, options);
        }
        return ImageClassifierImpl.create(descriptor, options);
    }

    /**
     * A classifier that runs {@code head} on the {@link #features} of {@code backbone} (which must have a features
     * output); it owns and closes the backbone. Fine-tuning uses it for the model it has just trained.
     *
     * <pre>{@code
     * ImageClassifier clf = ImageClassifier.withHead(ImageClassifier.load("mobilenet-v2-nsfw"), weights, labels, null);
     * }</pre>
     *
     * @param descriptor what {@link #descriptor()} reports, or {@code null} for the backbone's
     * @throws dev.nnsdk.ModelLoadException when the head's class count differs from the number of labels
     */
    static ImageClassifier withHead(ImageClassifier backbone, dev.nnsdk.format.HeadWeights head, List<String> labels,
                                    ModelDescriptor descriptor) {
        return new ImageHeadClassifier(backbone, head, labels, descriptor);
    }

    /** The {@code k} most probable classes of an image, best first ({@code k} is capped at the number of classes). */
    List<Classification> classify(Image image, int k);

    /**
     * Decodes an image file with the {@link dev.nnsdk.image.ImageDecoder} on the class path and classifies it.
     *
     * @throws dev.nnsdk.InvalidInputException naming the file when it cannot be decoded
     */
    List<Classification> classify(Path imageFile, int k);

    /** The top {@code k} of each image, in input order, computed in batches. */
    List<List<Classification>> classifyAll(List<Image> images, int k);

    /** The backbone's feature vector of an image (the descriptor's {@code features} output). */
    float[] features(Image image);

    /** The feature vectors of many images, in input order, computed in batches. */
    List<float[]> featuresAll(List<Image> images);

    /** Class names in output order. */
    List<String> labels();

    /** What was loaded. */
    ModelDescriptor descriptor();

    /** The engine running the model ({@code onnx} or {@code djl}). */
    String engine();

    /** Frees native memory; idempotent. Calls after close throw {@link IllegalStateException}. */
    @Override
    void close();
}
