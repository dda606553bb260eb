package dev.nnsdk.text;

import dev.nnsdk.EngineException;
import dev.nnsdk.plugin.Plugins;

import java.nio.file.Path;
import java.util.List;

/**
 * The tokenizer registry: the first {@link TokenizerFactory} on the class path ({@code model-zoo} provides the
 * Hugging Face {@code tokenizer.json} one).
 *
 * <pre>{@code
 * try (Tokenizer t = Tokenizers.create(Path.of("tokenizer.json"), 256)) {
 *     Encoding e = t.encode("The cat sat on the mat.");
 * }
 * }</pre>
 */
public final class Tokenizers {

    private static volatile List<TokenizerFactory> factories;

    private Tokenizers() {
    }

    /**
     * The first tokenizer factory on the class path.
     *
     * @throws EngineException naming the dependency to add when there is none
     */
    public static TokenizerFactory factory() {
        List<TokenizerFactory> t = factories;
        if (t == null) {
            factories = t = Plugins.load(TokenizerFactory.class);
        }
        if (t.isEmpty()) {
            throw new EngineException("No tokenizer on the class path: add the dependency dev.nnsdk:model-zoo");
        }
        return t.get(0);
    }

    /** Shorthand for {@code factory().create(file, maxLength)}. */
    public static Tokenizer create(Path file, int maxLength) {
        return factory().create(file, maxLength);
    }
}
