package dev.nnsdk.engine;

import dev.nnsdk.Device;

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

    public LoadOptions(Device device, int threads, boolean gpuFallback, List<String> inputNames, List<String> outputNames) {
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
}
