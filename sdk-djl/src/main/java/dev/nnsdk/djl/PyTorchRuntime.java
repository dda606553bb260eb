package dev.nnsdk.djl;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.nnsdk.Device;
import dev.nnsdk.EngineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide side of DJL's PyTorch engine: starting it (natives from the class path,
 * offline), choosing the device, and libtorch's intra-op thread pool. Public for the training
 * surface ({@code dev.nnsdk.djl.training}); libtorch's process-wide thread count changes only here,
 * under this class's lock.
 */
public final class PyTorchRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(PyTorchRuntime.class);

    /** DJL's name for its PyTorch engine. */
    static final String ENGINE = "PyTorch";

    private static volatile Engine engine;

    private PyTorchRuntime() {
    }

    /** Starts libtorch once (extracts the natives to {@code DJL_CACHE_DIR} on first use, ~430 MB). */
    public static Engine start() {
        Engine e = engine;
        if (e == null) {
            synchronized (PyTorchRuntime.class) {
                e = engine;
                if (e == null) {
                    try {
                        e = Engine.getEngine(ENGINE);
                    } catch (RuntimeException | LinkageError ex) {
                        throw new EngineException("DJL's PyTorch engine cannot start: " + ex.getMessage()
                                + ". The djl engine needs ai.djl.pytorch:pytorch-native-cpu:2.7.1 (classifier"
                                + " linux-x86_64) and pytorch-jni:2.7.1-0.36.0 on the class path, and a writable"
                                + " DJL_CACHE_DIR (default ~/.djl.ai) for the extracted natives", ex);
                    }
                    LOG.debug("DJL {} PyTorch engine {} started", Engine.getDjlVersion(), e.getVersion());
                    engine = e;
                }
            }
        }
        return e;
    }

    /**
     * The DJL device for {@code device}: the CPU, or the GPU if libtorch sees it. A missing GPU is an
     * {@link EngineException}, or a warning and the CPU when {@code fallback} is set.
     */
    static ai.djl.Device device(Device device, boolean fallback) {
        if (!device.isGpu()) {
            return ai.djl.Device.cpu();
        }
        int gpus = start().getGpuCount();
        if (device.index() < gpus) {
            return ai.djl.Device.gpu(device.index());
        }
        String msg = "GPU " + device + " requested but DJL's PyTorch engine sees " + gpus + " GPU(s)"
                + (gpus == 0 ? " (this build of libtorch has no CUDA support or no CUDA device is present;"
                + " build with the Maven profile -Pgpu-djl on a machine with CUDA 12.4)" : "")
                + ". Ask for Device.cpu(), or set gpuFallback to run on the CPU instead";
        if (!fallback) {
            throw new EngineException(msg);
        }
        LOG.warn("{}; falling back to the CPU as requested (gpuFallback)", msg);
        return ai.djl.Device.cpu();
    }

    /**
     * Sets libtorch's intra-op thread count when {@code threads > 0}. This is process-wide in
     * PyTorch: the last model loaded with a thread count sets it for every djl model.
     */
    static void applyThreads(int threads) {
        if (threads <= 0) {
            return;
        }
        synchronized (PyTorchRuntime.class) {
            int current = JniUtils.getNumThreads();
            if (current != threads) {
                LOG.info("Setting PyTorch intra-op threads from {} to {} (process-wide: applies to every djl model)",
                        current, threads);
                JniUtils.setNumThreads(threads);
            }
        }
    }

    /**
     * Sets libtorch's intra-op thread count to {@code threads} (process-wide) and returns the previous
     * count, so a caller can restore it. Under the same lock as {@link #applyThreads(int)}.
     */
    public static int swapThreads(int threads) {
        start();
        synchronized (PyTorchRuntime.class) {
            int current = JniUtils.getNumThreads();
            if (current != threads) {
                JniUtils.setNumThreads(threads);
            }
            return current;
        }
    }

    /**
     * Marks the start of a training run: glibc's freed memory is given back to the operating system every few
     * seconds until {@link #trainingRunEnded()} (see {@code NativeHeapTrimmer}). Called by the training session.
     */
    public static void trainingRunStarted() {
        NativeHeapTrimmer.scopeOpened();
    }

    /** Marks the end of a training run started with {@link #trainingRunStarted()}. */
    public static void trainingRunEnded() {
        NativeHeapTrimmer.scopeClosed();
    }
}
