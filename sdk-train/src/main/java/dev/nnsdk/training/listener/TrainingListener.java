package dev.nnsdk.training.listener;

/**
 * Hooks into training; every method has an empty default, so implement only what you need.
 * Called on the training thread. An exception thrown from a hook stops training; the checkpoint of
 * the last finished epoch stays, so training can be resumed.
 *
 * <pre>{@code
 * trainer.listener(new TrainingListener() {
 *     public void onEpochEnd(EpochResult r) { System.out.println(r); }
 * });
 * }</pre>
 */
public interface TrainingListener {

    /** Before feature extraction: how many examples will be embedded in this phase ({@code train}, {@code validation}). */
    default void onFeaturesStart(String phase, int total) {
    }

    /** After a chunk of examples was embedded (or found in the feature cache). */
    default void onFeaturesProgress(String phase, int done, int total) {
    }

    default void onFeaturesEnd(String phase, boolean fromCache) {
    }

    /** Before the first epoch (or the first epoch after a resume, {@code startEpoch} 1-based). */
    /**
     * A training called {@code name} starts (e.g. a recommender's {@code hybrid}, {@code mf}, {@code cold-start}); by
     * default the unnamed {@link #onTrainingStart(int, int, int)}.
     */
    default void onTrainingStart(String name, int startEpoch, int epochs, int stepsPerEpoch) {
        onTrainingStart(startEpoch, epochs, stepsPerEpoch);
    }

    default void onTrainingStart(int startEpoch, int epochs, int stepsPerEpoch) {
    }

    /** After each training batch, with the running mean loss of the epoch. */
    default void onBatchEnd(int epoch, int step, int stepsPerEpoch, double runningLoss) {
    }

    /** After each epoch's validation. */
    default void onEpochEnd(EpochResult result) {
    }

    /** After the last epoch; {@code bestEpoch} is the one whose weights are kept. */
    default void onTrainingEnd(int bestEpoch, boolean stoppedEarly) {
    }
}
