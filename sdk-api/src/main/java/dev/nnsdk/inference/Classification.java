package dev.nnsdk.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
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

    /**
     * The {@code k} most probable classes of a probability vector, best first (ties: lower index first).
     *
     * @param labels class names by index; when empty, a class is named by its index
     * @return an unmodifiable list of at most {@code k} classifications
     */
    public static List<Classification> top(final float[] probabilities, List<String> labels, int k) {
        Integer[] order = new Integer[probabilities.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, new Comparator<Integer>() {
            @Override
            public int compare(Integer a, Integer b) {
                int c = Float.compare(probabilities[b], probabilities[a]);
                return c != 0 ? c : Integer.compare(a, b);
            }
        });
        int n = Math.min(k, probabilities.length);
        List<Classification> out = new ArrayList<Classification>(n);
        for (int i = 0; i < n; i++) {
            int idx = order[i];
            out.add(new Classification(labels.isEmpty() ? String.valueOf(idx) : labels.get(idx), idx, probabilities[idx]));
        }
        return Collections.unmodifiableList(out);
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
