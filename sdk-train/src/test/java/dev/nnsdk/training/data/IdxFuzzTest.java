package dev.nnsdk.training.data;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.image.Image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the MNIST IDX reader ({@link ImageDataset#fromIdx}) on arbitrary image
 * and label files (plain, or named {@code .gz} whatever they hold): a dataset whose images have the
 * declared size, or an {@link InvalidInputException} naming one of the two files; never another
 * exception, an allocation the file cannot back, a hang or a JVM crash.
 */
class IdxFuzzTest {
    private static Path dir;

    @FuzzTest(maxDuration = "30s")
    void read(FuzzedDataProvider data) throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("idx-fuzz");
        }
        boolean gz = data.consumeBoolean();
        Path images = dir.resolve(gz ? "x-images-idx3-ubyte.gz" : "x-images-idx3-ubyte");
        Path labels = dir.resolve(gz ? "x-labels-idx1-ubyte.gz" : "x-labels-idx1-ubyte");
        Files.write(images, data.consumeBytes(data.consumeInt(0, 4096)));
        Files.write(labels, data.consumeRemainingAsBytes());
        try {
            ImageDataset d = ImageDataset.fromIdx(images, labels, null);
            for (int i = 0; i < Math.min(3, d.size()); i++) {
                Image im = d.examples().get(i).load();
                assertTrue(im.width() > 0 && im.height() > 0, "image " + i + " is " + im.width() + "x" + im.height());
            }
        } catch (InvalidInputException expected) {
            String m = expected.getMessage();
            assertTrue(m.contains(images.toString()) || m.contains(labels.toString()), "error names neither file: " + m);
        }
    }
}
