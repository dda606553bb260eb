package dev.nnsdk;

/**
 * User data the SDK cannot use. The message names the place: the file and line of a dataset
 * record, the field that is missing, or the tensor shape that was expected and received.
 */
public class InvalidInputException extends SdkException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
