package dev.nnsdk.inference;

import java.util.Locale;
import java.util.Objects;

/**
 * One predicted class: its label, its index in the model's label list, and its probability.
 *
 * <pre>{@code
 * Classification c = classifier.classify("What a wonderful film.");
 * System.out.println(c.label() + " " + c.score());
 * }</pre>
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

    /** The class name. */
    public String label() {
        return label;
    }

    /** Position of the class in the model's label list. */
    public int index() {
        return index;
    }

    /** Probability in [0, 1]. */
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
        return String.format(Locale.ROOT, "%s (%.4f)", label, score);
    }
}
