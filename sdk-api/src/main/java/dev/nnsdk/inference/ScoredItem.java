package dev.nnsdk.inference;

import java.util.Locale;
import java.util.Objects;

/**
 * One recommended (or scored) item: its id, its score (higher is better; a dot product, not a
 * probability) and its text when the model knows it ({@code null} otherwise).
 *
 * <pre>{@code
 * for (ScoredItem s : recommender.recommend("42", 10)) {
 *     System.out.println(s.item() + " " + s.score() + " " + s.text());
 * }
 * }</pre>
 */
public final class ScoredItem {
    private final String item;
    private final float score;
    private final String text;

    public ScoredItem(String item, float score, String text) {
        this.item = Objects.requireNonNull(item, "item");
        this.score = score;
        this.text = text;
    }

    /** The item id. */
    public String item() {
        return item;
    }

    /** The score; only the order between items of one user is meaningful. */
    public float score() {
        return score;
    }

    /** The item's text (e.g. "Toy Story (1995). Genres: Adventure, Animation"), or {@code null}. */
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ScoredItem)) {
            return false;
        }
        ScoredItem s = (ScoredItem) o;
        return Float.compare(score, s.score) == 0 && item.equals(s.item) && Objects.equals(text, s.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(item, score, text);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%.4f)%s", item, score, text == null ? "" : " " + text);
    }
}
