package dev.nnsdk.it;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.inference.TextEmbedder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One model id, two engines: all-minilm-l6-v2 on ONNX Runtime (the ONNX file from the LangChain4j
 * jar) and on DJL/PyTorch (the TorchScript conversion in the shared assets) must give the same
 * sentence vectors, with the same tokenizer and pooling, for every kind of text.
 */
class EngineParityTextTest {

    private static final String MODEL = "all-minilm-l6-v2";
    private static final double MIN_COSINE = 0.9999;

    static List<String> texts() throws IOException {
        StringBuilder repeated = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            repeated.append("The quick brown fox jumps over the lazy dog number ").append(i).append(". ");
        }
        StringBuilder mixedLong = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            mixedLong.append("Sentence ").append(i).append(" mixes English, français, 中文 and emoji 🎬 in one line; ");
        }
        List<String> t = new ArrayList<String>(Arrays.asList(
                // short, ordinary
                "Hello", "A", "ok", "The cat sat on the mat.", "I loved this film.",
                "Terrible acting and a boring plot.", "What time does the train to Paris leave?",
                "Embeddings map sentences to vectors.", "The stock market fell sharply on Monday.",
                "Photosynthesis converts light energy into chemical energy.",
                "She sells sea shells by the sea shore.", "Can you recommend a good Italian restaurant nearby?",
                "Error 404: page not found", "2 + 2 = 4, and 3.14159 is roughly pi.",
                "Contact us at support@example.com or visit https://example.com/help?q=1&lang=en",
                "for (int i = 0; i < n; i++) { sum += a[i]; }", "ALL CAPS SHOUTING TEXT!!!",
                "mIxEd CaSe WoRdS", "#hashtag @mention $100 50% off",
                "He said, \"It's not what you think\" — and left.",
                // empty, whitespace and punctuation only
                "", " ", "   \t  \n  ", "\n", "!!!", "?!?!...", ";:,.-_()[]{}", "—–…“”‘’",
                // non-ASCII Latin, other scripts
                "Café crème brûlée à la française.", "Über naïve façades: Ærø, Øresund, Straße.",
                "¿Dónde está la biblioteca? ¡Aquí!", "Москва — столица России.", "Ελληνικά: καλημέρα κόσμε.",
                "שלום עולם", "مرحبا بالعالم", "नमस्ते दुनिया", "สวัสดีชาวโลก", "Zażółć gęślą jaźń.",
                // CJK
                "我喜欢这部电影，演员们的表演非常精彩。", "日本語のテキストです。東京は大きな都市です。",
                "한국어 문장입니다. 오늘 날씨가 좋네요.", "中文English混合text测试",
                // emoji and symbols
                "I love it 😍🔥👍", "🙂", "👨‍👩‍👧‍👦 family emoji with zero-width joiners", "🇫🇷🇯🇵🇧🇷 flags",
                "★☆♥♦ ∑∫√∞ ≠ ≤ ≥", "e\u0301 combining accent vs é precomposed",
                // control characters and odd spacing
                "tab\tseparated\tvalues", "non\u00a0breaking\u2003spaces", "zero\u200bwidth\u200bspace",
                // long: more than 256 word pieces, so truncation is exercised
                repeated.toString(), mixedLong.toString()));
        // Real reviews: lengths from a line to several hundred word pieces, HTML <br /> tags, non-ASCII.
        t.addAll(EngineParityAssets.imdbReviews(12));
        return t;
    }

    @Test
    void miniLmVectorsAgreeAcrossEnginesOnVariedTexts() throws IOException {
        EngineParityAssets.require("models/minilm-l6-v2/model.torchscript.pt");
        List<String> texts = texts();
        assertTrue(texts.size() >= 50, "need at least 50 texts, have " + texts.size());

        List<float[]> onnx = embed("onnx", texts);
        List<float[]> djl = embed("djl", texts);

        assertEquals(texts.size(), onnx.size());
        assertEquals(texts.size(), djl.size());
        double worst = 1;
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(384, onnx.get(i).length);
            assertEquals(384, djl.get(i).length);
            double c = cosine(onnx.get(i), djl.get(i));
            worst = Math.min(worst, c);
            assertTrue(c >= MIN_COSINE, "text #" + i + " '" + abbreviate(texts.get(i)) + "': cosine " + c);
        }
        System.out.printf("MiniLM onnx vs djl: %d texts, lowest cosine %.8f%n", texts.size(), worst);
    }

    @Test
    void singleEmbedMatchesBatchedEmbedOnDjl() throws IOException {
        EngineParityAssets.require("models/minilm-l6-v2/model.torchscript.pt");
        List<String> texts = texts().subList(0, 12);
        try (TextEmbedder djl = TextEmbedder.load(MODEL, ModelOptions.builder().optEngine("djl").build())) {
            assertEquals("djl", djl.engine());
            List<float[]> batched = djl.embedAll(texts);
            for (int i = 0; i < texts.size(); i++) {
                double c = cosine(batched.get(i), djl.embed(texts.get(i)));
                assertTrue(c >= MIN_COSINE, "text #" + i + ": padded batch vs alone cosine " + c);
            }
        }
    }

    /** The same user code for both engines: only the engine option changes. */
    private static List<float[]> embed(String engine, List<String> texts) {
        ModelOptions options = ModelOptions.builder().optEngine(engine).optBatchSize(16).build();
        try (TextEmbedder embedder = TextEmbedder.load(MODEL, options)) {
            assertEquals(engine, embedder.engine());
            return embedder.embedAll(texts);
        }
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static String abbreviate(String s) {
        String one = s.replace("\n", "\\n").replace("\t", "\\t");
        return one.length() > 60 ? one.substring(0, 60) + "..." : one;
    }
}
