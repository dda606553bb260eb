package dev.nnsdk.zoo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;

/**
 * Keeps DJL's CUDA probe quiet on CPU-only machines.
 *
 * <p>DJL asks the CUDA runtime for a GPU count whenever it picks a native library (the HF tokenizer's, libtorch's)
 * and logs a WARN such as "Failed to detect GPU count: CUDA driver version is insufficient" when a CUDA runtime is
 * installed without a usable driver. The SDK never needs that answer for a CPU run, and a GPU that is asked for but
 * absent is reported by the engines themselves with a clear error. So the probe's log lines are switched off, unless
 * the user wants them: {@code SDK_DEBUG=1}, or DEBUG enabled for the logger {@code ai.djl.util.cuda}.
 */
final class CudaProbe {
    private static final Logger LOG = LoggerFactory.getLogger(CudaProbe.class);
    private static volatile boolean done;

    private CudaProbe() {
    }

    /** Called before anything in the SDK touches DJL's platform detection; idempotent and cheap after the first call. */
    static void quiet() {
        if (done) {
            return;
        }
        done = true;
        if (System.getenv("SDK_DEBUG") != null
                || LoggerFactory.getLogger("ai.djl.util.cuda.CudaUtils").isDebugEnabled()) {
            return;
        }
        try {
            // CudaUtils.logging is DJL's own switch (its main() turns it off the same way); class loading runs the probe's
            // library look-up once, which DJL would do anyway.
            Field logging = Class.forName("ai.djl.util.cuda.CudaUtils").getDeclaredField("logging");
            logging.setAccessible(true);
            logging.setBoolean(null, false);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("cannot silence DJL's CUDA probe (DJL changed?): {}", e.toString());
        }
    }
}
