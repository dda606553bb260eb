package dev.nnsdk;

/** A model that exists but cannot be loaded: a missing, truncated or corrupt file, or a file the engine cannot read. */
public class ModelLoadException extends SdkException {
    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
