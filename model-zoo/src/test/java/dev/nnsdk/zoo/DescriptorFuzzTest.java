package dev.nnsdk.zoo;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nnsdk.SdkException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of {@code model.json} parsing ({@link ZooResolver#readDescriptorFile} and
 * {@link DescriptorReader}): any input gives a descriptor or an {@link SdkException}; anything else
 * (NullPointerException, InvalidPathException, ...) is a finding.
 *
 * <p>{@code mvn verify} replays the committed inputs in {@code src/test/resources/.../DescriptorFuzzTestInputs};
 * {@code JAZZER_FUZZ=1 mvn test -pl model-zoo -Dtest=DescriptorFuzzTest} fuzzes (see docs/reliability.md).
 */
class DescriptorFuzzTest {

    private static Path root;
    private static ScopedSettings settings;

    @BeforeAll
    static void setUp() throws IOException {
        root = Files.createTempDirectory("nnsdk-fuzz-descriptor");
        Path assets = Files.createDirectories(root.resolve("assets").resolve("models"));
        Files.write(assets.resolve("labels.txt"), "a\nb\n".getBytes(StandardCharsets.UTF_8));
        Files.write(root.resolve("model.onnx"), new byte[] {1, 2, 3});
        settings = ScopedSettings.cache(root.resolve("cache"))
                .set(dev.nnsdk.SdkSettings.OFFLINE_PROPERTY, "true")
                .set(dev.nnsdk.SdkSettings.ASSETS_PROPERTY, root.resolve("assets").toString());
    }

    @AfterAll
    static void tearDown() throws IOException {
        settings.close();
        dev.nnsdk.io.AtomicDirectory.deleteTree(root);
    }

    /** JSON tokens of the descriptor schema, so mutations reach the reader rather than only Jackson. */
    @DictionaryEntries({"\"id\"", "\"task\"", "\"description\"", "\"inputs\"", "\"outputs\"", "\"artifacts\"",
            "\"onnx\"", "\"torchscript\"", "\"source\"", "\"sha256\"", "\"entry\"", "\"text\"", "\"tokenizer\"",
            "\"maxLength\"", "\"pooling\"", "\"normalize\"", "\"output\"", "\"image\"", "\"width\"", "\"height\"",
            "\"layout\"", "\"resize\"", "\"resizeShorter\"", "\"scale\"", "\"mean\"", "\"std\"", "\"features\"",
            "\"scores\"", "\"scoresAreLogits\"", "\"labels\"", "\"classpath:", "\"assets:", "\"file:", "\"https://h/",
            "\"http://", ".zip\"", ".tar.gz\"", ".onnx\"", ".pt\"", "\"NCHW\"", "\"NHWC\"", "\"shorter\"", "\"cls\"",
            "\"mean\"", "\"none\"", "../", "\\u0000", "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81",
            "true", "null", "-1", "1e999", "[]", "{}"})
    @FuzzTest(maxDuration = "30s")
    void readDescriptor(byte[] json) throws IOException {
        Path file = root.resolve("model.json");
        Files.write(file, json);
        try {
            ZooResolver.readDescriptorFile(file);
        } catch (SdkException expected) {
            if (expected.getMessage() == null || !expected.getMessage().contains(file.toString())
                    && !expected.getMessage().contains("Archive") && !expected.getMessage().contains("Checksum")
                    && !expected.getMessage().contains("Model ")) {
                throw new AssertionError("error does not name the descriptor: " + expected.getMessage(), expected);
            }
        }
    }
}
