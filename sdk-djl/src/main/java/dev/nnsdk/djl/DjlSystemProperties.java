package dev.nnsdk.djl;

/**
 * The DJL system properties the SDK sets before DJL's PyTorch engine starts, unless the user set them already:
 * {@code ai.djl.offline=true} (never download natives or models), {@code OPT_OUT_TRACKING=true} (no usage
 * tracking) and {@code ai.djl.pytorch.graph_optimizer=false} (libtorch's TorchScript profiling executor
 * re-optimises a graph for each new input shape, which costs seconds per new batch shape). The engine applies
 * them in its own static initialiser; code that uses DJL directly (the raw-DJL benchmarks) calls
 * {@link #apply()} first.
 *
 * <pre>{@code
 * DjlSystemProperties.apply();
 * Criteria<NDList, NDList> criteria = Criteria.builder()...;
 * }</pre>
 */
public final class DjlSystemProperties {

    private DjlSystemProperties() {
    }

    /** Sets the properties above that are not set yet. Idempotent and thread-safe. */
    public static synchronized void apply() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.pytorch.graph_optimizer", "false");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
