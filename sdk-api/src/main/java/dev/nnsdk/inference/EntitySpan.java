package dev.nnsdk.inference;

import java.util.Objects;

/**
 * One labelled piece of a text: an entity (aggregated) or a single token ({@link TokenClassifier.Aggregation#NONE}),
 * with its character span {@code [start, end)} in the original text.
 */
public final class EntitySpan {
    private final String label;
    private final int start;
    private final int end;
    private final float score;
    private final String text;
    private final int tokenIndex;

    public EntitySpan(String label, int start, int end, float score, String text, int tokenIndex) {
        this.label = Objects.requireNonNull(label, "label");
        this.start = start;
        this.end = end;
        this.score = score;
        this.text = text;
        this.tokenIndex = tokenIndex;
    }

    /** The entity type ({@code PER}), or for {@link TokenClassifier.Aggregation#NONE} the token's tag ({@code B-PER}). */
    public String label() {
        return label;
    }

    /** First character in the original text. */
    public int start() {
        return start;
    }

    /** One past the last character in the original text. */
    public int end() {
        return end;
    }

    /** The probability (for grouped entities: the mean over the grouped tokens or words, as Hugging Face does). */
    public float score() {
        return score;
    }

    /** The original text from {@link #start()} to {@link #end()}. */
    public String text() {
        return text;
    }

    /** The token's index in the encoding (with [CLS] at 0) for {@link TokenClassifier.Aggregation#NONE}, else -1. */
    public int tokenIndex() {
        return tokenIndex;
    }

    @Override
    public String toString() {
        return label + "[" + start + "," + end + ")=" + text + " " + score;
    }
}
