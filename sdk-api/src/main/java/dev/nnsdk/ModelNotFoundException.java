package dev.nnsdk;

/** An id or path that names no model; the message lists the ids that do exist. */
public class ModelNotFoundException extends SdkException {
    private static final long serialVersionUID = 1L;

    public ModelNotFoundException(String message) {
        super(message);
    }
}
