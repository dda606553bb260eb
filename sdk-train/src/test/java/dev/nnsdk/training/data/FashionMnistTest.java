package dev.nnsdk.training.data;

import dev.nnsdk.image.Image;
import dev.nnsdk.SdkSettings;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The real Fashion-MNIST from the shared assets (datasets/fashion-mnist). */
class FashionMnistTest {

    static Path asset(String relative) {
        Path dir = SdkSettings.assetsDir();
        Path p = dir == null ? null : dir.resolve(relative);
        if (p == null || !Files.isRegularFile(p)) {
            String msg = "shared asset " + relative + " is missing (set SDK_ASSETS_DIR; now " + dir + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        return p;
    }

    @Test
    void readsTrainAndTestWithClassNames() throws IOException {
        Path train = asset("datasets/fashion-mnist/train-images-idx3-ubyte.gz");
        Path test = asset("datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
        List<String> names = Files.readAllLines(asset("datasets/fashion-mnist/labels.txt"), StandardCharsets.UTF_8);
        int firstLabel;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(asset("datasets/fashion-mnist/train-labels-idx1-ubyte.gz")))) {
            firstLabel = in.readNBytes(9)[8];
        }

        ImageDataset d = ImageDataset.read(train);
        assertEquals(60_000, d.size());
        assertEquals(names, d.labels());
        assertEquals(6_000, (int) d.counts().get("Ankle boot"));
        assertEquals(names.get(firstLabel), d.examples().get(0).label());
        Image first = d.examples().get(0).load();
        assertEquals(28, first.width());
        assertEquals(28, first.height());
        assertEquals(train + "#0", first.source());
        ImageDataset head = d.first(10_000);
        assertEquals(10_000, head.size());
        assertEquals(names, head.labels());

        ImageDataset t = ImageDataset.read(test);
        assertEquals(10_000, t.size());
        assertEquals(2_000, t.first(2_000).size());
        assertEquals(names, t.labels());
    }
}
