package dev.nnsdk.it;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.engine.EngineModel;
import dev.nnsdk.engine.Tensor;
import dev.nnsdk.inference.TextEmbedder;
import dev.nnsdk.repository.EngineSelection;
import dev.nnsdk.repository.ModelRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input to the djl engine's raw MiniLM model: each case is a clear SDK exception naming the
 * shapes, and the model keeps working afterwards (no JVM crash, no poisoned state).
 */
class DjlBadInputTest {

    private static EngineModel model;

    @BeforeAll
    static void load() {
        EngineParityAssets.require("models/minilm-l6-v2/model.torchscript.pt");
        model = EngineSelection.load(ModelRepository.resolve("all-minilm-l6-v2"),
                ModelOptions.builder().optEngine("djl").build());
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    private static List<Tensor> inputs(long[] ids, long batch, long seq) {
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1L);
        return Arrays.asList(Tensor.ofLongs("input_ids", ids, batch, seq),
                Tensor.ofLongs("attention_mask", mask, batch, seq),
                Tensor.ofLongs("token_type_ids", new long[ids.length], batch, seq));
    }

    private static long[] ids(int n) {
        long[] ids = new long[n];
        Arrays.fill(ids, 2023L);
        ids[0] = 101L;
        ids[n - 1] = 102L;
        return ids;
    }

    @Test
    void sequenceLongerThanThePositionTableIsAnInvalidInput() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> model.run(inputs(ids(600), 1, 600)));
        assertTrue(e.getMessage().contains("[1, 600]"), e.getMessage());
        assertWorks();
    }

    @Test
    void tokenIdOutsideTheVocabularyIsAnInvalidInput() {
        long[] ids = ids(5);
        ids[2] = 10_000_000L;
        assertThrows(InvalidInputException.class, () -> model.run(inputs(ids, 1, 5)));
        ids[2] = -3L;
        assertThrows(InvalidInputException.class, () -> model.run(inputs(ids, 1, 5)));
        assertWorks();
    }

    @Test
    void mismatchedShapesAndWrongTypesAreInvalidInputs() {
        List<Tensor> mismatched = Arrays.asList(Tensor.ofLongs("input_ids", ids(6), 1, 6),
                Tensor.ofLongs("attention_mask", new long[8], 1, 8),
                Tensor.ofLongs("token_type_ids", new long[6], 1, 6));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> model.run(mismatched));
        assertTrue(e.getMessage().contains("attention_mask: INT64[1, 8]"), e.getMessage());
        List<Tensor> floats = Arrays.asList(Tensor.ofFloats("input_ids", new float[6], 1, 6),
                Tensor.ofLongs("attention_mask", new long[6], 1, 6),
                Tensor.ofLongs("token_type_ids", new long[6], 1, 6));
        assertThrows(InvalidInputException.class, () -> model.run(floats));
        List<Tensor> rank3 = Arrays.asList(Tensor.ofLongs("input_ids", ids(6), 1, 2, 3),
                Tensor.ofLongs("attention_mask", new long[6], 1, 2, 3),
                Tensor.ofLongs("token_type_ids", new long[6], 1, 2, 3));
        assertThrows(InvalidInputException.class, () -> model.run(rank3));
        assertWorks();
    }

    @Test
    void namedInputsMayComeInAnyOrder() {
        List<Tensor> in = inputs(ids(7), 1, 7);
        List<Tensor> reversed = Arrays.asList(in.get(2), in.get(0), in.get(1));
        float[] a = model.run(in).get(0).toFloatArray();
        float[] b = model.run(reversed).get(0).toFloatArray();
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 0f);
        }
    }

    @Test
    void truncatedTorchScriptInAUserModelDirectoryIsAModelLoadException(@TempDir Path dir) throws IOException {
        Path source = EngineParityAssets.require("models/minilm-l6-v2/model.torchscript.pt");
        byte[] head = new byte[1 << 20];
        try (java.io.InputStream in = Files.newInputStream(source)) {
            int n = in.readNBytes(head, 0, head.length);
            assertEquals(head.length, n);
        }
        Files.write(dir.resolve("model.pt"), head);
        Files.write(dir.resolve("model.json"), ("{\"id\": \"broken-minilm\", \"task\": \"text-embedding\","
                + " \"artifacts\": {\"torchscript\": {\"source\": \"model.pt\"}},"
                + " \"inputs\": [\"input_ids\", \"attention_mask\", \"token_type_ids\"],"
                + " \"outputs\": [\"last_hidden_state\"],"
                + " \"text\": {\"tokenizer\": {\"source\": \"classpath:all-minilm-l6-v2-tokenizer.json\","
                + " \"sha256\": \"da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0\"},"
                + " \"maxLength\": 256, \"pooling\": \"mean\", \"normalize\": true}}").getBytes("UTF-8"));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> TextEmbedder.load(dir, ModelOptions.builder().optEngine("djl").build()));
        assertTrue(e.getMessage().contains("model.pt"), e.getMessage());
    }

    private static void assertWorks() {
        List<Tensor> out = model.run(inputs(ids(4), 1, 4));
        assertEquals("last_hidden_state", out.get(0).name());
        assertEquals(Arrays.toString(new long[] {1, 4, 384}), Arrays.toString(out.get(0).shape()));
    }
}
