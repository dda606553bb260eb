package dev.nnsdk.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nnsdk.ChecksumMismatchException;
import dev.nnsdk.ModelNotFoundException;
import dev.nnsdk.repository.ModelRepository;

/**
 * Bad input fails the job with the SDK's own message: in the first line of the exception the user
 * gets from the action, and as an SDK exception in its cause chain (not only Spark internals).
 */
class BadInputSparkTest {
    private static Dataset<Row> texts;

    @BeforeAll
    static void setUp() {
        SparkTests.spark();
        texts = TextEmbedderSparkTest.frame(Arrays.asList("one", "two", "three"), 2);
    }

    /** The exception an action throws, checked to carry {@code type} with {@code message} at the top. */
    private static void failsWith(Runnable action, Class<? extends Throwable> type, String message) {
        Throwable top = assertThrows(Throwable.class, action::run);
        String firstLine = String.valueOf(top.getMessage()).split("\n")[0];
        assertTrue(firstLine.contains(type.getName() + ": ") && firstLine.contains(message),
                "first line of the job's error names the SDK exception and its message: " + firstLine);
        Throwable t = top;
        while (t != null && !type.isInstance(t)) {
            t = t.getCause();
        }
        assertTrue(t != null, "the cause chain holds the " + type.getSimpleName() + ": " + top);
        assertTrue(t.getMessage().contains(message), t.getMessage());
    }

    @Test
    void aModelPathMissingOnTheExecutor(@TempDir Path dir) {
        String missing = dir.resolve("no-such-model-dir").toString();
        failsWith(() -> new TextEmbedder().setModel(missing).transform(texts).collectAsList(),
                ModelNotFoundException.class, "does not exist");
        failsWith(() -> new TextEmbedder().setModel(missing).transform(texts).collectAsList(),
                ModelNotFoundException.class, "executor driver");
    }

    @Test
    void anUnknownModelId() {
        failsWith(() -> new TextClassifier().setModel("no-such-model").transform(texts).count(),
                ModelNotFoundException.class, "Unknown model 'no-such-model'");
    }

    @Test
    void aChecksumMismatch(@TempDir Path dir) throws Exception {
        Path tokenizer = ModelRepository.resolve("all-minilm-l6-v2").text().tokenizer().path();
        Files.copy(tokenizer, dir.resolve("tokenizer.json"));
        Files.write(dir.resolve("encoder.onnx"), "not the model that was recorded".getBytes(StandardCharsets.UTF_8));
        String zeros = "0000000000000000000000000000000000000000000000000000000000000000";
        Files.write(dir.resolve("model.json"), ("{\"id\": \"tampered\", \"task\": \"text-embedding\","
                + " \"artifacts\": {\"onnx\": {\"source\": \"encoder.onnx\", \"sha256\": \"" + zeros + "\"}},"
                + " \"inputs\": [\"input_ids\", \"attention_mask\", \"token_type_ids\"],"
                + " \"text\": {\"tokenizer\": {\"source\": \"tokenizer.json\"}, \"maxLength\": 128,"
                + " \"pooling\": \"mean\", \"normalize\": true}}").getBytes(StandardCharsets.UTF_8));
        long loads = ModelCache.loads();
        failsWith(() -> new TextEmbedder().setModel(dir.toString()).transform(texts).collectAsList(),
                ChecksumMismatchException.class, "encoder.onnx");
        assertEquals(loads, ModelCache.loads(), "a failed load is not counted nor cached");
    }

    @Test
    void aWrongColumnTypeFailsOnTheDriverBeforeAnyTask() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TextEmbedder().setModel("all-minilm-l6-v2").setInputCol("id").transform(texts));
        assertEquals("TextEmbedder: input column 'id' must be string, not int", e.getMessage());
        IllegalArgumentException img = assertThrows(IllegalArgumentException.class,
                () -> new ImageClassifier().setModel("resnet-tiny-fixture").setInputCol("text").transform(texts));
        assertTrue(img.getMessage().startsWith("ImageClassifier: input column 'text' must be binary"), img.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new TextEmbedder().setModel("all-minilm-l6-v2").setInputCol("body").transform(texts));
        assertEquals("TextEmbedder: input column 'body' does not exist; the columns are [id, text]", none.getMessage());
    }
}
