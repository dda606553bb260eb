package dev.nnsdk.cli;

import dev.nnsdk.ModelLoadException;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.inference.TextEmbedder;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 17 item 10: inputs or outputs a model.json declares but the ONNX file does not have are an error, not ignored. */
class DeclaredInputsTest {

    @Test
    void inputsAndOutputsTheOnnxFileLacksAreRefused(@TempDir Path dir) throws Exception {
        ModelDescriptor zoo = ModelRepository.resolve("all-minilm-l6-v2-int8");
        Files.copy(zoo.artifacts().get(ModelFormat.ONNX).path(), dir.resolve("model.onnx"));
        Files.copy(zoo.text().tokenizer().path(), dir.resolve("tokenizer.json"));
        String head = "{\"id\": \"declared\", \"task\": \"text-embedding\", \"artifacts\": {\"onnx\": {\"source\": \"model.onnx\"}}, "
                + "\"text\": {\"tokenizer\": {\"source\": \"tokenizer.json\"}, \"maxLength\": 256, \"pooling\": \"mean\"}, ";
        Files.write(dir.resolve("model.json"), (head + "\"inputs\": [\"input_ids\", \"attention_mask\", \"pixel_values\"]}")
                .getBytes(StandardCharsets.UTF_8));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> TextEmbedder.load(dir));
        assertTrue(e.getMessage().contains("has no input 'pixel_values'") && e.getMessage().contains("model.onnx"),
                e.getMessage());
        Files.write(dir.resolve("model.json"), (head + "\"outputs\": [\"sentence_embedding\"]}").getBytes(StandardCharsets.UTF_8));
        e = assertThrows(ModelLoadException.class, () -> TextEmbedder.load(dir));
        assertTrue(e.getMessage().contains("has no output 'sentence_embedding'"), e.getMessage());
        // the names the file has load
        Files.write(dir.resolve("model.json"), (head + "\"inputs\": [\"input_ids\", \"attention_mask\", \"token_type_ids\"]}")
                .getBytes(StandardCharsets.UTF_8));
        try (TextEmbedder ok = TextEmbedder.load(dir)) {
            assertEquals(384, ok.embed("a cat").length);
        }
    }
}
