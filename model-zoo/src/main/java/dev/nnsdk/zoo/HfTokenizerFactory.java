package dev.nnsdk.zoo;

import dev.nnsdk.internal.SdkDefaults;
import dev.nnsdk.text.Tokenizer;
import dev.nnsdk.text.TokenizerFactory;

import java.nio.file.Path;

/** {@link TokenizerFactory} over Hugging Face's tokenizers library (through DJL's binding). */
public final class HfTokenizerFactory implements TokenizerFactory {

    public HfTokenizerFactory() {
        SdkDefaults.applyOffline();
    }

    @Override
    public Tokenizer create(Path tokenizerFile, int maxLength) {
        return new HfTokenizer(tokenizerFile, maxLength);
    }
}
