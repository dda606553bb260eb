package dev.nnsdk.repository;

import java.util.Locale;
import java.util.Objects;

/**
 * How a text model's input is tokenised and its output pooled: the tokenizer file, the maximum
 * sequence length (longer text is truncated, never refused), the output holding token states,
 * the pooling, whether vectors are L2-normalised, the prompts an asymmetric model puts before
 * queries and documents, and whether the model is dynamically quantised.
 *
 * <pre>{@code
 * TextSpec spec = TextSpec.builder().setTokenizer(new Artifact(dir.resolve("tokenizer.json"), null))
 *         .optMaxLength(512).optPooling(TextSpec.Pooling.CLS).optNormalize(true)
 *         .optPrompts("Represent this sentence for searching relevant passages: ", "")
 *         .build();
 * }</pre>
 */
public final class TextSpec {

    /** The most windows {@link #windows()} may average (64 windows of 256 word pieces: about 12,000 words). */
    public static final int MAX_WINDOWS = 64;
    /**
     * The int64 input [rows] of a model that averages windows itself: the 0-based text each row (window) belongs to;
     * its outputs have one row per text (an {@code export-onnx} file of a windowed classifier).
     */
    public static final String WINDOW_TEXT_INPUT = "window_text";

    /** How token vectors become one text vector (the sentence-transformers pooling modes). */
    public enum Pooling {
        /** Mean over tokens whose attention mask is 1 (sentence-transformers {@code pooling_mode_mean_tokens}). */
        MEAN,
        /** The first token ([CLS], {@code pooling_mode_cls_token}). */
        CLS,
        /** The output already is one vector per text. */
        NONE,
        /** Element-wise maximum over real tokens ({@code pooling_mode_max_tokens}). */
        MAX,
        /** Sum over real tokens divided by the square root of their count ({@code pooling_mode_mean_sqrt_len_tokens}). */
        MEAN_SQRT_LEN,
        /** Mean weighted by position 1..n ({@code pooling_mode_weightedmean_tokens}, SGPT). */
        WEIGHTED_MEAN,
        /** The last real token ({@code pooling_mode_lasttoken}). */
        LAST_TOKEN;

        /** Parses {@code mean}, {@code cls}, {@code mean-sqrt-len}, {@code last_token}...; the error lists the accepted values. */
        public static Pooling parse(String s) {
            String key = s == null ? "" : s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            StringBuilder names = new StringBuilder();
            for (Pooling p : values()) {
                if (p.name().equals(key)) {
                    return p;
                }
                names.append(names.length() == 0 ? "" : ", ").append(p.id());
            }
            throw new IllegalArgumentException("pooling '" + s + "' is not one of " + names);
        }

        /** The name used in {@code model.json}: {@code mean}, {@code mean-sqrt-len}... */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Artifact tokenizer;
    private final int maxLength;
    private final int windows;
    private final Pooling pooling;
    private final boolean normalize;
    private final String output;
    private final int maxBatchSize;
    private final String queryPrompt;
    private final String documentPrompt;
    private final boolean poolPrompt;
    private final boolean lowerCase;
    private final boolean dynamicQuantized;
    private final java.util.List<String> labels;
    private final Activation activation;

    /** How a task head's logits become scores. */
    public enum Activation {
        /** Probabilities over the labels (single-label classification, token classification). */
        SOFTMAX,
        /** One independent probability per label (multi-label classification, cross-encoders with one logit). */
        SIGMOID,
        /** The raw logits. */
        NONE;

