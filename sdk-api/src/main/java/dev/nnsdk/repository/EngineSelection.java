package dev.nnsdk.repository;

import dev.nnsdk.EngineException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.engine.Engine;
import dev.nnsdk.engine.Engines;
import dev.nnsdk.engine.EngineModel;
import dev.nnsdk.engine.LoadOptions;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.io.Checksums;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Picks the engine and the artifact for a descriptor, verifies the artifact's SHA-256, and loads it: the named
 * engine of the options, or else the highest-priority engine on the class path that supports one of the
 * descriptor's artifact formats. Task implementations and tools use it to get an {@link EngineModel}.
 *
 * <pre>{@code
 * try (EngineModel m = EngineSelection.load(ModelRepository.resolve("all-minilm-l6-v2"), ModelOptions.defaults())) {
 *     System.out.println(m.inputs());
 * }
 * }</pre>
 */
public final class EngineSelection {
    private static final Logger LOG = LoggerFactory.getLogger(EngineSelection.class);

    private EngineSelection() {
    }

    /** Loads the model of {@code d} on the engine the options name (or the best available one). */
    public static EngineModel load(ModelDescriptor d, ModelOptions options) {
        Map<ModelFormat, Artifact> artifacts = d.artifacts();
        Engine engine = null;
        ModelFormat format = null;
        if (options.engine() != null) {
            engine = Engines.named(options.engine());
            format = formatFor(engine, d);
            if (format == null) {
                throw new EngineException("Model '" + d.id() + "' has no artifact engine '" + engine.name()
                        + "' can load (it has " + formats(d) + ")" + (d.backbone() != null
                        && !artifacts.containsKey(ModelFormat.ONNX) && artifacts.containsKey(ModelFormat.TORCHSCRIPT)
                        ? "; its backbone was fine-tuned and is saved as TorchScript: run it on engine djl, or export it"
                        + " to one ONNX file for ONNX Runtime with export-onnx (OnnxExporter.export)" : "")
                        + (dev.nnsdk.SdkSettings.assetsDir() == null
                        ? "; zoo models keep some formats (e.g. the TorchScript files djl runs) in the shared assets, which"
                        + " are not configured: set the environment variable " + dev.nnsdk.SdkSettings.ASSETS_ENV + " (see the README,"
                        + " 'Shared assets')" : ""));
            }
        } else {
            List<String> seen = new ArrayList<String>();
            for (Engine e : Engines.all()) {
                seen.add(e.name());
                ModelFormat f = formatFor(e, d);
                if (f != null) {
                    engine = e;
                    format = f;
                    break;
                }
            }
            if (engine == null) {
                throw new EngineException("No engine on the class path can load model '" + d.id() + "' (it has "
                        + formats(d) + "; engines present: " + seen
                        + "). Add dev.nnsdk:sdk-onnx for ONNX or dev.nnsdk:sdk-djl for TorchScript.");
            }
        }
        Artifact a = artifacts.get(format);
        Checksums.verify(a.path(), a.sha256());
        LOG.debug("Loading {} ({}) on {} / {}", d.id(), a.path(), engine.name(), options.device());
        EngineModel m = engine.load(a.path(), format, new LoadOptions(options.device(), options.threads(),
                options.gpuFallback(), d.inputNames(), d.outputNames(), options.graphOptimization(), a.quantization(),
                d.text() == null ? null : d.text().tokenizer().path()));
        if (format == ModelFormat.ONNX) {
            try {
                checkDeclared(d, a, "inputs", d.inputNames(), m.inputs());
                checkDeclared(d, a, "outputs", d.outputNames(), m.outputs());
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        }
        return m;
    }

    /** Every name the descriptor declares must be one the model file has (an ONNX file names its tensors). */
    private static void checkDeclared(ModelDescriptor d, Artifact a, String field, List<String> declared,
                                      List<dev.nnsdk.engine.TensorInfo> actual) {
        List<String> names = new ArrayList<String>();
        for (dev.nnsdk.engine.TensorInfo t : actual) {
            names.add(t.name());
        }
        for (String n : declared) {
            if (!names.contains(n)) {
                throw new dev.nnsdk.ModelLoadException("Model '" + d.id() + "' declares " + field + " " + declared
                        + ", but " + a.path() + " has no " + field.substring(0, field.length() - 1) + " '" + n + "' (it has "
                        + names + "); fix '" + field + "' in model.json");
            }
        }
    }

    private static ModelFormat formatFor(Engine e, ModelDescriptor d) {
        for (ModelFormat f : d.artifacts().keySet()) {
            if (e.supports(f)) {
                return f;
            }
        }
        return null;
    }

    private static String formats(ModelDescriptor d) {
        List<String> out = new ArrayList<String>();
        for (ModelFormat f : d.artifacts().keySet()) {
            out.add(f.id());
        }
        return out.toString();
    }
}
