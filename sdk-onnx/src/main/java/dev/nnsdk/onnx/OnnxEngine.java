package dev.nnsdk.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nnsdk.Device;
import dev.nnsdk.EngineException;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.engine.Engine;
import dev.nnsdk.engine.EngineModel;
import dev.nnsdk.engine.LoadOptions;
import dev.nnsdk.engine.ModelFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code onnx} engine: ONNX Runtime through its Java API, one shared {@link OrtEnvironment}. */
public final class OnnxEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxEngine.class);

    /** Engine name users pass as the engine option. */
    public static final String NAME = "onnx";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean supports(ModelFormat format) {
        return format == ModelFormat.ONNX;
    }

    /** Preferred when the user names no engine: fastest start-up and no 430 MB natives. */
    @Override
    public int priority() {
        return 10;
    }

    /** ONNX Runtime's session option for exact int8 GEMMs on x86 CPUs without VNNI (set on every session). */
    public static final String X64_QUANT_PRECISION = "session.x64quantprecision";

    @Override
    public EngineModel load(Path modelFile, ModelFormat format, LoadOptions options) {
        if (!Files.isRegularFile(modelFile)) {
            throw new ModelLoadException("ONNX model file " + modelFile.toAbsolutePath() + " is missing");
        }
        OrtEnvironment env = environment();
        Path file = prepared(modelFile, options);
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setInterOpNumThreads(1);
            if (options.threads() > 0) {
                so.setIntraOpNumThreads(options.threads());
            }
            if (!spinning()) {
                // Idle intra-op threads sleep instead of busy-waiting: measured faster when the cores are
                // shared (docs/benchmarks-perf.md); nnsdk.onnx.spinning=true restores ONNX Runtime's default.
                so.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            // On x86 CPUs without VNNI, ONNX Runtime's u8 x s8 integer kernels add byte products into saturating 16-bit
            // sums, and an int8 file whose weights exceed -64..63 (ours, Optimum's, transformers.js') gives silently
            // wrong results (measured on an AMD EPYC Zen 3: one GEMM off by 6.1 on outputs up to 29). This makes ORT
            // switch those MatMuls to exact u8 x u8 kernels at load time, and only on such CPUs; a no-op elsewhere.
            so.addConfigEntry(X64_QUANT_PRECISION, "1");
            Device device = options.device();
            if (device.isGpu()) {
                addCuda(so, device, options.gpuFallback());
            }
            OrtSession session;
            try {
                session = env.createSession(file.toString(), so);
            } catch (OrtException e) {
                throw new ModelLoadException("ONNX Runtime cannot load " + modelFile.toAbsolutePath()
                        + " (is it a complete .onnx file?): " + e.getMessage(), e);
            }
            return new OnnxModel(env, session, modelFile);
        } catch (OrtException e) {
            throw new EngineException("ONNX Runtime failed to set up a session for " + modelFile + ": " + e.getMessage(), e);
        } finally {
            so.close();
        }
    }

    /**
     * The file to load: a plug-in's verified rewrite (sdk-onnx-graph) when one is on the class path and applies, else
     * {@code modelFile}. System property {@code nnsdk.onnx.optimize=false} turns graph optimisation off everywhere.
     */
    private static Path prepared(Path modelFile, LoadOptions options) {
        if (options.quantization() == null && (!options.graphOptimization()
                || !Boolean.parseBoolean(System.getProperty("nnsdk.onnx.optimize", "true")))) {
            return modelFile;
        }
        OnnxModelPreparer preparer = Preparers.INSTANCE;
        if (preparer == null) {
            if (options.quantization() != null) {
                throw new ModelLoadException("Model " + modelFile + " is to be served quantised (" + options.quantization()
                        + ") but no ONNX graph plug-in is on the class path: add dev.nnsdk:sdk-onnx-graph (part of sdk-all)");
            }
            return modelFile;
        }
        return preparer.prepare(modelFile, options);
    }

    /** The first {@link OnnxModelPreparer} on the class path, looked up once. */
    private static final class Preparers {
        static final OnnxModelPreparer INSTANCE = first();

        private static OnnxModelPreparer first() {
            java.util.Iterator<OnnxModelPreparer> it = java.util.ServiceLoader.load(OnnxModelPreparer.class,
                    OnnxEngine.class.getClassLoader()).iterator();
            return it.hasNext() ? it.next() : null;
        }
    }

    private static void addCuda(OrtSession.SessionOptions so, Device device, boolean fallback) {
        try {
            so.addCUDA(device.index());
        } catch (OrtException | RuntimeException | LinkageError e) {
            String msg = "GPU " + device + " requested but ONNX Runtime's CUDA provider is not usable here ("
                    + e.getMessage() + "). Use the onnxruntime_gpu build (Maven profile -Pgpu) on a machine with CUDA 12,"
                    + " or ask for Device.cpu()";
            if (!fallback) {
                throw new EngineException(msg);
            }
            LOG.warn("{}; falling back to the CPU as requested (gpuFallback)", msg);
        }
    }

    /** Whether intra-op threads spin while waiting for work: system property {@code nnsdk.onnx.spinning} (default false). */
    static boolean spinning() {
        return Boolean.parseBoolean(System.getProperty("nnsdk.onnx.spinning", "false"));
    }

    static OrtEnvironment environment() {
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevelHolder.LEVEL, "nnsdk");
        EnvironmentPin.pin(env, OrtLoggingLevelHolder.LEVEL, "nnsdk");
        return env;
    }

    /** Keeps ONNX Runtime's own logging to warnings and errors. */
    private static final class OrtLoggingLevelHolder {
        static final ai.onnxruntime.OrtLoggingLevel LEVEL = ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
    }
}