        public static Activation parse(String s) {
            String key = s == null ? "" : s.trim().toUpperCase(Locale.ROOT);
            for (Activation a : values()) {
                if (a.name().equals(key)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("activation '" + s + "' is not one of softmax, sigmoid, none");
        }
    }

    public TextSpec(Artifact tokenizer, int maxLength, Pooling pooling, boolean normalize, String output) {
        this(tokenizer, maxLength, pooling, normalize, output, 0);
    }

    /**
     * @param maxBatchSize most texts per engine call, or 0 for no limit beyond the caller's batch size. Use 1
     *                     for models whose output for one text depends on the other texts of its batch, such as
     *                     dynamically int8-quantised models (one activation scale per tensor, padding included).
     */
    public TextSpec(Artifact tokenizer, int maxLength, Pooling pooling, boolean normalize, String output, int maxBatchSize) {
        this(builder().setTokenizer(tokenizer).optMaxLength(maxLength).optPooling(pooling).optNormalize(normalize)
                .optOutput(output).optMaxBatchSize(maxBatchSize));
    }

    private TextSpec(Builder b) {
        this.tokenizer = Objects.requireNonNull(b.tokenizer, "tokenizer");
        if (b.maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be >= 2, got " + b.maxLength);
        }
        if (b.maxBatchSize < 0) {
            throw new IllegalArgumentException("maxBatchSize must be >= 0, got " + b.maxBatchSize);
        }
        if (b.windows < 0 || b.windows > MAX_WINDOWS) {
            throw new IllegalArgumentException("windows must be in 0.." + MAX_WINDOWS + ", got " + b.windows);
        }
        this.maxLength = b.maxLength;
        this.windows = b.windows;
        this.pooling = b.pooling == null ? Pooling.MEAN : b.pooling;
        this.normalize = b.normalize;
        this.output = b.output;
        this.maxBatchSize = b.maxBatchSize;
        this.queryPrompt = b.queryPrompt == null ? "" : b.queryPrompt;
        this.documentPrompt = b.documentPrompt == null ? "" : b.documentPrompt;
        this.poolPrompt = b.poolPrompt;
        this.lowerCase = b.lowerCase;
        this.dynamicQuantized = b.dynamicQuantized;
        this.labels = java.util.Collections.unmodifiableList(new java.util.ArrayList<String>(b.labels));
        this.activation = b.activation;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec's values, to change some of them. */
    public Builder toBuilder() {
        return builder().setTokenizer(tokenizer).optMaxLength(maxLength).optWindows(windows).optPooling(pooling)
                .optNormalize(normalize).optOutput(output).optMaxBatchSize(maxBatchSize).optPrompts(queryPrompt, documentPrompt)
                .optPoolPrompt(poolPrompt).optLowerCase(lowerCase).optDynamicQuantized(dynamicQuantized)
                .optLabels(labels).optActivation(activation);
    }

    /** A task head's labels in logit order (HF {@code id2label}); empty for an embedding model. */
    public java.util.List<String> labels() {
        return labels;
    }

    /** How a task head's logits become scores, or {@code null} for the task's default. */
    public Activation activation() {
        return activation;
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

    /**
     * Most texts per engine call the model allows (1 when a text's vector would depend on its batch, which
     * {@link #dynamicQuantized()} implies), or 0 for no limit.
     */
    public int maxBatchSize() {
        return dynamicQuantized ? 1 : maxBatchSize;
    }

    /** Put before a query by {@code embedQuery} (e5: {@code "query: "}, bge: its search instruction); may be empty. */
    public String queryPrompt() {
        return queryPrompt;
    }

    /** Put before a document by {@code embedDocuments} (e5: {@code "passage: "}); may be empty. */
    public String documentPrompt() {
        return documentPrompt;
    }

    /** Whether the prompt's tokens are pooled with the text's (sentence-transformers {@code include_prompt}, default true). */
    public boolean poolPrompt() {
        return poolPrompt;
    }

    /**
     * How a text longer than {@link #maxLength()} word pieces is embedded: 0 (the default) truncates it; {@code N >= 2}
     * cuts it into consecutive windows of up to {@code maxLength} word pieces (each with the model's special tokens),
     * embeds each window, and averages the first {@code N} windows' vectors (L2-normalised again when
     * {@link #normalize()}). A text that fits in one window gets the same vector either way. {@code model.json}:
     * {@code "text": {"windows": N}}.
     */
    public int windows() {
        return windows;
    }

    /** Whether text is lower-cased before tokenising (sentence-transformers {@code do_lower_case}). */
    public boolean lowerCase() {
        return lowerCase;
    }

    /**
     * Whether the model quantises its activations at run time (ONNX {@code DynamicQuantizeLinear} /
     * {@code MatMulInteger}): one scale per tensor, padding included, so a text's vector would depend on its
     * batch neighbours. Such a model runs one text per engine call ({@link #maxBatchSize()} is 1); callers that
     * want speed may run several such calls in parallel.
     */
    public boolean dynamicQuantized() {
        return dynamicQuantized;
    }

    /** Builds a {@link TextSpec}; the tokenizer is required. */
    public static final class Builder {
        private Artifact tokenizer;
        private int maxLength = 512;
        private int windows;
        private Pooling pooling = Pooling.MEAN;
        private boolean normalize = true;
        private String output;
        private int maxBatchSize;
        private String queryPrompt = "";
        private String documentPrompt = "";
        private boolean poolPrompt = true;
        private boolean lowerCase;
        private boolean dynamicQuantized;
        private java.util.List<String> labels = java.util.Collections.emptyList();
        private Activation activation;

        public Builder optLabels(java.util.List<String> labels) {
            this.labels = labels == null ? java.util.Collections.<String>emptyList() : labels;
            return this;
        }

        public Builder optActivation(Activation activation) {
            this.activation = activation;
            return this;
        }

        public Builder setTokenizer(Artifact tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        public Builder optMaxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /** Long texts: 0 = truncate (default), N >= 2 = the mean of up to N windows ({@link TextSpec#windows()}). */
        public Builder optWindows(int windows) {
            this.windows = windows;
            return this;
        }

        public Builder optPooling(Pooling pooling) {
            this.pooling = pooling;
            return this;
        }

        public Builder optNormalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        public Builder optOutput(String output) {
            this.output = output;
            return this;
        }

        public Builder optMaxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        public Builder optPrompts(String query, String document) {
            this.queryPrompt = query;
            this.documentPrompt = document;
            return this;
        }

        public Builder optPoolPrompt(boolean poolPrompt) {
            this.poolPrompt = poolPrompt;
            return this;
        }

        public Builder optLowerCase(boolean lowerCase) {
            this.lowerCase = lowerCase;
            return this;
        }

        public Builder optDynamicQuantized(boolean dynamicQuantized) {
            this.dynamicQuantized = dynamicQuantized;
            return this;
        }

        public TextSpec build() {
            return new TextSpec(this);
        }
    }
}
