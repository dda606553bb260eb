package dev.nnsdk.it;

import dev.nnsdk.text.Tokenizers;

import dev.nnsdk.inference.TextEmbedder;

import dev.nnsdk.text.Encoding;
import dev.nnsdk.text.Tokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Text longer than the model's 256 word pieces is truncated (first 254 pieces + [CLS]/[SEP]), never refused. */
class TruncationTest {

    static TextEmbedder embedder;
    static Tokenizer untruncated;

    @BeforeAll
    static void load() {
        embedder = TextEmbedder.load("all-minilm-l6-v2");
        untruncated = Tokenizers.factory().create(embedder.descriptor().text().tokenizer().path(), 512);
    }

    @AfterAll
    static void close() {
        embedder.close();
        untruncated.close();
    }

    /** {@code n} words that are one word piece each. */
    static List<String> words(int n) {
        String[] vocab = {"the", "cat", "sat", "on", "a", "warm", "mat", "and", "dog", "ran", "home", "after", "rain"};
        List<String> out = new ArrayList<String>();
        for (int i = 0; i < n; i++) {
            out.add(vocab[(i * 7 + i / 13) % vocab.length]);
        }
        return out;
    }

    @Test
    void longTextGivesTheVectorOfItsFirst254WordPieces() {
        List<String> w = words(400);
        String longText = String.join(" ", w);
        String first254 = String.join(" ", w.subList(0, 254));
        assertEquals(402, untruncated.encode(longText).length(), "every word is one word piece");
        assertEquals(256, untruncated.encode(first254).length());
        float[] a = embedder.embed(longText);
        float[] b = embedder.embed(first254);
        assertTrue(TestTexts.maxAbsDiff(a, b) < 1e-6, "max abs diff " + TestTexts.maxAbsDiff(a, b));
        float[] c = embedder.embed(String.join(" ", w.subList(0, 255)));
        assertTrue(TestTexts.maxAbsDiff(a, c) < 1e-6, "a 255th word piece is cut too");
        float[] shorter = embedder.embed(String.join(" ", w.subList(0, 253)));
        assertTrue(TestTexts.maxAbsDiff(a, shorter) > 1e-4, "253 pieces is a different input");
    }

    @Test
    void veryLongRealisticTextIsTruncatedNotRefused() {
        String text = TestTexts.repeat("Überraschend gut! The sequel's pacing — 2h 47min — felt shorter than expected 🎬. ", 400);
        Encoding full = untruncated.encode(text);
        assertEquals(512, full.length(), "longer than even 512 word pieces");
        try (Tokenizer t256 = Tokenizers.factory().create(embedder.descriptor().text().tokenizer().path(), 256)) {
            Encoding cut = t256.encode(text);
            assertEquals(256, cut.length());
            assertArrayEquals(Arrays.copyOf(full.ids(), 255), Arrays.copyOf(cut.ids(), 255));
            assertEquals(102L, cut.ids()[255]);
        }
        float[] v = embedder.embed(text);
        assertEquals(384, v.length);
        assertEquals(1.0, TestTexts.norm(v), 1e-5);
    }

    @Test
    void batchOfMixedLengthsMatchesOneByOne() {
        List<String> texts = new ArrayList<String>(TestTexts.longTexts());
        texts.addAll(TestTexts.VARIED.subList(0, 10));
        texts.add("");
        List<float[]> all = embedder.embedAll(texts);
        assertEquals(texts.size(), all.size());
        for (int i = 0; i < texts.size(); i++) {
            double c = TestTexts.cosine(all.get(i), embedder.embed(texts.get(i)));
            assertTrue(c > 0.99999, "text " + i + ": batched vs alone cosine " + c);
        }
    }
}
