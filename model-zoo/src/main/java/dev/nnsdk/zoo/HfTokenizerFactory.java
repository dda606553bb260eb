package dev.nnsdk.zoo;

import dev.nnsdk.SdkSettings;
import dev.nnsdk.text.Tokenizer;
import dev.nnsdk.text.TokenizerFactory;

import java.nio.file.Path;

/** {@link TokenizerFactory} over Hugging Face's tokenizers library (through DJL's binding). */
public final class HfTokenizerFactory implements TokenizerFactory {

    public HfTokenizerFactory() {
        offlineDjl();
    }

    /**
     * The Hugging Face tokenizer is DJL's library: like DJL's engine it must never download its native library
     * or report usage, so the SDK sets DJL's offline and tracking opt-out properties (unless the user set them).
     */
    static void offlineDjl() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    @Override
    public Tokenizer create(Path tokenizerFile, int maxLength) {
        return new HfTokenizer(tokenizerFile, maxLength);
    }
}
