package dev.nnsdk.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Keeps ONNX Runtime's native environment alive until the process ends, so that a JVM shutting down
 * (SIGTERM, {@code System.exit}) with {@code OrtSession.run} calls in flight cannot crash.
 *
 * <p>Why: ONNX Runtime's Java binding registers a shutdown hook ({@code OrtEnvironment$OrtEnvCloser}) that
 * releases the native {@code OrtEnv} at shutdown. Shutdown hooks run concurrently, and threads inside
 * native code keep running, so the environment (its logger, allocators, thread pools) could be freed
 * under a running session: SIGSEGV in {@code libonnxruntime.so}. The native {@code OrtEnv} is
 * reference-counted ({@code CreateEnv} increments, {@code ReleaseEnv} decrements and frees at zero), so
 * this class takes one more reference, which it never releases. The hook then only decrements, and
 * the operating system reclaims the environment when the process ends. The extra reference is taken
 * through the binding's own {@code OrtEnvironment.createHandle} (private, hence reflection); if a
 * future binding lacks it, the SDK logs a warning and runs as before.
 *
 * <p>{@code -Dnnsdk.onnx.pinEnvironment=false} turns this off.
 */
final class EnvironmentPin {
    private static final Logger LOG = LoggerFactory.getLogger(EnvironmentPin.class);

    /** System property that turns the pin off ({@code false}); on by default. */
    static final String PROPERTY = "nnsdk.onnx.pinEnvironment";

    private static boolean done;
    private static volatile long handle;

    private EnvironmentPin() {
    }

    /** Takes the extra reference once per process (after the binding created its environment); idempotent. */
    static synchronized void pin(OrtEnvironment env, OrtLoggingLevel level, String name) {
        if (done || env == null) {
            return;
        }
        done = true;
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim())) {
            return;
        }
        try {
            Field api = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("ortApiHandle");
            api.setAccessible(true);
            Method create = OrtEnvironment.class.getDeclaredMethod("createHandle", long.class, int.class, String.class);
            create.setAccessible(true);
            handle = (Long) create.invoke(null, api.getLong(null), level.getValue(), name);
            LOG.debug("ONNX Runtime environment pinned until the process ends");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.warn("Cannot pin ONNX Runtime's environment ({}); a JVM exit with ONNX calls in flight may crash", e.toString());
        }
    }

    /** Whether the extra reference is held. */
    static boolean pinned() {
        return handle != 0;
    }
}
