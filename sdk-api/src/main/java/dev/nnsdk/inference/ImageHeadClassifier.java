package dev.nnsdk.inference;

import dev.nnsdk.format.HeadWeights;

import dev.nnsdk.ModelLoadException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.image.Image;
import dev.nnsdk.image.ImageDecoder;
import dev.nnsdk.repository.HeadSpec;
import dev.nnsdk.repository.ModelDescriptor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A fine-tuned image classifier: the frozen backbone's {@code features} output followed by a
 * plain-Java {@link HeadWeights}. The backbone runs on whichever engine the options pick; the head needs
 * no engine at all.
 */
final class ImageHeadClassifier implements ImageClassifier {

    private final ImageClassifier backbone;
    private final HeadWeights head;
    private final List<String> labels;
    private final ModelDescriptor descriptor;

    /**
     * Wraps a backbone (which must have a features output) and a head; the classifier owns and
     * closes the backbone.
     */
    public ImageHeadClassifier(ImageClassifier backbone, HeadWeights head, List<String> labels, ModelDescriptor descriptor) {
        this.backbone = Objects.requireNonNull(backbone, "backbone");
        this.head = Objects.requireNonNull(head, "head");
        if (labels.size() != head.numClasses()) {
            throw new ModelLoadException("The head predicts " + head.numClasses() + " classes but " + labels.size()
                    + " labels are given");
        }
        this.labels = Collections.unmodifiableList(new ArrayList<String>(labels));
        this.descriptor = descriptor == null ? backbone.descriptor() : descriptor;
    }

    /** Loads the backbone and the head a fine-tuned image descriptor names. */
    public static ImageClassifier create(ModelDescriptor d, ModelOptions options) {
        HeadSpec spec = d.head();
        if (spec == null) {
            throw new ModelLoadException("Model '" + d.id() + "' has no classification head");
        }
        if (d.image() == null || d.image().featuresOutput() == null) {
            throw new ModelLoadException("Model '" + d.id() + "': its backbone names no features output (image.features), "
                    + "so the head has nothing to read");
        }
        HeadWeights head = HeadWeights.read(spec);
        ImageClassifier b = ImageClassifierImpl.create(d, options);
        try {
            return new ImageHeadClassifier(b, head, spec.labels(), d);
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public List<Classification> classify(Image image, int k) {
        return classifyAll(Collections.singletonList(Objects.requireNonNull(image, "image")), k).get(0);
    }

    @Override
    public List<Classification> classify(Path imageFile, int k) {
        Objects.requireNonNull(imageFile, "imageFile");
        return classify(ImageDecoder.get().decode(imageFile), k);
    }

    @Override
    public List<List<Classification>> classifyAll(List<Image> images, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        List<List<Classification>> out = new ArrayList<List<Classification>>(images.size());
        for (float[] p : probabilities(images)) {
            out.add(Classification.top(p, labels, k));
        }
        return out;
    }

    /** Class probabilities of each image, in input order. */
    public List<float[]> probabilities(List<Image> images) {
        List<float[]> features = backbone.featuresAll(images);
        List<float[]> out = new ArrayList<float[]>(features.size());
        for (float[] f : features) {
            if (f.length != head.inputSize()) {
                throw new ModelLoadException("Model '" + descriptor.id() + "': the backbone gives " + f.length
                        + "-d features but the head takes " + head.inputSize());
            }
            out.add(head.probabilities(f));
        }
        return out;
    }

    @Override
    public float[] features(Image image) {
        return backbone.features(image);
    }

    @Override
    public List<float[]> featuresAll(List<Image> images) {
        return backbone.featuresAll(images);
    }

    /** The head (plain Java). */
    public HeadWeights head() {
        return head;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public String engine() {
        return backbone.engine();
    }

    @Override
    public void close() {
        backbone.close();
    }
}
