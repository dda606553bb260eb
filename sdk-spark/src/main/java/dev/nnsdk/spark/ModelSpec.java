package dev.nnsdk.spark;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;

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

    private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)(?:,\\d+)?\\]");

    /**
     * The load options on this executor. {@code threads} 0 (the stage's default) becomes the executor's share of the
     * machine: {@code max(1, cores / task slots)}, the task slots being {@code spark.executor.cores} or, in local
     * mode, the N of {@code local[N]}. Spark already runs one task per slot side by side, each with its own batches;
     * giving each task's engine calls every core as well (the local SDK's default) would run slots x cores calls on
     * the cores at once.
     */
    ModelOptions options() {
        int t = threads;
        if (t == 0) {
            SparkEnv env = SparkEnv.get();
            t = env == null ? 0 : threadsPerTask(Runtime.getRuntime().availableProcessors(), env.conf());
        }
        return ModelOptions.builder().optEngine(engine).optDevice(Device.parse(device)).optThreads(t)
                .optBatchSize(batchSize).build();
    }

    /** {@code max(1, cores / slots)}; 0 (the engine's default) when the slots cannot be told from the conf. */
    static int threadsPerTask(int cores, SparkConf conf) {
        int slots = 0;
        if (conf.contains("spark.executor.cores")) {
            slots = conf.getInt("spark.executor.cores", 0);
        } else {
            Matcher m = LOCAL.matcher(conf.get("spark.master", ""));
            if (m.matches()) {
                slots = m.group(1).equals("*") ? cores : Integer.parseInt(m.group(1));
            } else if (conf.get("spark.master", "").equals("local")) {
                slots = 1;
            }
        }
        return slots <= 0 ? 0 : Math.max(1, cores / slots);
    }
}
