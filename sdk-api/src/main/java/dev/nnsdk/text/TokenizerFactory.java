package dev.nnsdk.text;

import java.nio.file.Path;

/**
 * Creates {@link Tokenizer}s from tokenizer files. Found through {@link java.util.ServiceLoader};
 * the {@code model-zoo} module provides one over Hugging Face's tokenizers library.
 */
public interface TokenizerFactory {

    /**
     * @param tokenizerFile a Hugging Face {@code tokenizer.json}
     * @param maxLength tokens per text after truncation, special tokens included
     */
    Tokenizer create(Path tokenizerFile, int maxLength);
}
