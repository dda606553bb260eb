package dev.nnsdk.engine;

import dev.nnsdk.Device;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * What an engine needs to load one model file: the device, thread budget, and for formats that
 * do not carry names (TorchScript), the names of the inputs in positional order and of the outputs.
 */
public final class LoadOptions {
    private final Device device;
    private final int threads;
    private final boolean gpuFallback;
    private final List<String> inputNames;
    private final List<String> outputNames;
    private final boolean graphOptimization;
    private final String quantization;
    private final Path tokenizer;

    public LoadOptions(Device device, int threads, boolean gpuFallback, List<String> inputNames, List<String> outputNames) {
        this(device, threads, gpuFallback, inputNames, outputNames, true, null, null);
    }

    /**
     * @param graphOptimization whether the engine may load a verified, optimised rewrite of the file
     * @param quantization      {@code null}, or {@code "int8-static"} to quantise an fp32 file at load (cached)
     * @param tokenizer         the model's tokenizer.json (calibration texts for quantisation), or null
     */
    public LoadOptions(Device device, int threads, boolean gpuFallback, List<String> inputNames, List<String> outputNames,
                       boolean graphOptimization, String quantization, Path tokenizer) {
        this.graphOptimization = graphOptimization;
        this.quantization = quantization;
        this.tokenizer = tokenizer;
        this.device = device == null ? Device.cpu() : device;
        this.threads = threads;
        this.gpuFallback = gpuFallback;
        this.inputNames = inputNames == null ? Collections.<String>emptyList() : Collections.unmodifiableList(inputNames);
        this.outputNames = outputNames == null ? Collections.<String>emptyList() : Collections.unmodifiableList(outputNames);
    }

    public Device device() {
        return device;
    }

    /** Intra-op threads; 0 = engine default. */
    public int threads() {
        return threads;
    }

    public boolean gpuFallback() {
        return gpuFallback;
    }

    /** Input names in positional order (may be empty when the file declares them). */
    public List<String> inputNames() {
        return inputNames;
    }

    /** Output names in positional order (may be empty when the file declares them). */
    public List<String> outputNames() {
        return outputNames;
    }

    /** Whether the engine may load an optimised, numerically verified rewrite of the model (default true). */
    public boolean graphOptimization() {
        return graphOptimization;
    }

    /** {@code null} or {@code "int8-static"}: quantise the fp32 file at load with calibrated static scales. */
    public String quantization() {
        return quantization;
    }

    /** The text model's tokenizer.json, used to tokenise calibration texts; null when none. */
    public Path tokenizer() {
        return tokenizer;
    }
}
