package dev.nnsdk.it;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.image.Image;
import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.ImageClassifier;
import dev.nnsdk.format.HeadWeights;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ImageSpec;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import dev.nnsdk.training.FineTuning;
import dev.nnsdk.training.TrainedImageClassifier;
import dev.nnsdk.training.config.TrainingConfig;
import dev.nnsdk.training.data.ImageDataset;
import dev.nnsdk.training.data.ImageExample;
import dev.nnsdk.training.io.OnnxExporter;
import dev.nnsdk.training.metrics.ClassificationMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image fine-tuning acceptance on real data and a real backbone: Fashion-MNIST (first 10,000
 * training / first 2,000 test images, 28x28 grey upscaled to 224x224 by the backbone's own
 * preprocessing), MobileNetV2 {@code features} (1280-d) on ONNX Runtime, linear head. Then the
 * saved directory on both engines, and the exported single ONNX model against the saved model on
 * the whole test set.
 */
class ImageFineTuningTest {
    static final int TRAIN = 10_000;
    static final int TEST = 2_000;

    static ImageDataset fashion(String file, int n) {
        Path p = FineTuningAssets.require("datasets/fashion-mnist/" + file);
        return ImageDataset.read(p).first(n);
    }

    @Test
    void fashionMnistLinearHeadReachesTheBarAndExportsFaithfully(@TempDir Path tmp) throws Exception {
        ImageDataset train = fashion("train-images-idx3-ubyte.gz", TRAIN);
        ImageDataset test = fashion("t10k-images-idx3-ubyte.gz", TEST);
        ModelOptions onnx = ModelOptions.builder().optEngine("onnx").optBatchSize(32).build();
        Path saved = tmp.resolve("fashion");
        List<float[]> expected;
        try (TrainedImageClassifier clf = FineTuning.imageClassification()
                .backbone("mobilenet-v2-nsfw", onnx)
                .train(train)
                .validation(0.1)
                .config(TrainingConfig.builder().epochs(10).learningRate(0.01).seed(42).optSolver("sgd").build())  // the documented mini-batch run; the L-BFGS default is a benchmark (docs/finetuning.md)
                .fit()) {
            assertEquals(10, clf.labels().size(), "Fashion-MNIST has 10 classes: " + clf.labels());
            assertEquals("T-shirt/top", clf.labels().get(0), "class names come from labels.txt, in class-index order");
            ClassificationMetrics m = clf.evaluate(test);
            System.out.printf("Fashion-MNIST %d/%d test accuracy %.4f macro-F1 %.4f (validation %.4f)%n", TRAIN, TEST,
                    m.accuracy(), m.macroF1(), clf.validationMetrics().accuracy());
            assertEquals(TEST, m.total());
            assertTrue(m.accuracy() >= 0.80, "test accuracy " + m.accuracy() + " < 0.80");
            clf.save(saved);
            expected = clf.probabilities(test);
        }

        // The saved directory is a classifier on either engine, agreeing with each other.
        List<Image> few = new ArrayList<Image>();
        for (int i = 0; i < 24; i++) {
            few.add(test.examples().get(i).load());
        }
        try (ImageClassifier a = ImageClassifier.load(saved, onnx);
             ImageClassifier b = ImageClassifier.load(saved, ModelOptions.builder().optEngine("djl").build())) {
            assertEquals("djl", b.engine());
            List<List<Classification>> ra = a.classifyAll(few, 10);
            List<List<Classification>> rb = b.classifyAll(few, 10);
            for (int i = 0; i < few.size(); i++) {
                assertEquals(ra.get(i).get(0).label(), rb.get(i).get(0).label(), "image " + i + ": onnx vs djl");
                assertEquals(HeadWeights.argmax(expected.get(i)), ra.get(i).get(0).index(), "image " + i + ": loaded vs trained");
                for (Classification c : ra.get(i)) {
                    assertEquals(expected.get(i)[c.index()], c.score(), 1e-5, "image " + i + " class " + c.label());
                }
                for (Classification c : rb.get(i)) {
                    assertEquals(expected.get(i)[c.index()], c.score(), 1e-4, "image " + i + " class " + c.label() + " (djl)");
                }
            }
        }

        // One merged ONNX model (backbone features + head + softmax) gives the same labels on the whole test set.
        Path file = tmp.resolve("fashion.onnx");
        OnnxExporter.export(saved, file);
        ModelDescriptor sd = ModelRepository.resolve(saved);
        ImageSpec s = sd.image();
        // The file is a model by itself (issue 15 item 6): fashion.model.json beside it carries the preprocessing as JSON.
        ModelDescriptor exported = ModelRepository.resolve(file);
        ImageSpec e = exported.image();
        assertEquals(ModelDescriptor.IMAGE_CLASSIFICATION, exported.task());
        assertEquals(s.width() + "x" + s.height() + " " + s.layout() + " " + s.resize() + " " + s.resizeShorter() + " "
                        + s.interpolation() + " " + s.scale() + " " + java.util.Arrays.toString(s.mean()) + java.util.Arrays.toString(s.std()),
                e.width() + "x" + e.height() + " " + e.layout() + " " + e.resize() + " " + e.resizeShorter() + " "
                        + e.interpolation() + " " + e.scale() + " " + java.util.Arrays.toString(e.mean()) + java.util.Arrays.toString(e.std()));
        assertEquals(sd.head().labels(), e.labels());
        double maxDiff = 0;
        int same = 0;
        try (ImageClassifier ex = ImageClassifier.load(file, onnx)) {
            List<ImageExample> all = test.examples();
            for (int from = 0; from < all.size(); from += 250) {
                List<Image> chunk = new ArrayList<Image>();
                for (int i = from; i < Math.min(all.size(), from + 250); i++) {
                    chunk.add(all.get(i).load());
                }
                List<List<Classification>> r = ex.classifyAll(chunk, 10);
                for (int i = 0; i < r.size(); i++) {
                    float[] want = expected.get(from + i);
                    if (r.get(i).get(0).index() == HeadWeights.argmax(want)) {
                        same++;
                    }
                    for (Classification c : r.get(i)) {
                        maxDiff = Math.max(maxDiff, Math.abs(c.score() - want[c.index()]));
                    }
                }
            }
        }
        System.out.printf("exported ONNX: %d/%d same labels, max |dp| %.2e%n", same, TEST, maxDiff);
        assertEquals(TEST, same, "exported ONNX labels vs saved model");
        // issue 13's bar for an exported model. Measured 1.2e-5 after the session-3 merge (5e-7 in the previous release;
        // the graph optimiser is not the cause: the same with it off; not isolated further)
        assertTrue(maxDiff <= 1e-4, "max probability difference " + maxDiff);
    }
}
