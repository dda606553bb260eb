package dev.nnsdk.zoo;


import dev.nnsdk.text.Encoding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tokenizer on hostile text: empty, 1 MB, lone surrogates, NUL, control characters. */
class TokenizerBadInputTest {

    private static Path root;
    private static ScopedSettings settings;
    private static HfTokenizer tokenizer;

    @BeforeAll
    static void setUp() throws IOException {
        root = Files.createTempDirectory("nnsdk-tokenizer-bad-input");
        settings = ScopedSettings.cache(root);
        tokenizer = new HfTokenizer(ArtifactCache.extract(TokenizerFuzzTest.TOKENIZER, TokenizerFuzzTest.TOKENIZER_SHA),
                TokenizerFuzzTest.MAX_LENGTH);
    }

    @AfterAll
    static void tearDown() throws IOException {
        tokenizer.close();
        settings.close();
        dev.nnsdk.io.AtomicDirectory.deleteTree(root);
    }

    /** One megabyte of random UTF-16 code units: surrogates (paired or not), NUL, controls, letters. */
    static String hostileMegabyte(long seed) {
        Random r = new Random(seed);
        char[] pool = {'\0', '\uD800', '\uDC00', '\uDBFF', '\uDFFF', '\u0001', '\u001B', '\u007F', '\u0085', '\u2028',
                '\uFEFF', '\uFFFE', '\uFFFF', '\t', '\n', '\r', ' ', 'a', 'Z', '\u00E9', '\u4E2D'};
        char[] c = new char[1 << 20];
        for (int i = 0; i < c.length; i++) {
            c[i] = r.nextInt(4) == 0 ? (char) r.nextInt(0x10000) : pool[r.nextInt(pool.length)];
        }
        return new String(c);
    }

    @Test
    void hostileTextsEncodeWithinTheModelLimit() {
        List<String> texts = new ArrayList<String>(Arrays.asList("", "\0", "\uD800", "\uDC00\uD800", "\u0000\u0001\u0002\u001F",
                "\uFEFFhello", "😀", new String(new char[10000]), hostileMegabyte(1)));
        List<Encoding> all = tokenizer.encodeAll(texts);
        assertEquals(texts.size(), all.size());
        for (int i = 0; i < texts.size(); i++) {
            Encoding e = all.get(i);
            assertTrue(e.length() >= 2 && e.length() <= TokenizerFuzzTest.MAX_LENGTH, "text " + i + ": " + e.length());
            if (texts.get(i).length() < 100_000) {
                assertEquals(e.length(), tokenizer.encode(texts.get(i)).length(), "batch and single encodings differ for text " + i);
            }
        }
        assertEquals(TokenizerFuzzTest.MAX_LENGTH, all.get(texts.size() - 1).length(), "1 MB is truncated to the limit");
        String clean = HfTokenizer.clean(texts.get(texts.size() - 1));
        assertEquals(1 << 20, clean.length());
        assertTrue(clean.indexOf('\0') < 0);
    }
}
