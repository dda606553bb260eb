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
 *
 * <p><b>Character budget.</b> Only the first {@code maxLength} word pieces of a text are used, so the
 * native tokenizer is never given a whole long text (a 48 MB line took 6.65 GB and 77 s): a text
 * longer than {@link #FIRST_BUDGET_PER_TOKEN}{@code  x maxLength} characters is cut at a whitespace
 * before that budget, and encoded; if the cut text fills {@code maxLength} word pieces, its encoding is
 * exactly that of the whole text (the cut falls between words, after the last word piece used); if not,
 * the budget is doubled and the text encoded again, up to {@link #MAX_BUDGET_PER_TOKEN}{@code  x maxLength}
 * characters (262,144 for 256 word pieces). Only a text whose first {@code maxLength} word pieces
 * span more than that (runs of thousands of spaces, or one "word" of thousands of letters) is encoded
 * from its first 262,144 characters, which may differ in its last word piece from the whole text.
 */
final class HfTokenizer implements Tokenizer {

    /** First character budget per word piece of the maximum length. */
    static final int FIRST_BUDGET_PER_TOKEN = 16;
    /** Largest character budget per word piece of the maximum length. */
    static final int MAX_BUDGET_PER_TOKEN = 1024;

    private final HuggingFaceTokenizer tokenizer;
    private final RunGuard guard;
    private final int maxLength;

    HfTokenizer(Path file, int maxLength) {
        this.maxLength = maxLength;
        CudaProbe.quiet();
        try {
            HuggingFaceTokenizer.Builder b = HuggingFaceTokenizer.builder();
            // DJL caps maxLength at its modelMaxLength (default 512) with only a log warning; the caller has already
            // checked maxLength against the model's position limit, so lift the cap to it.
            b.configure(java.util.Collections.singletonMap("modelMaxLength", String.valueOf(Math.max(512, maxLength))));
            this.tokenizer = b
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
        String prefix = null;
        boolean pairs = true;
        try {
            TokenizerJsonHints h = TokenizerJsonHints.read(file);
            prefix = h.subwordPrefix();
            pairs = h.pairs();
        } catch (IOException | RuntimeException e) {
            // the native tokenizer read it above; without these two hints pairs stay allowed and subwords unmarked
        }
        this.subwordPrefix = prefix;
        this.pairs = pairs;
        this.file = file;
    }

    private final String subwordPrefix;
    private final boolean pairs;
    private final Path file;

    @Override
    public String continuingSubwordPrefix() {
        return subwordPrefix;
    }

    @Override
    public List<Encoding> encodeWithOffsets(List<String> texts) {
        guard.enter();
        try {
            List<String> clean = new ArrayList<String>(texts.size());
            for (String t : texts) {
                clean.add(clean(t == null ? "" : t));
            }
            return withOffsets(tokenizer.batchEncode(clean));
        } finally {
            guard.exit();
        }
    }

    @Override
    public List<Encoding> encodePairs(List<String> first, List<String> second) {
        if (first.size() != second.size()) {
            throw new IllegalArgumentException(first.size() + " first texts but " + second.size() + " second texts");
        }
        if (!pairs) {
            throw new IllegalArgumentException(file + ": field 'post_processor' has no pair template, so this is a "
                    + "single-text model; give it one text at a time");
        }
        guard.enter();
        try {
            List<ai.djl.huggingface.tokenizers.Encoding> out = new ArrayList<ai.djl.huggingface.tokenizers.Encoding>();
            for (int i = 0; i < first.size(); i++) {
                out.add(tokenizer.encode(clean(first.get(i) == null ? "" : first.get(i)),
                        clean(second.get(i) == null ? "" : second.get(i))));
            }
            return withOffsets(out.toArray(new ai.djl.huggingface.tokenizers.Encoding[0]));
        } finally {
            guard.exit();
        }
    }

    private static List<Encoding> withOffsets(ai.djl.huggingface.tokenizers.Encoding[] enc) {
        List<Encoding> out = new ArrayList<Encoding>(enc.length);
        for (ai.djl.huggingface.tokenizers.Encoding e : enc) {
            long[] ids = e.getIds();
            ai.djl.huggingface.tokenizers.jni.CharSpan[] spans = e.getCharTokenSpans();
            long[] specialMask = e.getSpecialTokenMask();
            int n = ids.length;
            int[] starts = new int[n];
            int[] ends = new int[n];
            boolean[] special = new boolean[n];
            for (int i = 0; i < n; i++) {
                special[i] = specialMask != null && specialMask[i] != 0;
                if (spans != null && i < spans.length && spans[i] != null) {
                    starts[i] = spans[i].getStart();
                    ends[i] = spans[i].getEnd();
                }
            }
            out.add(new Encoding(ids, e.getTypeIds(), e.getTokens(), starts, ends, special));
        }
        return out;
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

    private int budget(int perToken) {
        return (int) Math.min(Integer.MAX_VALUE - 16, (long) Math.max(1, maxLength) * perToken);
    }

    /**
     * The text cut to at most {@code budget} characters, at the last whitespace of the budget's second
     * half (so that no word is cut), or at the budget itself when that half has none (never inside a
     * surrogate pair).
     */
    static String prefix(String s, int budget) {
        if (s.length() <= budget) {
            return s;
        }
        for (int i = budget; i > budget / 2; i--) {
            if (Character.isWhitespace(s.charAt(i))) {
                return s.substring(0, i);
            }
        }
        int cut = budget;
        if (Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;
        }
        return s.substring(0, cut);
    }

    @Override
    public Encoding encode(String text) {
        return encodeAll(Arrays.asList(text)).get(0);
    }

    @Override
    public List<Encoding> encodeAll(List<String> texts) {
        guard.enter();
        try {
            int first = budget(FIRST_BUDGET_PER_TOKEN);
            List<String> clean = new ArrayList<String>(texts.size());
            for (String t : texts) {
                clean.add(clean(prefix(t == null ? "" : t, first)));
            }
            ai.djl.huggingface.tokenizers.Encoding[] enc = tokenizer.batchEncode(clean);
            List<Encoding> out = new ArrayList<Encoding>(enc.length);
            for (int i = 0; i < enc.length; i++) {
                ai.djl.huggingface.tokenizers.Encoding e = enc[i];
                String t = texts.get(i);
                // a cut text that did not fill maxLength word pieces: encode more of it
                for (int b = first; e.getIds().length < maxLength && t != null && clean.get(i).length() < t.length()
                        && b < budget(MAX_BUDGET_PER_TOKEN); ) {
                    b = (int) Math.min((long) b * 2, budget(MAX_BUDGET_PER_TOKEN));
                    String more = clean(prefix(t, b));
                    clean.set(i, more);
                    e = tokenizer.encode(more);
                }
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
            return Arrays.asList(tokenizer.encode(clean(prefix(text, budget(MAX_BUDGET_PER_TOKEN)))).getTokens());
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
