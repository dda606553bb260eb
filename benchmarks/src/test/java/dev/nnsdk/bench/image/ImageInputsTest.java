package dev.nnsdk.bench.image;

import dev.nnsdk.image.Image;
import dev.nnsdk.image.ImageDecoder;
import dev.nnsdk.SdkSettings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ImageInputsTest {

    @TempDir
    Path dir;

    private Path touch(String name) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {1});
        return p;
    }

    @Test
    void directoryGivesItsJpegAndPngFilesInNameOrderNotHiddenNotRecursive() throws IOException {
        Path b = touch("b.jpg");
        Path a = touch("a.PNG");
        Path c = touch("c.jpeg");
        touch(".hidden.jpg");
        touch("notes.txt");
        touch("sub/d.jpg");
        assertEquals(Arrays.asList(a, b, c), ImageInputs.list(dir, 100));
        assertEquals(Arrays.asList(a, b), ImageInputs.list(dir, 2));
    }

    @Test
    void listFileResolvesRelativePathsAndSkipsCommentsAndBlankLines() throws IOException {
        Path a = touch("imgs/a.jpg");
        Path b = touch("imgs/b.png");
        Path list = dir.resolve("list.txt");
        Files.write(list, Arrays.asList("# two images", "imgs/b.png", "", "  " + a.toAbsolutePath() + "  "),
                StandardCharsets.UTF_8);
        List<Path> got = ImageInputs.list(list, 100);
        assertEquals(2, got.size());
        assertEquals(b.toAbsolutePath().normalize(), got.get(0).toAbsolutePath().normalize());
        assertEquals(a.toAbsolutePath().normalize(), got.get(1).toAbsolutePath().normalize());
    }

    @Test
    void missingListedFileIsNamedWithItsLine() throws IOException {
        Path list = dir.resolve("list.txt");
        Files.write(list, Arrays.asList("# header", "nope.jpg"), StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageInputs.list(list, 10));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("nope.jpg"), e.getMessage());
    }

    @Test
    void emptyDirectoryAndMissingInputAreRefused() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThrows(IllegalArgumentException.class, () -> ImageInputs.list(empty, 10));
        assertThrows(IllegalArgumentException.class, () -> ImageInputs.list(dir.resolve("absent"), 10));
    }

    @Test
    void fashionMnistGeneratorWritesDecodableJpegs() throws IOException {
        Path assets = SdkSettings.assetsDir();
        Path idx = assets == null ? null : assets.resolve("datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
        if (idx == null || !Files.isRegularFile(idx)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("Fashion-MNIST missing: set SDK_ASSETS_DIR (looked for " + idx + ")");
            }
            Assumptions.abort("SDK_ASSETS_DIR not set; skipping");
        }
        List<Path> files = FashionMnistJpegs.write(idx, dir.resolve("out"), 3, 64);
        assertEquals(files, ImageInputs.list(dir.resolve("out"), 10));
        Image im = ImageDecoder.get().decode(files.get(0));
        assertEquals(64, im.width());
        assertEquals(64, im.height());
    }
}
