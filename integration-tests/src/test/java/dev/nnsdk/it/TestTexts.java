package dev.nnsdk.it;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Shared test inputs and vector helpers for the integration tests. */
final class TestTexts {
    private TestTexts() {
    }

    /**
     * 56 varied texts, each at most 128 word pieces with [CLS]/[SEP] (the oracle test checks this):
     * short, long-ish, punctuation, numbers, code, HTML, many scripts, emoji, odd whitespace.
     */
    static final List<String> VARIED = Collections.unmodifiableList(Arrays.asList(
            "The cat sat on the mat.",
            "Hello",
            "a",
            "?",
            "42",
            "OK!",
            "How do I reset my password?",
            "The quick brown fox jumps over the lazy dog.",
            "I absolutely loved this film; the acting was superb and the ending made me cry.",
            "Worst purchase ever. Broke after two days and support never answered.",
            "Interest rates rose by 0.25% on 2024-03-20, the third increase this year.",
            "Call +1 (555) 010-9999 or email support@example.com before 5 p.m.",
            "SELECT name, COUNT(*) FROM users WHERE age > 30 GROUP BY name;",
            "public static void main(String[] args) { System.out.println(\"hi\"); }",
            "<p>This movie was <b>great</b>.<br /><br />Would watch again.</p>",
            "Visit https://example.org/path?query=1&lang=en#top for details.",
            "ALL CAPS SENTENCE SHOUTING ABOUT NOTHING IN PARTICULAR",
            "mIxEd CaSe TeXt WiTh NuMbErS 123 aNd SyMbOlS #@!",
            "   leading and trailing spaces   ",
            "tabs\tbetween\twords\tand\ttrailing\t",
            "Ünïcödé àccents: café, naïve, résumé, Straße, Øresund, Ångström.",
            "Les chats dorment sur le canapé pendant que la pluie tombe sur Paris.",
            "Der schnelle braune Fuchs springt über den faulen Hund.",
            "El perro corre por el parque mientras los niños juegan al fútbol.",
            "Быстрая коричневая лиса перепрыгивает через ленивую собаку.",
            "Η γρήγορη καφέ αλεπού πηδάει πάνω από το τεμπέλικο σκυλί.",
            "我们今天去公园散步，天气非常好。",
            "東京は日本の首都であり、世界最大の都市圏の一つです。",
            "한국어 문장도 임베딩할 수 있어야 합니다.",
            "القطة تجلس على السجادة في المنزل.",
            "שלום עולם, זהו משפט בעברית.",
            "हिंदी में एक छोटा वाक्य।",
            "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ",
            "I love pizza 🍕🍕🍕 and tacos 🌮!",
            "😀😃😄😁😆😅😂🤣",
            "Family: 👨‍👩‍👧‍👦, flags: 🇫🇷🇯🇵, skin tones: 👍🏽👋🏿",
            "Math symbols: ∑ ∫ √ ∞ ≠ ≤ ≥ π ∂ ∇ and arrows → ← ↑ ↓",
            "Currency: €100, £50, ¥1000, ₹500, $20.99, ₿0.01",
            "Zero\u200Bwidth\u200Bspaces and a soft\u00ADhyphen",
            "Line one\nLine two\nLine three",
            "Quotes: “curly” ‘single’ «guillemets» „German“",
            "repeated repeated repeated repeated repeated repeated repeated repeated",
            "supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
            "x y z w v u t s r q p o n m l k j i h g f e d c b a",
            "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20",
            "!!!???...,,,;;;:::---___===+++",
            "e.g. i.e. etc. vs. Mr. Mrs. Dr. St. Jr.",
            "The patient was prescribed 500mg of amoxicillin three times daily for ten days.",
            "Photosynthesis converts light energy into chemical energy stored in glucose molecules.",
            "The defendant pleaded not guilty, and the trial was adjourned until next Monday.",
            "Neural networks learn representations by adjusting weights through backpropagation.",
            "My flight was delayed four hours, and the airline lost my luggage on the way back from Lisbon.",
            "This review is long-ish: the plot meanders, the dialogue is stilted, and although the cinematography "
                    + "is occasionally beautiful, nothing can save a story this thin. The lead actor tries hard, but the "
                    + "script gives him nothing to work with, and by the third act I had stopped caring about anyone.",
            "Once upon a time, in a kingdom far away, there lived a princess who loved maps. Every morning she "
                    + "climbed the tallest tower and drew the rivers, the forests and the roads, until one day she noticed "
                    + "a village that had never been there before.",
            "Mixed scripts: English, français, Deutsch, русский, 中文, 日本語, العربية, and emoji 🚀 in one line.",
            "A sentence with a control char \u0007 bell and a form\ffeed."));

    /** Texts longer than 128 word pieces (LangChain4j cuts at 128, the SDK's catalog model at 256). */
    static List<String> longTexts() {
        List<String> out = new ArrayList<String>();
        out.add(repeat("The film opens slowly, but the patience pays off in a remarkable final act. ", 12));
        out.add(repeat("Les critiques ont adoré ce film étrange et poétique, plein de surprises. 🎬 ", 15));
        out.add(repeat("数据科学家使用机器学习模型来预测未来的趋势。", 30));
        out.add(repeat("word ", 700));
        out.add(repeat("Quarterly revenue grew 12% to $4.2bn; operating margin fell to 18.5% from 21%. ", 40));
        return out;
    }

    static String repeat(String s, int n) {
        StringBuilder sb = new StringBuilder(s.length() * n);
        for (int i = 0; i < n; i++) {
            sb.append(s);
        }
        return sb.toString();
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    static double norm(float[] a) {
        double s = 0;
        for (float x : a) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    static boolean allFinite(float[] a) {
        for (float x : a) {
            if (Float.isNaN(x) || Float.isInfinite(x)) {
                return false;
            }
        }
        return true;
    }
}
