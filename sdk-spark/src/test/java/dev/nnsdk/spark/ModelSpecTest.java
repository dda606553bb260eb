package dev.nnsdk.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class ModelSpecTest {

    private static SparkConf conf(String master, String executorCores) {
        SparkConf c = new SparkConf(false).set("spark.master", master);
        return executorCores == null ? c : c.set("spark.executor.cores", executorCores);
    }

    /** threads 0 on an executor: each task's calls get the executor's share of the cores, never all of them. */
    @Test
    void defaultThreadsAreTheCoresShareOfOneTaskSlot() {
        assertEquals(1, ModelSpec.threadsPerTask(2, conf("local[2]", null)));
        assertEquals(4, ModelSpec.threadsPerTask(8, conf("local[2]", null)));
        assertEquals(1, ModelSpec.threadsPerTask(8, conf("local[*]", null)));
        assertEquals(8, ModelSpec.threadsPerTask(8, conf("local", null)));
        assertEquals(2, ModelSpec.threadsPerTask(8, conf("local[4,3]", null)));
        assertEquals(1, ModelSpec.threadsPerTask(4, conf("local[16]", null)), "more slots than cores: still 1");
        assertEquals(4, ModelSpec.threadsPerTask(16, conf("yarn", "4")));
        assertEquals(0, ModelSpec.threadsPerTask(16, conf("spark://host:7077", null)),
                "unknown slots: the engine's own default");
    }
}
