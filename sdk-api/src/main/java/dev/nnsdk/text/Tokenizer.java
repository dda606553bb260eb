package dev.nnsdk.text;

import java.util.List;

/**
 * Turns text into token ids, truncating to the model's maximum length (never failing on long
 * text). Thread-safe. Created by a {@link TokenizerFactory}.
 */
public interface Tokenizer extends AutoCloseable {

    Encoding encode(String text);

    /** Encodes many texts; implementations may use several threads. Order is kept. */
    List<Encoding> encodeAll(List<String> texts);

    /** The token strings of {@code text}, for inspection and debugging. */
    List<String> tokens(String text);

    /**
     * Encodes {@code texts} with token strings, character offsets and special-token flags ({@link Encoding#hasOffsets()}).
     * The default has none; the HF tokenizer provides them.
     */
    default List<Encoding> encodeWithOffsets(List<String> texts) {
        throw new UnsupportedOperationException(getClass().getName() + " gives no character offsets");
    }

    /**
     * Encodes text pairs ([CLS] a [SEP] b [SEP], type ids 0 then 1) as the tokenizer's pair template says.
     *
     * @throws IllegalArgumentException when the tokenizer has no pair template (a single-text model)
     */
    default List<Encoding> encodePairs(List<String> first, List<String> second) {
        throw new IllegalArgumentException(getClass().getName() + " encodes single texts only, not pairs");
    }

    /** The prefix marking a word-piece that continues a word ({@code "##"} for WordPiece), or {@code null}. */
    default String continuingSubwordPrefix() {
        return null;
    }

    @Override
    void close();
}
