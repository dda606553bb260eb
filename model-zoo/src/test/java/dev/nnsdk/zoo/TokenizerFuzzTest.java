package dev.nnsdk.zoo;


import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nnsdk.text.Encoding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of text cleaning and the native Hugging Face tokenizer on arbitrary UTF-16
 * (lone surrogates, NUL, control characters): never a crash, never an exception, always a valid encoding.
 */
class TokenizerFuzzTest {

    static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
    static final String TOKENIZER_SHA = "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0";
    static final int MAX_LENGTH = 256;

    private static Path root;
    private static ScopedSettings settings;
    private static HfTokenizer tokenizer;

    @BeforeAll
    static void setUp() throws IOException {
        root = Files.createTempDirectory("nnsdk-fuzz-tokenizer");
        settings = ScopedSettings.cache(root);
        tokenizer = new HfTokenizer(ArtifactCache.extract(TOKENIZER, TOKENIZER_SHA), MAX_LENGTH);
    }

    @AfterAll
    static void tearDown() throws IOException {
        tokenizer.close();
        settings.close();
        dev.nnsdk.io.AtomicDirectory.deleteTree(root);
    }

    /** Arbitrary UTF-16 code units, including unpaired surrogates and NUL. */
    static String anyUtf16(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            return data.consumeRemainingAsString();
        }
        StringBuilder sb = new StringBuilder();
        while (data.remainingBytes() >= 2) {
            sb.append(data.consumeChar());
        }
        return sb.toString();
    }

    @FuzzTest(maxDuration = "30s")
    void cleanAndEncode(FuzzedDataProvider data) {
        String s = anyUtf16(data);
        String clean = HfTokenizer.clean(s);
        assertEquals(s.length(), clean.length(), "clean must replace one char by one char");
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            assertTrue(c != 0, "NUL left at " + i);
            if (Character.isHighSurrogate(c)) {
                assertTrue(i + 1 < clean.length() && Character.isLowSurrogate(clean.charAt(i + 1)), "lone high surrogate at " + i);
                i++;
            } else {
                assertTrue(!Character.isLowSurrogate(c), "lone low surrogate at " + i);
            }
        }
        Encoding e = tokenizer.encode(s);
        assertTrue(e.length() >= 2 && e.length() <= MAX_LENGTH, "encoding length " + e.length());
        assertEquals(e.length(), e.ids().length);
        assertNotNull(tokenizer.tokens(s));
    }
}
