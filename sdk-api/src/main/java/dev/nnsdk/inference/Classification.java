package dev.nnsdk.inference;

import java.util.Objects;

/**
 * One class a classifier predicted: its label, its index in the model's output, and its score
 * (a probability in [0, 1]). Immutable.
 */
public final class Classification {
    private final String label;
    private final int index;
    private final float score;

    public Classification(String label, int index, float score) {
        this.label = Objects.requireNonNull(label, "label");
        this.index = index;
        this.score = score;
    }

    /** The class name (the index as text when the model has no labels). */
    public String label() {
        return label;
    }

    /** Position of the class in the model's output. */
    public int index() {
        return index;
    }

    /** Probability of the class. */
    public float score() {
        return score;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Classification)) {
            return false;
        }
        Classification c = (Classification) o;
        return index == c.index && Float.compare(score, c.score) == 0 && label.equals(c.label);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, index, score);
    }

    @Override
    public String toString() {
        return label + "=" + score;
    }
}
