package dev.nnsdk.training.data;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.image.Image;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxDatasetTest {
    @TempDir
    Path tmp;

    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    /** n images of rows x cols whose pixel k of image i is (i * 31 + k) & 0xFF. */
    static byte[] pixels(int n, int rows, int cols) {
        byte[] p = new byte[n * rows * cols];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < rows * cols; k++) {
                p[i * rows * cols + k] = (byte) (i * 31 + k);
            }
        }
        return p;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        if (name.endsWith(".gz")) {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            try (OutputStream o = new GZIPOutputStream(bo)) {
                o.write(bytes);
            }
            bytes = bo.toByteArray();
        }
        Files.write(p, bytes);
        return p;
    }

    private static InvalidInputException fails(Runnable r, String... parts) {
        InvalidInputException e = assertThrows(InvalidInputException.class, r::run);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void roundTripPlainAndGzip() throws IOException {
        byte[] labels = {2, 0, 1, 2, 0};
        for (String gz : new String[] {"", ".gz"}) {
            Path images = write("train-images-idx3-ubyte" + gz, idx(0x803, new int[] {5, 3, 2}, pixels(5, 3, 2)));
            write("train-labels-idx1-ubyte" + gz, idx(0x801, new int[] {5}, labels));
            ImageDataset d = ImageDataset.read(images);
            assertEquals(5, d.size());
            assertEquals(Arrays.asList("0", "1", "2"), d.labels());
            assertEquals("2", d.examples().get(0).label());
            ImageExample third = d.examples().get(3);
            assertEquals(images + "#3", third.source());
            Image img = third.load();
            assertEquals(2, img.width());
            assertEquals(3, img.height());
            assertEquals(images + "#3", img.source());
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 2; x++) {
                    int v = (3 * 31 + y * 2 + x) & 0xFF;
                    assertEquals(v, img.sample(x, y, 0));
                    assertEquals(v, img.sample(x, y, 2));
                }
            }
            assertSame(d, d.readable());
            assertNotEquals(d.examples().get(0).contentKey(), d.examples().get(1).contentKey());
        }
        ImageDataset plain = ImageDataset.read(tmp.resolve("train-images-idx3-ubyte"));
        ImageDataset gz = ImageDataset.read(tmp.resolve("train-images-idx3-ubyte.gz"));
        assertEquals(plain.sha256(), gz.sha256(), "same pixels and labels, same identity");
        assertEquals(plain.examples().get(4).contentKey(), gz.examples().get(4).contentKey());
        assertEquals(3, plain.first(3).size());
        assertEquals(Arrays.asList("1", "2"), plain.examples().subList(2, 4).stream().map(ImageExample::label)
                .collect(java.util.stream.Collectors.toList()));
    }

    @Test
    void classNamesFromLabelsTxtKeepClassIndexOrder() throws IOException {
        Path images = write("t10k-images-idx3-ubyte.gz", idx(0x803, new int[] {4, 2, 2}, pixels(4, 2, 2)));
        write("t10k-labels-idx1-ubyte.gz", idx(0x801, new int[] {4}, new byte[] {3, 0, 3, 1}));
        write("labels.txt", "zebra\nant\nmoose\nbee\n\n".getBytes(StandardCharsets.UTF_8));
        ImageDataset d = ImageDataset.read(images);
        assertEquals(Arrays.asList("zebra", "ant", "bee"), d.labels(), "class-index order, only classes present");
        assertEquals("bee", d.examples().get(0).label());
        assertEquals(Arrays.asList("zebra", "bee"), d.first(3).labels(), "subsets keep the class-index order");

        write("labels.txt", "zebra\nant\n".getBytes(StandardCharsets.UTF_8));
        fails(() -> ImageDataset.read(images), "t10k-labels-idx1-ubyte.gz", "label 3 of image 0", "2 class names");
        write("labels.txt", "zebra\n\nant\nbee\n".getBytes(StandardCharsets.UTF_8));
        fails(() -> ImageDataset.read(images), "labels.txt", "line 2 is empty");
        write("labels.txt", "zebra\nant\nzebra\nbee\n".getBytes(StandardCharsets.UTF_8));
        fails(() -> ImageDataset.read(images), "labels.txt", "line 3 repeats the name 'zebra' of line 1");
    }

    @Test
    void damagedFilesGiveSpecificErrors() throws IOException {
        Path labels = write("l-idx1", idx(0x801, new int[] {5}, new byte[5]));
        byte[] good = idx(0x803, new int[] {5, 3, 2}, pixels(5, 3, 2));

        Path cut = write("cut-idx3", Arrays.copyOf(good, good.length - 7));
        fails(() -> ImageDataset.fromIdx(cut, labels, null), cut.toString(), "truncated", "5 images of 3x2",
                "needs 46 bytes", "the file has 39");
        Path cutGz = write("cut-idx3.gz", Arrays.copyOf(good, good.length - 7));
        fails(() -> ImageDataset.fromIdx(cutGz, labels, null), cutGz.toString(), "truncated", "needs 46 bytes", "has 39 (uncompressed)");
        Path header = write("header-idx3", Arrays.copyOf(good, 9));
        fails(() -> ImageDataset.fromIdx(header, labels, null), header.toString(), "header needs 16 bytes, the file has 9");

        byte[] badMagic = good.clone();
        badMagic[0] = 0x12;
        Path bm = write("bm-idx3", badMagic);
        fails(() -> ImageDataset.fromIdx(bm, labels, null), bm.toString(), "bad magic number 0x12000803", "expected 0x00000803");
        fails(() -> ImageDataset.fromIdx(labels, labels, null), labels.toString(), "1 dimensions", "looks like a labels file");
        fails(() -> ImageDataset.read(labels), "is an IDX labels file");
        Path floats = write("f-idx3", idx(0x0D03, new int[] {5, 3, 2}, new byte[120]));
        fails(() -> ImageDataset.fromIdx(floats, labels, null), floats.toString(), "data type 0x0D (float)", "only unsigned bytes");
        Path gzNoSuffix = tmp.resolve("gz-idx3");
        Files.write(gzNoSuffix, Files.readAllBytes(write("x-idx3.gz", good)));
        fails(() -> ImageDataset.fromIdx(gzNoSuffix, labels, null), "gzip-compressed but its name does not end in .gz");

        Path images = write("ok-idx3", good);
        Path four = write("four-idx1", idx(0x801, new int[] {4}, new byte[4]));
        fails(() -> ImageDataset.fromIdx(images, four, null), "has 5 images but labels file", four.toString(), "has 4 labels");
        Path extra = write("extra-idx1", Arrays.copyOf(idx(0x801, new int[] {5}, new byte[5]), 8 + 6));
        fails(() -> ImageDataset.fromIdx(images, extra, null), extra.toString(), "data after the 5 labels");
        Path missing = tmp.resolve("missing-idx1");
        fails(() -> ImageDataset.fromIdx(images, missing, null), "IDX labels file", "does not exist");
        Path lonely = write("lonely-images-idx3-ubyte", good);
        fails(() -> ImageDataset.read(lonely), "No labels file", "lonely-labels-idx1-ubyte");
    }

    @Test
    void craftedHeadersCannotExhaustMemory() throws IOException {
        Path labels = write("l-idx1", idx(0x801, new int[] {1}, new byte[1]));
        Path huge = write("huge-idx3", idx(0x803, new int[] {1, 65536, 65536}, new byte[64]));
        fails(() -> ImageDataset.fromIdx(huge, labels, null), huge.toString(), "65536x65536", "more than the 268435456");
        Path many = write("many-idx3", idx(0x803, new int[] {100_000_000, 28, 28}, new byte[784]));
        fails(() -> ImageDataset.fromIdx(many, labels, null), many.toString(), "100000000 images of 28x28", "at most");
        Path lie = write("lie-idx3.gz", idx(0x803, new int[] {2_000_000, 32, 32}, new byte[1024]));
        fails(() -> ImageDataset.fromIdx(lie, labels, null), lie.toString(), "truncated", "the file has 1040");
        Path negative = write("neg-idx3", idx(0x803, new int[] {-1, 28, 28}, new byte[0]));
        fails(() -> ImageDataset.fromIdx(negative, labels, null), "impossible size", "4294967295 images");
        Path hugeLabels = write("hl-idx1.gz", idx(0x801, new int[] {Integer.MAX_VALUE}, new byte[3]));
        Path one = write("one-idx3", idx(0x803, new int[] {1, 1, 1}, new byte[1]));
        fails(() -> ImageDataset.fromIdx(one, hugeLabels, null), "truncated", "2147483647 labels");
    }
}
