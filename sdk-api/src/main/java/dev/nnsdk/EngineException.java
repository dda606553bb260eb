package dev.nnsdk;

/** No engine can serve the request, the device is not available, or the engine failed natively. */
public class EngineException extends SdkException {
    private static final long serialVersionUID = 1L;

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
