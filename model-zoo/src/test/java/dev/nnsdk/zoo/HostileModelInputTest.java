package dev.nnsdk.zoo;

import dev.nnsdk.ModelLoadException;
import dev.nnsdk.text.Encoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 17, model side: archive bombs, symbolic links out of the model directory, bad descriptors, huge texts. */
class HostileModelInputTest {

    @TempDir
    Path tmp;

    /** A zip with one entry of {@code mib} MiB of zeros (1,024 MiB: a 1 MB file). */
    static Path zipBomb(Path file, int mib) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            z.setLevel(9);
            z.putNextEntry(new ZipEntry("model.onnx"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < mib; i++) {
                z.write(zeros);
            }
            z.closeEntry();
        }
        return file;
    }

    private static long treeBytes(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void aZipBombStopsAtTheLimitAndLeavesNothingBehind() throws IOException {
        // 128 MiB of zeros in CI (a 128 kB zip, stopped at the 16 MiB floor); -Dbomb.mib=1024 is the 1 MB bomb
        int mib = Integer.getInteger("bomb.mib", 128);
        Path bomb = zipBomb(tmp.resolve("bomb.zip"), mib);
        long zipBytes = Files.size(bomb);
        assertTrue(zipBytes < mib * 1200L, "bomb of " + zipBytes + " bytes");
        Path target = tmp.resolve("cache").resolve("bomb");
        Files.createDirectories(target.getParent());
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ArchiveExtractor.extract(bomb, target, "bomb.zip"));
        assertTrue(e.getMessage().contains("bomb.zip") && e.getMessage().contains("model.onnx")
                && e.getMessage().contains("100 times"), e.getMessage());
        assertFalse(Files.exists(target));
        long left = treeBytes(tmp.resolve("cache"));
        assertTrue(left < 100L << 20, "left behind: " + left);
        assertEquals(0, left, "the partial extraction is deleted");
        System.out.println("zip bomb: " + zipBytes + " bytes zip of " + mib + " MiB; " + e.getMessage() + "; left " + left + " bytes");
    }

    @Test
    void tooManyEntriesAreRefused() throws IOException {
        Path zip = tmp.resolve("many.zip");
        System.setProperty(ArchiveExtractor.MAX_ENTRIES_PROPERTY, "50");
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(os)) {
            for (int i = 0; i < 51; i++) {
                z.putNextEntry(new ZipEntry("f" + i));
                z.write(1);
                z.closeEntry();
            }
        }
        try {
            Path target = tmp.resolve("many");
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> ArchiveExtractor.extract(zip, target, "many.zip"));
            assertTrue(e.getMessage().contains("'f50'") && e.getMessage().contains("more than the 50"), e.getMessage());
            assertFalse(Files.exists(target));
        } finally {
            System.clearProperty(ArchiveExtractor.MAX_ENTRIES_PROPERTY);
        }
    }

    private Path modelDir() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("model"));
        Files.write(dir.resolve("model.onnx"), new byte[] {8, 1});
        return dir;
    }

    @Test
    void aTokenizerLinkedOutsideTheModelDirectoryIsRefused() throws IOException {
        Path outside = Files.write(tmp.resolve("passwd"), "root:x:0:0".getBytes(StandardCharsets.UTF_8));
        Path dir = modelDir();
        Files.createSymbolicLink(dir.resolve("tokenizer.json"), outside);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> new ZooResolver().resolve(dir));
        assertTrue(e.getMessage().contains("tokenizer.json points outside the model directory"), e.getMessage());
    }

    @Test
    void descriptorArtifactsLinkedOutsideAreRefusedFilesAndDirectories() throws IOException {
        Path outsideDir = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.write(outsideDir.resolve("model.onnx"), new byte[] {8, 1});
        Path dir = modelDir();
        Files.write(dir.resolve("tokenizer.json"), "{}".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(dir.resolve("linked.onnx"), outsideDir.resolve("model.onnx"));
        Files.createSymbolicLink(dir.resolve("sub"), outsideDir);
        for (String source : Arrays.asList("linked.onnx", "sub/model.onnx")) {
            Files.write(dir.resolve("model.json"), ("{\"id\": \"x\", \"task\": \"text-embedding\", \"artifacts\": {\"onnx\": "
                    + "{\"source\": \"" + source + "\"}}, \"text\": {\"tokenizer\": {\"source\": \"tokenizer.json\"}}}")
                    .getBytes(StandardCharsets.UTF_8));
            ModelLoadException e = assertThrows(ModelLoadException.class,
                    () -> ZooResolver.readDescriptorFile(dir.resolve("model.json")));
            assertTrue(e.getMessage().contains("'" + source + "' points outside the model directory through a symbolic link"),
                    e.getMessage());
        }
        // a link that stays inside is fine
        Files.createSymbolicLink(dir.resolve("inside.onnx"), dir.resolve("model.onnx"));
        Files.write(dir.resolve("model.json"), ("{\"id\": \"x\", \"task\": \"text-embedding\", \"artifacts\": {\"onnx\": "
                + "{\"source\": \"inside.onnx\"}}, \"text\": {\"tokenizer\": {\"source\": \"tokenizer.json\"}}}")
                .getBytes(StandardCharsets.UTF_8));
        ZooResolver.readDescriptorFile(dir.resolve("model.json"));
    }

    @Test
    void unknownTasksAndDuplicateKeysAreErrors() throws IOException {
        Path dir = modelDir();
        Files.write(dir.resolve("tokenizer.json"), "{}".getBytes(StandardCharsets.UTF_8));
        String rest = "\"artifacts\": {\"onnx\": {\"source\": \"model.onnx\"}}, \"text\": {\"tokenizer\": {\"source\": \"tokenizer.json\"}}}";
        Files.write(dir.resolve("model.json"), ("{\"id\": \"x\", \"task\": \"object-detection\", " + rest)
                .getBytes(StandardCharsets.UTF_8));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ZooResolver.readDescriptorFile(dir.resolve("model.json")));
        assertTrue(e.getMessage().contains("'task'") && e.getMessage().contains("object-detection"), e.getMessage());
        Files.write(dir.resolve("model.json"), ("{\"id\": \"x\", \"task\": \"text-embedding\", \"id\": \"y\", " + rest)
                .getBytes(StandardCharsets.UTF_8));
        e = assertThrows(ModelLoadException.class, () -> ZooResolver.readDescriptorFile(dir.resolve("model.json")));
        assertTrue(e.getMessage().contains("Duplicate field 'id'"), e.getMessage());
    }

    @Test
    void aHugeTextIsEncodedFromABoundedPrefixWithTheSameResult() {
        Path file = ArtifactCache.extract(HfTokenizerTest.TOKENIZER, HfTokenizerTest.TOKENIZER_SHA);
        try (HfTokenizer tok = new HfTokenizer(file, 256)) {
            StringBuilder sb = new StringBuilder(48 << 20);
            String sentence = "The quick brown fox jumps over the lazy dog near the riverbank. ";
            while (sb.length() < (48 << 20)) {
                sb.append(sentence);
            }
            String huge = sb.toString();
            long t0 = System.nanoTime();
            Encoding e = tok.encode(huge);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(256, e.length());
            assertArrayEquals(tok.encode(huge.substring(0, 3000)).ids(), e.ids());
            assertTrue(seconds < 5, "48 MB text took " + seconds + " s");
            // a text whose first 256 word pieces need more than the first budget (many spaces): still exact
            String spaced = String.join("", java.util.Collections.nCopies(300, "word" + " ".repeat(40)));
            assertArrayEquals(tok.encode(spaced.substring(0, spaced.length() - 1)).ids(), tok.encode(spaced + huge).ids());
        }
    }

    @Test
    void aZeroByteImageIsAnEmptyFileAndFormatsAreListedOnce() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.jpg"));
        dev.nnsdk.InvalidInputException e = assertThrows(dev.nnsdk.InvalidInputException.class,
                () -> new ImageIoDecoder().decode(empty));
        assertEquals("Image file " + empty + " is empty (0 bytes)", e.getMessage());
        e = assertThrows(dev.nnsdk.InvalidInputException.class,
                () -> new ImageIoDecoder().decode(new byte[] {1, 2, 3}, "junk.png"));
        String list = e.getMessage().substring(e.getMessage().indexOf('(') + 1, e.getMessage().lastIndexOf(')'));
        java.util.List<String> formats = Arrays.asList(list.split(", "));
        assertEquals(new java.util.TreeSet<String>(formats).size(), formats.size(), "listed once each: " + list);
    }

    @Test
    void anImageSizeThatOverflowsIsRefusedByTheDescriptor() throws IOException {
        Path dir = modelDir();
        Files.write(dir.resolve("model.json"), ("{\"id\": \"x\", \"task\": \"image-classification\", \"artifacts\": "
                + "{\"onnx\": {\"source\": \"model.onnx\"}}, \"image\": {\"width\": 100000, \"height\": 100000}, "
                + "\"labels\": [\"a\", \"b\"]}").getBytes(StandardCharsets.UTF_8));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ZooResolver.readDescriptorFile(dir.resolve("model.json")));
        assertTrue(e.getMessage().contains("'image.width'") && e.getMessage().contains("must be in 1..8192, got 100000"),
                e.getMessage());
    }
}
