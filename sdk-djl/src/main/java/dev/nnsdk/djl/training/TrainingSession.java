package dev.nnsdk.djl.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.nnsdk.djl.PyTorchRuntime;

/**
 * The native scope of one training run on DJL's PyTorch engine: starts the engine (offline, natives
 * from the class path), seeds it, and runs libtorch on one intra-op thread (or the count given) until {@link #close()},
 * which frees every tensor of the run and restores the previous thread count. While it is open, the memory glibc
 * keeps from freed tensors is returned to the operating system every few seconds (peak RSS of backbone runs). The thread count is
 * process-wide in libtorch; it is changed only through {@link PyTorchRuntime}, under its lock.
 *
 * <p>One thread because a head's or recommender's steps are many small ops: a pool costs more than it
 * gains, and multi-threaded float sums vary with the machine's load, which Adam amplifies on near-zero
 * gradients; one thread makes runs and resumed runs bit-identical.
 *
 * <pre>{@code
 * try (TrainingSession session = TrainingSession.open(seed)) {
 *     DenseHeadModel model = new DenseHeadModel(session, ...);
 * }
 * }</pre>
 *
 * Not thread-safe: one run, one thread.
 */
public final class TrainingSession implements AutoCloseable {
    final Engine engine;
    final NDManager manager;
    private final int previousThreads;
    private boolean closed;

    private TrainingSession(long seed, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("A training session needs at least one thread, got " + threads);
        }
        dev.nnsdk.djl.DjlSystemProperties.apply();
        this.engine = PyTorchRuntime.start();
        this.previousThreads = PyTorchRuntime.swapThreads(threads);
        try {
            engine.setRandomSeed((int) seed);
            this.manager = engine.newBaseManager(ai.djl.Device.cpu());
        } catch (RuntimeException e) {
            PyTorchRuntime.swapThreads(previousThreads);
            throw e;
        }
        PyTorchRuntime.trainingRunStarted();
    }

    /** Opens a session seeded with {@code seed}, on one intra-op thread (heads, recommenders). */
    public static TrainingSession open(long seed) {
        return new TrainingSession(seed, 1);
    }

    /**
     * Opens a session seeded with {@code seed} on {@code threads} intra-op threads: for runs whose steps are large
     * tensor ops (a backbone's forward and backward passes), where a pool pays. libtorch splits its loops statically,
     * so a run and its resumed run on the same thread count stay bit-identical.
     */
    public static TrainingSession open(long seed, int threads) {
        return new TrainingSession(seed, threads);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                manager.close();
            } finally {
                PyTorchRuntime.swapThreads(previousThreads);
                PyTorchRuntime.trainingRunEnded();
            }
        }
    }
}
