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

    @Override
    void close();
}
