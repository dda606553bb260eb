package dev.nnsdk.internal;

import dev.nnsdk.EngineException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.engine.Engine;
import dev.nnsdk.engine.EngineModel;
import dev.nnsdk.engine.LoadOptions;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ModelDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Picks the engine and artifact for a descriptor, verifies the checksum, and loads it. */
public final class ModelLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

    private ModelLoader() {
    }

    /** Loads the model of {@code d} on the engine the options name (or the best available one). */
    public static EngineModel load(ModelDescriptor d, ModelOptions options) {
        Map<ModelFormat, Artifact> artifacts = d.artifacts();
        Engine engine = null;
        ModelFormat format = null;
        if (options.engine() != null) {
            engine = Services.engine(options.engine());
            format = formatFor(engine, d);
            if (format == null) {
                throw new EngineException("Model '" + d.id() + "' has no artifact engine '" + engine.name()
                        + "' can load (it has " + formats(d) + ")" + (SdkDefaults.assetsDir() == null
                        ? "; zoo models keep some formats (e.g. the TorchScript files djl runs) in the shared assets, which"
                        + " are not configured: set the environment variable " + SdkDefaults.ASSETS_ENV + " (see the README,"
                        + " 'Shared assets')" : ""));
            }
        } else {
            List<String> seen = new ArrayList<String>();
            for (Engine e : Services.engines()) {
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
        return engine.load(a.path(), format, new LoadOptions(options.device(), options.threads(),
                options.gpuFallback(), d.inputNames(), d.outputNames()));
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
