package dev.nnsdk.spark;

import java.io.Serializable;

import dev.nnsdk.Device;
import dev.nnsdk.ModelOptions;

/**
 * What a task needs to find its model on the executor: the model's id or path and the load options,
 * as plain values (this is what is serialised with the task; never the model's bytes).
 */
final class ModelSpec implements Serializable {
    private static final long serialVersionUID = 1L;
    final String model;
    private final String engine;
    private final String device;
    private final int threads;
    private final int batchSize;

    ModelSpec(String model, String engine, String device, int threads, int batchSize) {
        this.model = model;
        this.engine = engine;
        this.device = device;
        this.threads = threads;
        this.batchSize = batchSize;
    }

    ModelOptions options() {
        return ModelOptions.builder().optEngine(engine).optDevice(Device.parse(device)).optThreads(threads)
                .optBatchSize(batchSize).build();
    }
}
