package dev.nnsdk.repository;

import java.util.Locale;
import java.util.Objects;

/**
 * How a text model's input is tokenised and its output pooled: the tokenizer file, the maximum
 * sequence length (longer text is truncated, never refused), the output holding token states,
 * the pooling and whether vectors are L2-normalised.
 */
public final class TextSpec {

    /** How token vectors become one text vector. */
    public enum Pooling {
        /** Mean over tokens whose attention mask is 1 (sentence-transformers). */
        MEAN,
        /** The first token ([CLS]). */
        CLS,
        /** The output already is one vector per text. */
        NONE;

        public static Pooling parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final Artifact tokenizer;
    private final int maxLength;
    private final Pooling pooling;
    private final boolean normalize;
    private final String output;
    private final int maxBatchSize;

    public TextSpec(Artifact tokenizer, int maxLength, Pooling pooling, boolean normalize, String output) {
        this(tokenizer, maxLength, pooling, normalize, output, 0);
    }

    /**
     * @param maxBatchSize most texts per engine call, or 0 for no limit beyond the caller's batch size. Use 1
     *                     for models whose output for one text depends on the other texts of its batch, such as
     *                     dynamically int8-quantised models (one activation scale per tensor, padding included).
     */
    public TextSpec(Artifact tokenizer, int maxLength, Pooling pooling, boolean normalize, String output, int maxBatchSize) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be >= 2, got " + maxLength);
        }
        this.maxLength = maxLength;
        this.pooling = pooling == null ? Pooling.MEAN : pooling;
        this.normalize = normalize;
        this.output = output;
        if (maxBatchSize < 0) {
            throw new IllegalArgumentException("maxBatchSize must be >= 0, got " + maxBatchSize);
        }
        this.maxBatchSize = maxBatchSize;
    }

    /** The HF {@code tokenizer.json}. */
    public Artifact tokenizer() {
        return tokenizer;
    }

    /** Maximum tokens per text, special tokens included. */
    public int maxLength() {
        return maxLength;
    }

    public Pooling pooling() {
        return pooling;
    }

    public boolean normalize() {
        return normalize;
    }

    /** The output with token states (e.g. {@code last_hidden_state}), or {@code null} for the first output. */
    public String output() {
        return output;
    }

    /** Most texts per engine call the model allows (1 when a text's vector would depend on its batch), or 0 for no limit. */
    public int maxBatchSize() {
        return maxBatchSize;
    }
}
