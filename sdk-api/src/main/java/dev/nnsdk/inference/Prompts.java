package dev.nnsdk.inference;

import java.util.ArrayList;
import java.util.List;

/** Puts a model's query or document prompt before each text. */
final class Prompts {
    private Prompts() {
    }

    static List<String> prefix(String prompt, List<String> texts) {
        if (prompt == null || prompt.isEmpty()) {
            return texts;
        }
        List<String> out = new ArrayList<String>(texts.size());
        for (String t : texts) {
            out.add(prompt + (t == null ? "" : t));
        }
        return out;
    }
}
