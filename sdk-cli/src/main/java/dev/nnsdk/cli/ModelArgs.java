package dev.nnsdk.cli;

import dev.nnsdk.Device;
import dev.nnsdk.ModelOptions;
import picocli.CommandLine.Option;

/** Options every model-running command shares. */
final class ModelArgs {

    @Option(names = "--engine", paramLabel = "onnx|djl", description = "Engine (default: the first that can run the model, ONNX Runtime preferred).")
    String engine;

    @Option(names = "--device", paramLabel = "cpu|gpu:N", defaultValue = "cpu", description = "Device (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0 = one per core).")
    int threads;

    @Option(names = "--gpu-fallback", description = "Run on the CPU, with a warning, when the GPU asked for is not there.")
    boolean gpuFallback;

    ModelOptions options(int batchSize) {
        return ModelOptions.builder().optEngine(engine).optDevice(Device.parse(device)).optThreads(threads)
                .optBatchSize(batchSize).optGpuFallback(gpuFallback).build();
    }
}
