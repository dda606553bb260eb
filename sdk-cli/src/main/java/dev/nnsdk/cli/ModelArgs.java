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

    @Option(names = "--threads", defaultValue = "0", description = "Threads the model may use (0 = one per core); text models split them into single-threaded engine calls side by side (docs/benchmarks.md, \"Threads and batches\").")
    int threads;

    @Option(names = "--gpu-fallback", description = "Run on the CPU, with a warning, when the GPU asked for is not there.")
    boolean gpuFallback;

    @Option(names = "--no-graph-optimization", description = "Load the ONNX file as it is (no attention/layer-norm/GELU fusion).")
    boolean noGraphOptimization;

    ModelOptions options(int batchSize) {
        return ModelOptions.builder().optEngine(engine).optDevice(Device.parse(device)).optThreads(threads)
                .optBatchSize(batchSize).optGpuFallback(gpuFallback).optGraphOptimization(!noGraphOptimization).build();
    }
}
