package dev.nnsdk;

/**
 * How a model is loaded: which engine, on which device, with how many threads. Every option
 * has a default, so {@code ModelOptions.defaults()} is what most code needs.
 *
 * <pre>{@code
 * ModelOptions opts = ModelOptions.builder().optEngine("djl").optDevice(Device.gpu(0)).build();
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class ModelOptions {

    private static final ModelOptions DEFAULTS = builder().build();

    private final String engine;
    private final Device device;
    private final int threads;
    private final int batchSize;
    private final boolean gpuFallback;
    private final boolean graphOptimization;

    private ModelOptions(Builder b) {
        this.graphOptimization = b.graphOptimization;
        this.engine = b.engine;
        this.device = b.device;
        this.threads = b.threads;
        this.batchSize = b.batchSize;
        this.gpuFallback = b.gpuFallback;
    }

    /** Automatic engine, CPU, engine-chosen threads, batches of 32. */
    public static ModelOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
        return new Builder().optEngine(engine).optDevice(device).optThreads(threads)
                .optBatchSize(batchSize).optGpuFallback(gpuFallback).optGraphOptimization(graphOptimization);
    }

    /** The engine name ({@code onnx}, {@code djl}), or {@code null} to pick the first engine that can run the model. */
    public String engine() {
        return engine;
    }

    public Device device() {
        return device;
    }

    /**
     * Threads the model may use; 0 = one per core. Text models split them into engine calls at once x
     * intra-op threads per call ({@code dev.nnsdk.engine.ThreadPlan}: on up to 8 cores, single-threaded
     * calls side by side); image models give them all to one call.
     */
    public int threads() {
        return threads;
    }

    /**
     * Whether the engine may rewrite a model it recognises into a faster, numerically verified equivalent before
     * loading it (ONNX: attention/layer-norm/GELU fusion by sdk-onnx-graph, cached by the file's SHA-256). Default true.
     */
    public boolean graphOptimization() {
        return graphOptimization;
    }

    /** Largest number of inputs sent to the engine in one call by batch methods. */
    public int batchSize() {
        return batchSize;
    }

    /** Whether a GPU request on a machine without that GPU falls back to the CPU (with a warning) instead of failing. */
    public boolean gpuFallback() {
        return gpuFallback;
    }

    @Override
    public String toString() {
        return "ModelOptions{engine=" + (engine == null ? "auto" : engine) + ", device=" + device
                + ", threads=" + threads + ", batchSize=" + batchSize + ", gpuFallback=" + gpuFallback + '}';
    }

    /** Builds {@link ModelOptions}; every setter is optional. */
    public static final class Builder {
        private String engine;
        private Device device = Device.cpu();
        private int threads;
        private int batchSize = 32;
        private boolean gpuFallback;
        private boolean graphOptimization = true;

        private Builder() {
        }

        /** {@code "onnx"}, {@code "djl"}, or {@code null}/{@code "auto"} for automatic choice. */
        public Builder optEngine(String engine) {
            this.engine = engine == null || engine.trim().isEmpty() || engine.equalsIgnoreCase("auto")
                    ? null : engine.trim().toLowerCase(java.util.Locale.ROOT);
            return this;
        }

        public Builder optDevice(Device device) {
            this.device = device == null ? Device.cpu() : device;
            return this;
        }

        /** Intra-op threads, 0 (the engine decides) to {@link Ranges#maxThreads()} (4 per core). */
        public Builder optThreads(int threads) {
            this.threads = Ranges.threads(threads);
            return this;
        }

        /** Inputs per engine call, 1 to {@link Ranges#MAX_BATCH_SIZE}. */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = Ranges.batchSize(batchSize);
            return this;
        }

        public Builder optGpuFallback(boolean gpuFallback) {
            this.gpuFallback = gpuFallback;
            return this;
        }

        /** {@code false} loads the model file exactly as it is (no graph fusion); default true. */
        public Builder optGraphOptimization(boolean graphOptimization) {
            this.graphOptimization = graphOptimization;
            return this;
        }

        public ModelOptions build() {
            return new ModelOptions(this);
        }
    }
}
