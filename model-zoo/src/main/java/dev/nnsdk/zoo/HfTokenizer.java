package dev.nnsdk.zoo;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.engine.RunGuard;
import dev.nnsdk.text.Encoding;
import dev.nnsdk.text.Tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Adapter from {@link HuggingFaceTokenizer} to the SDK's {@link Tokenizer}: truncation at the
 * model's maximum length, no padding (batches are padded later, to their longest text), and text
 * cleaned of what the native library cannot take (lone surrogates, NUL).
 */
final class HfTokenizer implements Tokenizer {

    private final HuggingFaceTokenizer tokenizer;
    private final RunGuard guard;

    HfTokenizer(Path file, int maxLength) {
        try {
            this.tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optMaxLength(maxLength)
                    .optTruncation(true)
                    .optPadding(false)
                    .optAddSpecialTokens(true)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("Cannot load tokenizer " + file + ": " + e.getMessage(), e);
        }
        this.guard = new RunGuard("Tokenizer " + file.getFileName());
    }

    /** Replaces lone UTF-16 surrogates and NUL with U+FFFD so the text is valid for the native side. */
    static String clean(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad;
            if (Character.isHighSurrogate(c)) {
                bad = i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
                if (!bad) {
                    if (sb != null) {
                        sb.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                bad = Character.isLowSurrogate(c) || c == 0;
            }
            if (bad && sb == null) {
                sb = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (sb != null) {
                sb.append(bad ? '\uFFFD' : c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    @Override
    public Encoding encode(String text) {
        return encodeAll(Arrays.asList(text)).get(0);
    }

    @Override
    public List<Encoding> encodeAll(List<String> texts) {
        guard.enter();
        try {
            List<String> clean = new ArrayList<String>(texts.size());
            for (String t : texts) {
                clean.add(clean(t == null ? "" : t));
            }
            ai.djl.huggingface.tokenizers.Encoding[] enc = tokenizer.batchEncode(clean);
            List<Encoding> out = new ArrayList<Encoding>(enc.length);
            for (ai.djl.huggingface.tokenizers.Encoding e : enc) {
                out.add(new Encoding(e.getIds(), e.getTypeIds()));
            }
            return out;
        } finally {
            guard.exit();
        }
    }

    @Override
    public List<String> tokens(String text) {
        guard.enter();
        try {
            return Arrays.asList(tokenizer.encode(clean(text)).getTokens());
        } finally {
            guard.exit();
        }
    }

    @Override
    public void close() {
        if (guard.close()) {
            tokenizer.close();
        }
    }
}
