package dev.nnsdk;

/**
 * The root of every error the SDK throws on purpose. Unchecked: callers catch it where they can
 * act on it. Subclasses say what went wrong:
 * <ul>
 *   <li>{@link ModelNotFoundException}: an id or path names no model;</li>
 *   <li>{@link ModelLoadException}: the model exists but cannot be loaded (corrupt, wrong format,
 *       {@link ChecksumMismatchException checksum mismatch});</li>
 *   <li>{@link EngineException}: no engine for the request, an unavailable device, or a native failure;</li>
 *   <li>{@link InvalidInputException}: user data that cannot be used, with its place (file, line, field, shape).</li>
 * </ul>
 */
public class SdkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SdkException(String message) {
        super(message);
    }

    public SdkException(String message, Throwable cause) {
        super(message, cause);
    }
}
