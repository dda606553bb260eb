package dev.nnsdk;

/**
 * A long operation stopped because its thread was interrupted. The batch methods
 * ({@code TextEmbedder.embedAll}, {@code TextClassifier.classifyAll}/{@code probabilities},
 * {@code ImageClassifier.classifyAll}) and training check {@link Thread#interrupted()} between
 * batches: the batch in flight finishes (native code is never interrupted halfway), the rest is not
 * run, and this exception is thrown. The interrupt flag is set again before it is thrown, so code
 * further up still sees the interrupt.
 *
 * <pre>{@code
 * Future<List<float[]>> f = pool.submit(() -> embedder.embedAll(texts));
 * f.cancel(true);   // the task ends with CancelledException after the current batch
 * }</pre>
 */
public class CancelledException extends SdkException {
    private static final long serialVersionUID = 1L;

    public CancelledException(String message) {
        super(message);
    }

    /**
     * Throws a {@code CancelledException} (re-setting the interrupt flag) if the current thread has
     * been interrupted; {@code what} says what stopped, e.g. {@code "embedAll after 96 of 1000 texts"}.
     */
    public static void checkInterrupted(String what) {
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new CancelledException("Interrupted: " + what + " stopped");
        }
    }
}
