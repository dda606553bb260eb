package dev.nnsdk.inference;

import dev.nnsdk.ModelOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * Recommends items to users: a model trained on user-item interactions whose item vectors come
 * from a frozen text encoder (item content) through a trained projection, plus a learned item
 * embedding, as saved by {@code FineTuning.recommendation()} ({@code dev.nnsdk:sdk-train}).
 *
 * <pre>{@code
 * try (Recommender rec = Recommender.load(Path.of("out/movies"))) {
 *     List<ScoredItem> top10 = rec.recommend("42", 10);      // never items user 42 already has
 *     List<ScoredItem> like = rec.similarItems("1", 5);      // items closest to item 1
 *     float[] fresh = rec.scoreTexts("42", Arrays.asList("New film (2024). Genres: Drama"));
 * }
 * }</pre>
 *
 * Scoring is plain Java (dot products over the saved user and item vectors), so loading needs only
 * {@code sdk-api}; the text encoder (on the engine the options name) is loaded on first use of
 * {@link #scoreTexts}. Thread-safe; close it to free the encoder, if one was loaded.
 *
 * <p>Unknown users: {@link #recommend} and {@link #score} throw
 * {@link dev.nnsdk.InvalidInputException} naming the user; call {@link #popular(int)} for users
 * the model has never seen (the most-interacted items of the training data).
 */
public interface Recommender extends AutoCloseable {

    /** Loads a saved recommender directory with default options. */
    static Recommender load(Path dir) {
        return load(dir, ModelOptions.defaults());
    }

    /** Loads a saved recommender directory; the options pick the text encoder's engine and device. */
    static Recommender load(Path dir, ModelOptions options) {
        return RecommenderImpl.load(dir, options);
    }

    /**
     * A recommender over weights already in memory (fine-tuning uses it for the model it has just trained); the
     * options pick the text encoder's engine and device.
     *
     * <pre>{@code
     * Recommender rec = Recommender.of(weights, ModelOptions.defaults());
     * }</pre>
     */
    static Recommender of(dev.nnsdk.format.RecommenderWeights weights, ModelOptions options) {
        return new RecommenderImpl(weights, options);
    }

    /**
     * The {@code k} best items for a known user, best first, excluding every item the user
     * interacted with in the training data.
     *
     * @throws dev.nnsdk.InvalidInputException when the user is unknown or {@code k < 1}
     */
    List<ScoredItem> recommend(String user, int k);

    /** The scores of the given known items for a known user, in input order. */
    List<ScoredItem> score(String user, List<String> items);

    /**
     * Scores items the model has never seen from their text alone (the frozen encoder and the
     * trained projection; no learned item embedding). Loads the encoder on first use.
     */
    float[] scoreTexts(String user, List<String> itemTexts);

    /** The {@code k} items whose vectors are closest (cosine) to the given item's, best first, itself excluded. */
    List<ScoredItem> similarItems(String item, int k);

    /** The {@code k} most popular items of the training data (the fallback for unknown users). */
    List<ScoredItem> popular(int k);

    /** Whether the user occurs in the training data. */
    boolean hasUser(String user);

    /** The items the model can recommend, in index order. */
    List<String> items();

    /** An item's text, or {@code null} when the item is unknown or has none. */
    String itemText(String item);

    /** Frees the text encoder if one was loaded; idempotent. */
    @Override
    void close();
}
