package dev.nnsdk.it;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.image.Image;
import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.ImageClassifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mobilenet-v2-nsfw (nsfwjs weights) on ONNX Runtime, on real photographs. */
class MobileNetImageTest {

    static final List<String> PHOTOS = Arrays.asList("china.png", "dog.png", "dog.jpg", "eagle.png", "flower.png", "horses.png");
    static ImageClassifier clf;

    @BeforeAll
    static void load() {
        TestData.requireAsset("models/mobilenet-v2-nsfw/model.onnx");
        clf = ImageClassifier.load("mobilenet-v2-nsfw", ModelOptions.builder().optEngine("onnx").build());
    }

    @AfterAll
    static void close() {
        if (clf != null) {
            clf.close();
        }
    }

    @Test
    void everydayPhotosAreNeutral() {
        assertEquals(Arrays.asList("Drawing", "Hentai", "Neutral", "Porn", "Sexy"), clf.labels());
        List<List<Classification>> all = clf.classifyAll(TestData.decodeAll(PHOTOS), 5);
        int neutral = 0;
        for (int i = 0; i < all.size(); i++) {
            List<Classification> r = all.get(i);
            assertEquals(5, r.size());
            double sum = 0;
            for (int k = 0; k < r.size(); k++) {
                sum += r.get(k).score();
                if (k > 0) {
                    assertTrue(r.get(k - 1).score() >= r.get(k).score(), "not sorted: " + r);
                }
            }
            assertEquals(1.0, sum, 1e-5, PHOTOS.get(i) + ": " + r);
            if (r.get(0).label().equals("Neutral")) {
                neutral++;
            }
            System.out.println("mobilenet-v2-nsfw " + PHOTOS.get(i) + ": " + r);
        }
        assertTrue(neutral >= PHOTOS.size() - 1, neutral + " of " + PHOTOS.size() + " photos are Neutral");
    }

    @Test
    void featuresAreTheBackboneVector() {
        List<Image> images = TestData.decodeAll(PHOTOS.subList(0, 3));
        List<float[]> batch = clf.featuresAll(images);
        for (int i = 0; i < images.size(); i++) {
            float[] f = batch.get(i);
            assertEquals(1280, f.length);
            for (float v : f) {
                assertTrue(v >= 0 && v <= 6.0f, "ReLU6 average out of range: " + v);
            }
            assertTrue(TestData.maxAbsDiff(f, clf.features(images.get(i))) < 1e-5);
        }
    }

    @Test
    void jpegAndPngOfTheSamePhotoAgree() {
        List<Classification> png = clf.classify(TestData.photo("dog.png"), 1);
        List<Classification> jpg = clf.classify(TestData.photo("dog.jpg"), 1);
        assertEquals(png.get(0).label(), jpg.get(0).label());
        assertEquals(png.get(0).score(), jpg.get(0).score(), 0.05);
    }

    @Test
    void badInputIsAClearErrorOrACorrectResult(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("holiday.jpg");
        Files.write(text, "not a picture".getBytes("UTF-8"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> clf.classify(text, 3));
        assertTrue(e.getMessage().contains("holiday.jpg"), e.getMessage());
        List<Image> odd = new ArrayList<Image>();
        // 10,000 x 10,000 handed over as pixels (the decoder refuses such files; see ImageIoDecoderTest).
        byte[] grey = new byte[10_000 * 10_000];
        for (int i = 0; i < grey.length; i += 10_001) {
            grey[i] = (byte) 255;
        }
        odd.add(Image.fromGray(10_000, 10_000, grey));
        grey = null;
        odd.add(Image.fromRgb(1, 1, new byte[] {1, 2, 3}));
        odd.add(Image.fromGray(224, 224, new byte[224 * 224]));
        for (List<Classification> r : clf.classifyAll(odd, 5)) {
            double sum = 0;
            for (Classification c : r) {
                sum += c.score();
            }
            assertEquals(1.0, sum, 1e-5);
        }
    }
}
