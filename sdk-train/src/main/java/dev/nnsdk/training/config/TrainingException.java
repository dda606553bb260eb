package dev.nnsdk.training.config;

import dev.nnsdk.SdkException;

/** Training could not go on (e.g. the loss became NaN); the message says why and what was kept. */
public class TrainingException extends SdkException {
    private static final long serialVersionUID = 1L;

    public TrainingException(String message) {
        super(message);
    }

    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
