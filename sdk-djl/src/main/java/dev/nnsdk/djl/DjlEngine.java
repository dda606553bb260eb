package dev.nnsdk.djl;

import dev.nnsdk.ModelLoadException;
import dev.nnsdk.engine.Engine;
import dev.nnsdk.engine.EngineModel;
import dev.nnsdk.engine.LoadOptions;
import dev.nnsdk.engine.ModelFormat;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code djl} engine: TorchScript models on Deep Java Library's PyTorch engine (libtorch
 * 2.7.1, CPU natives from the {@code pytorch-native-cpu} jar, so nothing is downloaded).
 *
 * <p>Users never touch this class: they name the engine in the options.
 * <pre>{@code
 * ModelOptions opts = ModelOptions.builder().optEngine("djl").build();
 * try (TextEmbedder e = TextEmbedder.load("all-minilm-l6-v2", opts)) { ... }
 * }</pre>
 *
 * <p>This class deliberately references no DJL type: its static initialiser switches DJL to
 * offline mode before the first DJL class is initialised (DJL reads those settings once).
 */
public final class DjlEngine implements Engine {

    static {
        DjlSystemProperties.apply();
    }

    /** Engine name users pass as the engine option. */
    public static final String NAME = "djl";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean supports(ModelFormat format) {
        return format == ModelFormat.TORCHSCRIPT;
    }

    /** Below {@code onnx} (10): when a model has both artifacts and no engine is named, ONNX Runtime wins. */
    @Override
    public int priority() {
        return 5;
    }

    @Override
    public EngineModel load(Path modelFile, ModelFormat format, LoadOptions options) {
        if (format != ModelFormat.TORCHSCRIPT) {
            throw new ModelLoadException("The djl engine loads TorchScript files only; " + modelFile.toAbsolutePath()
                    + " was given as " + format.id() + " (use the onnx engine for it)");
        }
        if (!Files.isRegularFile(modelFile)) {
            throw new ModelLoadException("TorchScript model file " + modelFile.toAbsolutePath() + " is missing");
        }
        if (!Files.isReadable(modelFile)) {
            throw new ModelLoadException("TorchScript model file " + modelFile.toAbsolutePath() + " is not readable");
        }
        TorchScriptFiles.check(modelFile);
        return TorchScriptLoader.load(modelFile, options);
    }
}
