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
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
            com.fasterxml.jackson.databind.JsonNode m = n.path("model");
            if ("WordPiece".equals(m.path("type").asText()) || m.has("continuing_subword_prefix")) {
                prefix = m.path("continuing_subword_prefix").asText("##");
            }
            com.fasterxml.jackson.databind.JsonNode post = n.path("post_processor");
            pairs = !post.isMissingNode() && !post.isNull()
                    && (!"TemplateProcessing".equals(post.path("type").asText()) || post.has("pair"));
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
