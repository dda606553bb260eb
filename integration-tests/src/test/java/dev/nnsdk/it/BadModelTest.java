package dev.nnsdk.it;

import dev.nnsdk.ChecksumMismatchException;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.ModelNotFoundException;
import dev.nnsdk.inference.TextEmbedder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad models through the API: each a clear SDK exception naming the id or file, never a JVM crash. */
class BadModelTest {

    @TempDir
    Path tmp;

    @Test
    void unknownIdListsTheKnownIds() {
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> TextEmbedder.load("all-minilm-l7-v9"));
        assertTrue(e.getMessage().contains("all-minilm-l7-v9") && e.getMessage().contains("all-minilm-l6-v2")
                && e.getMessage().contains("all-minilm-l6-v2-int8"), e.getMessage());
    }

    @Test
    void truncatedOnnxFile() throws Exception {
        Path dir = BrokenModels.dir(tmp, "truncated", BrokenModels.truncatedOnnx(1 << 20), null);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> TextEmbedder.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve("model.onnx").toString()), e.getMessage());
    }

    @Test
    void randomBytesAndEmptyFile() throws Exception {
        Path rnd = BrokenModels.dir(tmp, "random", BrokenModels.randomBytes(4096), null);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> TextEmbedder.load(rnd));
        assertTrue(e.getMessage().contains(rnd.resolve("model.onnx").toString()), e.getMessage());
        Path empty = BrokenModels.dir(tmp, "empty", new byte[0], null);
        e = assertThrows(ModelLoadException.class, () -> TextEmbedder.load(empty));
        assertTrue(e.getMessage().contains(empty.resolve("model.onnx").toString()), e.getMessage());
    }

    @Test
    void conventionalDirectoryWithoutDescriptor() throws Exception {
        Path dir = BrokenModels.dir(tmp, "plain", BrokenModels.randomBytes(1000), null);
        Files.delete(dir.resolve("model.json"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> TextEmbedder.load(dir));
        assertTrue(e.getMessage().contains("model.onnx"), e.getMessage());
    }

    @Test
    void checksumMismatchNamesTheFile() throws Exception {
        Path dir = BrokenModels.dir(tmp, "tampered", BrokenModels.randomBytes(4096), BrokenModels.ZEROS);
        Path file = dir.resolve("model.onnx");
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> TextEmbedder.load(dir));
        assertEquals(file.toAbsolutePath(), e.file());
        assertEquals(BrokenModels.ZEROS, e.expected());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(e.actual()), e.getMessage());
    }

    @Test
    void missingModelFile() throws Exception {
        Path dir = BrokenModels.dir(tmp, "missing", null, null);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> TextEmbedder.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve("model.onnx").toString()) && e.getMessage().contains("missing"),
                e.getMessage());
        ModelNotFoundException nf = assertThrows(ModelNotFoundException.class, () -> TextEmbedder.load(tmp.resolve("nowhere")));
        assertTrue(nf.getMessage().contains("nowhere"), nf.getMessage());
    }

    @Test
    void corruptTokenizerAndDescriptor() throws Exception {
        Path dir = BrokenModels.dir(tmp, "badtok", BrokenModels.randomBytes(100), null);
        Files.write(dir.resolve("tokenizer.json"), "{\"not\": \"a tokenizer\"".getBytes(StandardCharsets.UTF_8));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> TextEmbedder.load(dir));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());

        Files.write(dir.resolve("model.json"), "{\"id\": \"x\",\n\"task\": }".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(ModelLoadException.class, () -> TextEmbedder.load(dir));
        assertTrue(e.getMessage().contains("model.json") && e.getMessage().contains("line 2"), e.getMessage());
    }
}
