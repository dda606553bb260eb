package dev.nnsdk.training.io;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.SdkSettings;
import dev.nnsdk.djl.training.TorchScriptClassifier;
import dev.nnsdk.djl.training.TrainingSession;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.onnx.graph.proto.OnnxProto.ModelProto;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.BackboneRef;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The original backbone's ONNX graph with a fine-tuned backbone's trained weights: the parameter -> initializer map is
 * built on the UNTRAINED pair (the original TorchScript module and ONNX file, whose checksums the saved model recorded)
 * and must be exact ({@link BackboneWeightMap#build} refuses otherwise); then every trained parameter is written onto its
 * initializer(s). Needs the djl engine (sdk-djl) to read the TorchScript modules.
 *
 * <pre>{@code
 * ModelProto onnx = TrainedBackboneOnnx.graph(ModelRepository.resolve(Path.of("out/sentiment")), Path.of("out/sentiment"));
 * }</pre>
 */
final class TrainedBackboneOnnx {
    private TrainedBackboneOnnx() {
    }

    /** Whether {@code d} is a saved model whose backbone was trained (it runs its own TorchScript module, no ONNX). */
    static boolean isTrainedBackbone(ModelDescriptor d) {
        return d.backbone() != null && d.artifacts().containsKey(ModelFormat.TORCHSCRIPT)
                && !d.artifacts().containsKey(ModelFormat.ONNX);
    }

    static ModelProto graph(ModelDescriptor d, Path modelDir) throws IOException {
        BackboneRef ref = d.backbone();
        ModelDescriptor original = ModelRepository.resolve(ref.source());
        Artifact onnx = original.artifacts().get(ModelFormat.ONNX);
        Artifact untrained = original.artifacts().get(ModelFormat.TORCHSCRIPT);
        if (onnx == null) {
            throw new InvalidInputException("Cannot export " + modelDir + ": its backbone was fine-tuned from '" + ref.source()
                    + "', which has no ONNX file to carry the trained weights (it has " + original.artifacts().keySet()
                    + "). Use the saved model on the djl engine instead");
        }
        if (untrained == null) {
            throw new InvalidInputException("Cannot export " + modelDir + ": the trained weights are mapped onto the ONNX "
                    + "graph through the original TorchScript module of '" + ref.source() + "', which is not available"
                    + (SdkSettings.assetsDir() == null ? " (the zoo keeps it in the shared assets: set "
                    + SdkSettings.ASSETS_ENV + ")" : ""));
        }
        for (Map.Entry<ModelFormat, Artifact> e : original.artifacts().entrySet()) {
            String want = ref.sha256().get(e.getKey().id());
            if (want != null && e.getValue().sha256() != null && !want.equals(e.getValue().sha256())) {
                throw new InvalidInputException("Cannot export " + modelDir + ": backbone '" + ref.source() + "' "
                        + e.getKey().id() + " has SHA-256 " + e.getValue().sha256() + " but the model was trained from "
                        + want + "; restore the original backbone");
            }
        }
        Checksums.verify(onnx.path(), onnx.sha256());
        Checksums.verify(untrained.path(), untrained.sha256());
        Artifact trained = d.artifacts().get(ModelFormat.TORCHSCRIPT);
        Checksums.verify(trained.path(), trained.sha256());
        ModelProto proto;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(onnx.path()), 1 << 20)) {
            proto = ModelProto.parseFrom(in);
        }
        try (TrainingSession session = TrainingSession.open(0)) {
            Map<String, long[]> shapes = new HashMap<String, long[]>();
            Map<String, float[]> untrainedParams;
            try (TorchScriptClassifier m = load(session, untrained.path(), d)) {
                untrainedParams = parameters(m, shapes);
            }
            // Exact on the untrained pair, or refused: BatchNorm folded into the ONNX convolutions (image backbones),
            // else one initializer per parameter (the zoo's MiniLM).
            FoldedBatchNormMap folded = d.image() != null && FoldedBatchNormMap.applies(untrainedParams)
                    ? FoldedBatchNormMap.build(proto, untrainedParams, shapes) : null;
            BackboneWeightMap map = folded == null ? BackboneWeightMap.build(proto, untrainedParams, shapes) : null;
            untrainedParams = null;
            Map<String, long[]> trainedShapes = new HashMap<String, long[]>();
            Map<String, float[]> values;
            try (TorchScriptClassifier m = load(session, trained.path(), d)) {
                values = parameters(m, trainedShapes);
            }
            if (!trainedShapes.keySet().equals(shapes.keySet())) {
                throw new InvalidInputException("Cannot export " + modelDir + ": the trained module's parameters differ from "
                        + "the original backbone's (" + trainedShapes.size() + " vs " + shapes.size() + ")");
            }
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                if (!Arrays.equals(e.getValue(), trainedShapes.get(e.getKey()))) {
                    throw new InvalidInputException("Cannot export " + modelDir + ": trained parameter " + e.getKey()
                            + " has shape " + Arrays.toString(trainedShapes.get(e.getKey())) + ", the original "
                            + Arrays.toString(e.getValue()));
                }
            }
            return folded != null ? folded.apply(proto, values, shapes) : map.apply(proto, values);
        }
    }

    private static TorchScriptClassifier load(TrainingSession session, Path module, ModelDescriptor d) {
        TorchScriptClassifier.Settings none = new TorchScriptClassifier.Settings(0, 1, 1);
        if (d.image() != null) {
            return TorchScriptClassifier.loadImage(session, module, new dev.nnsdk.image.ImagePreprocessor(d.image()).shape(1),
                    Math.max(0, d.outputNames().indexOf(d.image().featuresOutput())), 2, new float[0], new float[0], "none",
                    none);
        }
        return TorchScriptClassifier.load(session, module, 2, new float[0], new float[0], "none", none);
    }

    private static Map<String, float[]> parameters(TorchScriptClassifier m, Map<String, long[]> shapes) {
        Map<String, float[]> out = new LinkedHashMap<String, float[]>();
        for (String n : m.parameterNames()) {
            out.put(n, m.parameter(n));
            shapes.put(n, m.shape(n));
        }
        return out;
    }
}
