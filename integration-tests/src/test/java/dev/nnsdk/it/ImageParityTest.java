package dev.nnsdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.image.Image;
import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.ImageClassifier;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-engine parity on real photos: the same zoo id on ONNX Runtime (ONNX file) and DJL/PyTorch
 * (TorchScript file), through the same engine-neutral preprocessing. Features and probabilities agree
 * within 1e-4 (max abs). Needs the "djl" engine (sdk-djl) on the class path.
 */
class ImageParityTest {

    static final List<String> PHOTOS = Arrays.asList("china.png", "dog.png", "dog.jpg", "eagle.png", "flower.png", "horses.png");

    @Test
    void mobileNetAgreesAcrossEngines() {
        TestData.requireAsset("models/mobilenet-v2-nsfw/model.torchscript.pt");
        compare("mobilenet-v2-nsfw", TestData.decodeAll(PHOTOS), 5);
    }

    @Test
    void resnetFixtureAgreesAcrossEnginesAndWithPyTorch() throws IOException {
        List<Image> images = TestData.decodeAll(TestData.PNGS);
        compare("resnet-tiny-fixture", images, 4);
        JsonNode expected = TestData.resnetExpected();
        try (ImageClassifier djl = ImageClassifier.load("resnet-tiny-fixture", ModelOptions.builder().optEngine("djl").build())) {
            List<List<Classification>> all = djl.classifyAll(images, 4);
            for (int i = 0; i < images.size(); i++) {
                float[] want = TestData.floats(expected.get("images").get(i).get("probs"));
                double d = TestData.maxAbsDiff(want, TestData.probsByIndex(all.get(i), 4));
                assertTrue(d < 1e-4, TestData.PNGS.get(i) + ": djl probs differ from PyTorch by " + d);
            }
        }
    }

    private static void compare(String id, List<Image> images, int classes) {
        try (ImageClassifier onnx = ImageClassifier.load(id, ModelOptions.builder().optEngine("onnx").build());
             ImageClassifier djl = ImageClassifier.load(id, ModelOptions.builder().optEngine("djl").build())) {
            assertEquals("onnx", onnx.engine());
            assertEquals("djl", djl.engine());
            List<float[]> fo = onnx.featuresAll(images);
            List<float[]> fd = djl.featuresAll(images);
            List<List<Classification>> po = onnx.classifyAll(images, classes);
            List<List<Classification>> pd = djl.classifyAll(images, classes);
            double worstF = 0;
            double worstP = 0;
            for (int i = 0; i < images.size(); i++) {
                worstF = Math.max(worstF, TestData.maxAbsDiff(fo.get(i), fd.get(i)));
                worstP = Math.max(worstP, TestData.maxAbsDiff(TestData.probsByIndex(po.get(i), classes),
                        TestData.probsByIndex(pd.get(i), classes)));
                assertEquals(po.get(i).get(0).label(), pd.get(i).get(0).label());
            }
            System.out.printf("%s onnx vs djl: features max abs %.3g, probs max abs %.3g%n", id, worstF, worstP);
            assertTrue(worstF < 1e-4, id + ": features differ by " + worstF);
            assertTrue(worstP < 1e-4, id + ": probs differ by " + worstP);
        }
    }
}
