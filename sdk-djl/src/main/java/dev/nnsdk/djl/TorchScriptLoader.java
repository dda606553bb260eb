package dev.nnsdk.djl;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.pytorch.engine.PtSymbolBlock;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.engine.LoadOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;

/** Loads one TorchScript file into a DJL {@link Model} on the requested device; frees it again on any failure. */
final class TorchScriptLoader {

    static {
        DjlSystemProperties.apply();
    }

    private TorchScriptLoader() {
    }

    static DjlModel load(Path file, LoadOptions options) {
        PyTorchRuntime.start();
        PyTorchRuntime.applyThreads(options.threads());
        ai.djl.Device device = PyTorchRuntime.device(options.device(), options.gpuFallback());
        String where = file.toAbsolutePath().toString();
        Model model = Model.newInstance(modelName(file), device, PyTorchRuntime.ENGINE);
        try {
            // mapLocation: load every tensor of the archive onto the model's device.
            Map<String, String> loadOptions = Collections.singletonMap("mapLocation", "true");
            model.load(file, null, loadOptions);
            if (!(model.getBlock() instanceof PtSymbolBlock)) {
                throw new ModelLoadException("TorchScript model file " + where + " did not load as a TorchScript module");
            }
            return new DjlModel(model, (PtSymbolBlock) model.getBlock(), file, options);
        } catch (IOException | MalformedModelException e) {
            model.close();
            throw new ModelLoadException("Cannot load TorchScript model file " + where + ": " + e.getMessage(), e);
        } catch (ai.djl.engine.EngineException e) {
            model.close();
            throw new ModelLoadException("libtorch cannot load TorchScript model file " + where
                    + " (is it a complete file saved by torch.jit.save?): " + TorchErrors.summary(e), e);
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    private static String modelName(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".pt") ? n.substring(0, n.length() - 3) : n;
    }
}
