package dev.nnsdk.bench.image;

import dev.nnsdk.image.Image;

import java.util.List;

/**
 * One way of classifying decoded images that {@link ImageBench} can time: the SDK's
 * {@code ImageClassifier}, or the raw engine API on the same model file.
 */
public interface ImageContender extends AutoCloseable {

    /** A short label for reports, e.g. {@code sdk-onnx}, {@code raw-ort}, {@code raw-djl}. */
    String name();

    /** Class probabilities of every image, in the model's label order and input order. */
    List<float[]> probabilities(List<Image> images);

    @Override
    void close();
}
