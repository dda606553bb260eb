package dev.nnsdk;

/**
 * The allowed range of every numeric setting of the SDK, checked in one place: {@link ModelOptions},
 * the training configuration builders and the command-line options all call these methods, so a
 * value out of range fails the same way everywhere, before anything is allocated or any native code
 * runs, with an {@link IllegalArgumentException} that names the setting and its allowed range:
 *
 * <pre>{@code
 * Ranges.check("threads", 5000, 0, Ranges.maxThreads());
 * // IllegalArgumentException: threads must be in 0..8, got 5000
 * }</pre>
 *
 * The bounds are wide enough for any real use and narrow enough that no value within them can
 * exhaust the machine (a thread count is at most {@link #THREADS_PER_CORE} per core, a batch at most
 * {@link #MAX_BATCH_SIZE} inputs).
 */
public final class Ranges {

    /** Intra-op threads allowed per available core (more only makes the engines slower). */
    public static final int THREADS_PER_CORE = 4;

    /** Largest batch size of inference and training. */
    public static final int MAX_BATCH_SIZE = 65_536;

    /** Largest number of epochs of a training run. */
    public static final int MAX_EPOCHS = 100_000;

    /** Largest number of results ({@code k}, {@code top}) a query may ask for. */
    public static final int MAX_RESULTS = 1_000_000;

    /** Largest width or height of a model's image input (so that width x height x channels fits an int). */
    public static final int MAX_IMAGE_SIDE = 8192;

    private Ranges() {
    }

    /** Largest intra-op thread count: {@link #THREADS_PER_CORE} times the available cores. */
    public static int maxThreads() {
        return THREADS_PER_CORE * Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Returns {@code value} if {@code min <= value <= max}; otherwise throws naming {@code name} and the range. */
    public static int check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    /** Returns {@code value} if {@code min <= value <= max}; otherwise throws naming {@code name} and the range. */
    public static long check(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    /**
     * Returns {@code value} if it is a finite number with {@code min <= value <= max} (or
     * {@code min < value} when {@code minExclusive}); otherwise throws naming {@code name} and the range.
     */
    public static double check(String name, double value, double min, boolean minExclusive, double max) {
        boolean ok = !Double.isNaN(value) && !Double.isInfinite(value)
                && (minExclusive ? value > min : value >= min) && value <= max;
        if (!ok) {
            throw new IllegalArgumentException(name + " must be in " + (minExclusive ? "(" : "[") + min + ", " + max
                    + "], got " + value);
        }
        return value;
    }

    /** Intra-op threads: 0 (the engine decides) to {@link #maxThreads()}. */
    public static int threads(int threads) {
        return check("threads", threads, 0, maxThreads());
    }

    /** A batch size: 1 to {@link #MAX_BATCH_SIZE}. */
    public static int batchSize(int batchSize) {
        return check("batch size", batchSize, 1, MAX_BATCH_SIZE);
    }

    /** Epochs of a training run: 1 to {@link #MAX_EPOCHS}. */
    public static int epochs(int epochs) {
        return check("epochs", epochs, 1, MAX_EPOCHS);
    }

    /** A learning rate: a positive number that float32 can hold, (0, 3.4e38] (training runs in float32). */
    public static double learningRate(double lr) {
        return check("learning rate", lr, 0, true, Float.MAX_VALUE);
    }

    /** How many results to return ({@code k}, {@code top}): 1 to {@link #MAX_RESULTS}. */
    public static int results(String name, int k) {
        return check(name, k, 1, MAX_RESULTS);
    }
}
