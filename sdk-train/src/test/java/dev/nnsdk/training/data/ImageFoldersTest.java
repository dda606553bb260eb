package dev.nnsdk.training.data;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.image.Image;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFoldersTest {
    @TempDir
    Path tmp;

    static byte[] encode(int w, int h, int seed, String format) throws IOException {
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                bi.setRGB(x, y, (x * 8 + seed) % 256 << 16 | (y * 8) % 256 << 8 | (x ^ y ^ seed) & 0xFF);
            }
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(bi, format, o), format);
        return o.toByteArray();
    }

    private Path write(String rel, byte[] bytes) throws IOException {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        return p;
    }

    /** 3 classes with good PNG/JPEG files (one nested, one upper-case extension) and the usual junk. */
    private Path tree() throws IOException {
        write("photos/cat/001.png", encode(32, 24, 1, "png"));
        write("photos/cat/002.png", encode(32, 24, 2, "png"));
        write("photos/cat/003.PNG", encode(32, 24, 3, "png"));
        write("photos/cat/.hidden.png", encode(32, 24, 4, "png"));      // hidden: ignored
        write("photos/cat/empty.png", new byte[0]);                      // zero bytes: unreadable
        write("photos/dog/a.jpg", encode(40, 30, 5, "jpeg"));
        write("photos/dog/b.JPEG", encode(40, 30, 6, "jpeg"));
        byte[] jpeg = encode(64, 64, 7, "jpeg");
        write("photos/dog/cut.jpg", Arrays.copyOf(jpeg, jpeg.length * 3 / 4)); // truncated JPEG: unreadable
        write("photos/dog/notes.txt", "not an image".getBytes(StandardCharsets.UTF_8)); // other extension: ignored
        write("photos/bird/x.png", encode(16, 16, 8, "png"));
        write("photos/bird/more/y.jpeg", encode(16, 16, 9, "jpeg"));     // nested: included (as Keras)
        write("photos/bird/.cache/z.png", encode(16, 16, 10, "png"));    // hidden folder: ignored
        write("photos/bird/fake.png", "hello, I am text".getBytes(StandardCharsets.UTF_8)); // .txt renamed .png
        write("photos/.trash/w.png", encode(16, 16, 11, "png"));         // hidden class folder: ignored
        return tmp.resolve("photos");
    }

    @Test
    void listsClassFoldersWithoutDecoding() throws IOException {
        Path dir = tree();
        ImageDataset d = ImageDataset.read(dir);
        assertEquals(Arrays.asList("bird", "cat", "dog"), d.labels());
        Map<String, Integer> counts = new LinkedHashMap<String, Integer>();
        counts.put("bird", 3);
        counts.put("cat", 4);
        counts.put("dog", 3);
        assertEquals(counts, d.counts());
        List<String> sources = new ArrayList<String>();
        for (ImageExample e : d.examples()) {
            sources.add(dir.relativize(Path.of(e.source())).toString());
        }
        assertEquals(Arrays.asList("bird/fake.png", "bird/more/y.jpeg", "bird/x.png", "cat/001.png", "cat/002.png",
                "cat/003.PNG", "cat/empty.png", "dog/a.jpg", "dog/b.JPEG", "dog/cut.jpg"), sources);
        assertEquals(dir.toString(), d.name());
        Image first = d.examples().get(2).load();
        assertEquals(16, first.width());
        assertEquals(d.examples().get(2).source(), first.source());
    }

    @Test
    void readableSkipsEveryUnreadableFileAndNamesIt() throws IOException {
        Path dir = tree();
        ImageDataset d = ImageDataset.fromFolders(dir);
        ImageDataset ok = d.readable();
        assertEquals(Arrays.asList(dir.resolve("bird/fake.png").toString(), dir.resolve("cat/empty.png").toString(),
                dir.resolve("dog/cut.jpg").toString()), ok.skipped());
        assertEquals(7, ok.size());
        assertEquals(Arrays.asList(2, 3, 2), new ArrayList<Integer>(ok.counts().values()));
        assertSame(ok, ok.readable(), "an already checked dataset is not decoded again");
        assertTrue(d.skipped().isEmpty());
        for (String bad : new String[] {"bird/fake.png", "cat/empty.png", "dog/cut.jpg"}) {
            Path f = dir.resolve(bad);
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageExample.ofFile("x", f).load());
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        }
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageExample.ofFile("x", dir.resolve("dog/cut.jpg")).load());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        // a complete JPEG with bytes after its end marker is fine
        byte[] good = encode(20, 20, 3, "jpeg");
        byte[] trailing = Arrays.copyOf(good, good.length + 10);
        Path t = write("trailing.jpg", trailing);
        assertEquals(20, ImageExample.ofFile("x", t).load().width());
    }

    @Test
    void contentKeyIsTheFileSha256() throws IOException {
        Path dir = tree();
        ImageDataset d = ImageDataset.fromFolders(dir);
        ImageExample a = d.examples().get(3);
        String key = a.contentKey();
        assertEquals(64, key.length());
        assertEquals(key, ImageExample.ofFile("other label", Path.of(a.source())).contentKey());
        assertNotEquals(key, d.examples().get(4).contentKey());
        assertEquals(d.sha256(), ImageDataset.fromFolders(dir).sha256());
        assertNotEquals(d.sha256(), d.first(9).sha256());
    }

    @Test
    void allUnreadableIsAnError() throws IOException {
        write("bad/a/1.png", new byte[0]);
        write("bad/b/2.jpg", "text".getBytes(StandardCharsets.UTF_8));
        ImageDataset d = ImageDataset.fromFolders(tmp.resolve("bad"));
        InvalidInputException e = assertThrows(InvalidInputException.class, d::readable);
        assertTrue(e.getMessage().contains("None of the 2 images"), e.getMessage());
        assertTrue(e.getMessage().contains("1.png"), e.getMessage());
    }

    @Test
    void clearErrorsForMissingEmptyAndClasslessFolders() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageDataset.fromFolders(tmp.resolve("nope")));
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("nope"), e.getMessage());
        Files.createDirectories(tmp.resolve("empty"));
        e = assertThrows(InvalidInputException.class, () -> ImageDataset.read(tmp.resolve("empty")));
        assertTrue(e.getMessage().contains("no class sub-folders"), e.getMessage());
        write("flat/1.png", encode(8, 8, 1, "png"));
        e = assertThrows(InvalidInputException.class, () -> ImageDataset.fromFolders(tmp.resolve("flat")));
        assertTrue(e.getMessage().contains("1 images directly inside"), e.getMessage());
        write("noimages/a/readme.txt", new byte[1]);
        Files.createDirectories(tmp.resolve("noimages/b"));
        e = assertThrows(InvalidInputException.class, () -> ImageDataset.fromFolders(tmp.resolve("noimages")));
        assertTrue(e.getMessage().contains("[a, b]") && e.getMessage().contains("no .png"), e.getMessage());
        Path file = write("plain.bin", new byte[] {1, 2, 3, 4, 5});
        e = assertThrows(InvalidInputException.class, () -> ImageDataset.read(file));
        assertTrue(e.getMessage().contains("neither a folder"), e.getMessage());
    }

    @Test
    void singleClassIsNotTrainable() throws IOException {
        write("one/cat/1.png", encode(8, 8, 1, "png"));
        write("one/cat/2.png", encode(8, 8, 2, "png"));
        write("one/dog/readme.txt", new byte[1]);
        ImageDataset d = ImageDataset.fromFolders(tmp.resolve("one"));
        assertEquals(Arrays.asList("cat"), d.labels());
        InvalidInputException e = assertThrows(InvalidInputException.class, d::requireTrainable);
        assertTrue(e.getMessage().contains("single class 'cat'"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> new ImageDataset("nothing", new ArrayList<ImageExample>()).requireTrainable());
        assertEquals("Dataset nothing has no examples", e.getMessage());
    }
}
