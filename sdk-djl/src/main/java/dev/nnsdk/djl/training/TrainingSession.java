package dev.nnsdk.djl.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.nnsdk.djl.PyTorchRuntime;
import dev.nnsdk.djl.DjlSystemProperties;

/**
 * The native scope of one training run on DJL's PyTorch engine: starts the engine (offline, natives
 * from the class path), seeds it, and runs libtorch on one intra-op thread until {@link #close()},
 * which frees every tensor of the run and restores the previous thread count. The thread count is
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

    private TrainingSession(long seed) {
        DjlSystemProperties.apply();
        this.engine = PyTorchRuntime.start();
        this.previousThreads = PyTorchRuntime.swapThreads(1);
        try {
            engine.setRandomSeed((int) seed);
            this.manager = engine.newBaseManager(ai.djl.Device.cpu());
        } catch (RuntimeException e) {
            PyTorchRuntime.swapThreads(previousThreads);
            throw e;
        }
    }

    /** Opens a session seeded with {@code seed}. */
    public static TrainingSession open(long seed) {
        return new TrainingSession(seed);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                manager.close();
            } finally {
                PyTorchRuntime.swapThreads(previousThreads);
            }
        }
    }
}
