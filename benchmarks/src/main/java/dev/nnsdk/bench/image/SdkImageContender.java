package dev.nnsdk.bench.image;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.image.Image;
import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.ImageClassifier;

import java.util.ArrayList;
import java.util.List;

/** The SDK's public API: {@link ImageClassifier#classifyAll} with k = every class. */
public final class SdkImageContender implements ImageContender {
    private final ImageClassifier classifier;
    private final int classes;

    public SdkImageContender(String modelId, String engine, int threads, int batchSize) {
        this.classifier = ImageClassifier.load(modelId, ModelOptions.builder().optEngine(engine).optThreads(threads)
                .optBatchSize(batchSize).build());
        this.classes = classifier.labels().size();
        if (classes == 0) {
            classifier.close();
            throw new IllegalArgumentException("Model '" + modelId + "' has no labels; the image bench needs a classifier");
        }
    }

    @Override
    public String name() {
        return "sdk-" + classifier.engine();
    }

    @Override
    public List<float[]> probabilities(List<Image> images) {
        List<List<Classification>> all = classifier.classifyAll(images, Math.max(1, classes));
        List<float[]> out = new ArrayList<float[]>(all.size());
        for (List<Classification> top : all) {
            float[] p = new float[top.size()];
            for (Classification c : top) {
                p[c.index()] = c.score();
            }
            out.add(p);
        }
        return out;
    }

    @Override
    public void close() {
        classifier.close();
    }
}
