package dev.nnsdk.inference;

import java.util.Objects;

/** A passage with its relevance score and its index in the list it came from. */
public final class ScoredText {
    private final int index;
    private final String text;
    private final float score;

    public ScoredText(int index, String text, float score) {
        this.index = index;
        this.text = Objects.requireNonNull(text, "text");
        this.score = score;
    }

    /** Position in the input list. */
    public int index() {
        return index;
    }

    public String text() {
        return text;
    }

    public float score() {
        return score;
    }

    @Override
    public String toString() {
        return index + ":" + score;
    }
}
