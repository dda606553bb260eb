package dev.nnsdk.engine;

/**
 * An inference engine plug-in, found through {@link java.util.ServiceLoader}: a module such as
 * {@code sdk-onnx} lists its implementation in
 * {@code META-INF/services/dev.nnsdk.engine.Engine}. Users never see this type; they pick an
 * engine by name in {@link dev.nnsdk.ModelOptions}.
 *
 * <p>Implementations must be thread-safe and cheap to construct: native start-up belongs in
 * {@link #load}.
 */
public interface Engine {

    /** The short name users pass as the engine option, e.g. {@code onnx} or {@code djl}. */
    String name();

    /** Whether this engine can load files of {@code format}. */
    boolean supports(ModelFormat format);

    /** Preference when the user names no engine: higher wins among engines supporting an artifact. */
    default int priority() {
        return 0;
    }

    /**
     * Loads one model file.
     *
     * @throws dev.nnsdk.ModelLoadException when the file is missing, corrupt or of the wrong format
     * @throws dev.nnsdk.EngineException when the device is unavailable or the engine cannot start
     */
    EngineModel load(java.nio.file.Path modelFile, ModelFormat format, LoadOptions options);
}
