package dev.nnsdk.zoo;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nnsdk.SdkException;
import dev.nnsdk.zoo.hub.HubLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the hub-layout reader ({@link HubLayout#describe}: {@code config.json},
 * {@code tokenizer_config.json}, {@code special_tokens_map.json}, {@code modules.json}, {@code 1_Pooling/config.json},
 * {@code sentence_bert_config.json}, {@code tokenizer.json} beside a model file): any set of files gives a descriptor or
 * an {@link SdkException} that names the directory or one of its files; anything else is a finding (issue 17).
 * {@code mvn verify} replays the committed inputs in {@code HubLayoutFuzzTestInputs/describe/}; {@code JAZZER_FUZZ=1}
 * fuzzes (docs/reliability.md).
 */
class HubLayoutFuzzTest {

    /** The files the reader looks at; the fuzzer chooses which exist and what they hold. */
    private static final String[] FILES = {"config.json", "tokenizer_config.json", "special_tokens_map.json",
        "modules.json", "1_Pooling/config.json", "sentence_bert_config.json", "tokenizer.json",
        "config_sentence_transformers.json"};

    private static Path root;

    @BeforeAll
    static void setUp() throws IOException {
        root = Files.createTempDirectory("nnsdk-fuzz-hub");
    }

    @AfterAll
    static void tearDown() throws IOException {
        dev.nnsdk.io.AtomicDirectory.deleteTree(root);
    }

    @FuzzTest(maxDuration = "60s")
    void describe(FuzzedDataProvider data) throws IOException {
        Path dir = root.resolve("model");
        if (Files.exists(dir)) {
            dev.nnsdk.io.AtomicDirectory.deleteTree(dir);
        }
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.write(dir.resolve(data.consumeBoolean() ? "model.onnx" : "model.pt"), new byte[] {1, 2, 3});
        for (String f : FILES) {
            if (data.consumeBoolean()) {
                Files.write(dir.resolve(f), data.consumeString(2000).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            HubLayout.describe(dir, null);
        } catch (SdkException e) {
            if (e.getMessage() == null || !e.getMessage().contains(dir.toString())) {
                throw new AssertionError("error does not name the model directory or its file: " + e.getMessage(), e);
            }
        }
    }
}
