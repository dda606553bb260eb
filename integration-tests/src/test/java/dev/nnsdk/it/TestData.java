package dev.nnsdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnsdk.image.Image;
import dev.nnsdk.image.ImageDecoder;
import dev.nnsdk.SdkSettings;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test photos (class-path resources under images/) and the shared assets. */
final class TestData {

    /** The committed PNG photos, in the order resnet-tiny-expected.json lists them. */
    static final List<String> PNGS = Arrays.asList("china.png", "dog.png", "eagle.png", "flower.png", "horses.png");

    private TestData() {
    }

    /** A test photo by file name. */
    static Path photo(String name) {
        URL url = TestData.class.getResource("/images/" + name);
        Assertions.assertNotNull(url, "test resource images/" + name + " is missing");
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Image decode(String name) {
        return ImageDecoder.get().decode(photo(name));
    }

    static List<Image> decodeAll(List<String> names) {
        List<Image> out = new ArrayList<Image>();
        for (String n : names) {
            out.add(decode(n));
        }
        return out;
    }

    static JsonNode resnetExpected() throws IOException {
        return new ObjectMapper().readTree(photo("resnet-tiny-expected.json").toFile());
    }

    /**
     * Requires a file of the shared assets: fails when it is missing and CI is set, else skips the test.
     */
    static Path requireAsset(String relative) {
        Path dir = SdkSettings.assetsDir();
        Path p = dir == null ? null : dir.resolve(relative);
        boolean there = p != null && Files.isRegularFile(p);
        if (!there) {
            String msg = "shared asset " + relative + " is missing (set SDK_ASSETS_DIR; now " + dir + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        return p;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        Assertions.assertEquals(a.length, b.length, "lengths differ");
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    /** All class probabilities in output order, rebuilt from a full top-k list. */
    static float[] probsByIndex(List<dev.nnsdk.inference.Classification> all, int classes) {
        Assertions.assertEquals(classes, all.size());
        float[] p = new float[classes];
        for (dev.nnsdk.inference.Classification c : all) {
            p[c.index()] = c.score();
        }
        return p;
    }
}
