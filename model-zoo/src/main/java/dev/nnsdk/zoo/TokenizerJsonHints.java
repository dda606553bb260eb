package dev.nnsdk.zoo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStream;

/**
 * The two facts the SDK reads from a Hugging Face {@code tokenizer.json} beside the native tokenizer: the WordPiece
 * continuing-subword prefix ({@code model.continuing_subword_prefix}, {@code "##"} for a WordPiece model that does not
 * name one) and whether the post-processor takes text pairs. Read by streaming, and the reading stops as soon as both
 * are known: Hugging Face writes {@code post_processor} before {@code model}, and {@code model.type} and
 * {@code model.continuing_subword_prefix} before its vocabulary, so the vocabulary and merges (most of the file, 30,000+
 * entries) are not read at all; a file in another order is read to its end (building it into a tree, as before, cost
 * 0.3-0.5 CPU s per model load with the JIT work it caused).
 *
 * <pre>{@code
 * TokenizerJsonHints h = TokenizerJsonHints.read(Path.of("tokenizer.json"));
 * String prefix = h.subwordPrefix();   // "##" for BERT, null for BPE/Unigram
 * }</pre>
 */
final class TokenizerJsonHints {
    private static final JsonFactory JSON = new JsonFactory();

    private final String subwordPrefix;
    private final boolean pairs;

    private TokenizerJsonHints(String subwordPrefix, boolean pairs) {
        this.subwordPrefix = subwordPrefix;
        this.pairs = pairs;
    }

    /** The continuing-subword prefix of a WordPiece model, else null. */
    String subwordPrefix() {
        return subwordPrefix;
    }

    /**
     * Whether text pairs are allowed: a post-processor is present and either is not a {@code TemplateProcessing} or
     * has a {@code pair} template.
     */
    boolean pairs() {
        return pairs;
    }

    /** Reads {@code file}; a malformed file is an {@link IOException} (the native tokenizer reports it first). */
    static TokenizerJsonHints read(Path file) throws IOException {
        String modelType = null;
        String prefix = null;
        boolean hasPrefix = false;
        boolean post = false;
        String postType = null;
        boolean postPair = false;
        try (InputStream in = Files.newInputStream(file); JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(file + ": not a JSON object");
            }
            boolean modelDone = false;
            boolean postDone = false;
            while (!(modelDone && postDone) && p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                JsonToken t = p.nextToken();
                if ("model".equals(field) && t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.getCurrentName();
                        JsonToken v = p.nextToken();
                        if ("type".equals(f) && v == JsonToken.VALUE_STRING) {
                            modelType = p.getText();
                        } else if ("continuing_subword_prefix".equals(f)) {
                            hasPrefix = true;
                            prefix = v == JsonToken.VALUE_STRING ? p.getText() : null;
                        } else {
                            p.skipChildren();
                        }
                        if (modelType != null && hasPrefix && postDone) {
                            return hints(modelType, hasPrefix, prefix, post, postType, postPair);
                        }
                    }
                    modelDone = true;
                } else if ("post_processor".equals(field)) {
                    postDone = true;
                    if (t == JsonToken.START_OBJECT) {
                        post = true;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.getCurrentName();
                            JsonToken v = p.nextToken();
                            if ("type".equals(f) && v == JsonToken.VALUE_STRING) {
                                postType = p.getText();
                            } else if ("pair".equals(f)) {
                                postPair = true;
                            }
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return hints(modelType, hasPrefix, prefix, post, postType, postPair);
    }

    private static TokenizerJsonHints hints(String modelType, boolean hasPrefix, String prefix, boolean post,
                                            String postType, boolean postPair) {
        String subword = "WordPiece".equals(modelType) || hasPrefix ? (prefix != null ? prefix : "##") : null;
        return new TokenizerJsonHints(subword, post && (!"TemplateProcessing".equals(postType) || postPair));
    }
}
