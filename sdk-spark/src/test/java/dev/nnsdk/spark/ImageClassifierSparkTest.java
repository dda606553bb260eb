package dev.nnsdk.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nnsdk.inference.Classification;

/**
 * ImageClassifier over binaryFile rows and over Spark's image source rows, against the local SDK
 * (resnet-tiny-fixture from model-zoo's resources), with a broken image among them.
 */
class ImageClassifierSparkTest {
    @TempDir
    static Path dir;
    private static SparkSession spark;

    @BeforeAll
    static void images() throws Exception {
        spark = SparkTests.spark();
        Random rnd = new Random(7);
        for (int n = 0; n < 6; n++) {
            BufferedImage img = new BufferedImage(40 + 7 * n, 32 + 5 * n, BufferedImage.TYPE_INT_RGB);
            int base = rnd.nextInt(0xFFFFFF);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.setRGB(x, y, (base + x * (n + 1) * 0x010203 + y * 0x030100 * (6 - n)) & 0xFFFFFF);
                }
            }
            ImageIO.write(img, "png", dir.resolve("img" + n + ".png").toFile());
        }
        Files.write(dir.resolve("broken.png"), "this is not a PNG file".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void binaryFileRowsEqualTheLocalSdkAndABrokenImageGetsAnError() {
        List<Row> out = new ImageClassifier().setModel("resnet-tiny-fixture").setTopK(2)
                .transform(spark.read().format("binaryFile").load(dir.toString()).repartition(3))
                .select("path", "label", "label_score", "label_topk", "label_error").collectAsList();
        assertEquals(7, out.size());
        try (dev.nnsdk.inference.ImageClassifier local = dev.nnsdk.inference.ImageClassifier.load("resnet-tiny-fixture")) {
            int good = 0;
            for (Row r : out) {
                String path = r.getString(0);
                if (path.endsWith("broken.png")) {
                    assertNull(r.get(1));
                    assertNull(r.get(2));
                    assertNull(r.get(3));
                    assertTrue(r.getString(4).contains("broken.png"), r.getString(4));
                    continue;
                }
                List<Classification> expected = local.classify(Path.of(java.net.URI.create(path)), 2);
                assertEquals(expected.get(0).label(), r.getString(1), path);
                assertEquals(expected.get(0).score(), r.getFloat(2), 1e-5f, path);
                List<Row> top = r.getList(3);
                assertEquals(expected.get(1).label(), top.get(1).getString(0), path);
                assertNull(r.get(4), path);
                good++;
            }
            assertEquals(6, good);
        }
    }

    /** The file name of a binaryFile path or an image origin (the two spell the URI differently). */
    private static String name(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }

    @Test
    void sparkImageSourceRowsGiveTheSameLabelsAsTheirFiles() {
        Map<String, Float> byFile = new HashMap<String, Float>();
        for (Row r : new ImageClassifier().setModel("resnet-tiny-fixture").transform(
                spark.read().format("binaryFile").load(dir.toString())).select("path", "label_score").collectAsList()) {
            byFile.put(name(r.getString(0)), r.isNullAt(1) ? null : r.getFloat(1));
        }
        List<Row> out = new ImageClassifier().setModel("resnet-tiny-fixture").setInputCol("image")
                .transform(spark.read().format("image").load(dir.toString()))
                .select("image.origin", "label", "label_score", "label_error").collectAsList();
        assertEquals(7, out.size());
        assertEquals(7, byFile.size());
        for (Row r : out) {
            String origin = r.getString(0);
            if (origin.endsWith("broken.png")) {
                assertNull(r.get(1));
                assertTrue(r.getString(3).contains("broken.png"), r.getString(3));
            } else {
                assertEquals(byFile.get(name(origin)), r.getFloat(2), 1e-5f, origin);
                assertNull(r.get(3));
            }
        }
    }
}
