package dev.nnsdk.engine;

import java.util.List;

/**
 * One loaded model inside an engine: tensors in, tensors out. Thread-safe: many threads may call
 * {@link #run} at once. {@link #close()} is idempotent; {@code run} after close throws
 * {@link IllegalStateException}; closing while calls run waits for them to finish.
 */
public interface EngineModel extends AutoCloseable {

    /** The engine's name. */
    String engineName();

    /** Declared inputs, in positional order. */
    List<TensorInfo> inputs();

    /** Declared outputs, in positional order. */
    List<TensorInfo> outputs();

    /**
     * Runs the model. Inputs are matched by name where the model declares names, else by position.
     * Outputs come back in declared order, named.
     *
     * @throws dev.nnsdk.InvalidInputException when an input is missing or has the wrong type or shape
     */
    List<Tensor> run(List<Tensor> inputs);

    @Override
    void close();
}
