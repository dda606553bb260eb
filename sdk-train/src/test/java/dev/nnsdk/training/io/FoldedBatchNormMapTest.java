package dev.nnsdk.training.io;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.djl.training.TorchScriptClassifier;
import dev.nnsdk.djl.training.TrainingSession;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.onnx.graph.proto.OnnxProto.ModelProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.NodeProto;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zoo MobileNetV2: the ONNX file folded every BatchNorm into its Conv; folding the TorchScript module's kernels and
 * BatchNorm parameters ourselves gives the ONNX initializers to float rounding (untrained pair), and a map whose check
 * fails is refused.
 */
class FoldedBatchNormMapTest {

    @Test
    void everyMobileNetConvolutionFoldsOntoItsOnnxConvAndAMismatchIsRefused() throws IOException {
        ModelDescriptor d = ModelRepository.resolve("mobilenet-v2-nsfw");
        Artifact pt = requireTorchScript(d, "MobileNetV2");
        ModelProto onnx = onnx(d);
        Map<String, float[]> params = new LinkedHashMap<String, float[]>();
        Map<String, long[]> shapes = new HashMap<String, long[]>();
        try (TrainingSession s = TrainingSession.open(1);
             TorchScriptClassifier m = TorchScriptClassifier.loadImage(s, pt.path(), new long[] {1, 224, 224, 3}, 0, 2,
                     new float[2560], new float[2], "none", new TorchScriptClassifier.Settings(0, 1, 1))) {
            read(m, params, shapes);
        }
        assertTrue(FoldedBatchNormMap.applies(params));
        FoldedBatchNormMap map = FoldedBatchNormMap.build(onnx, params, shapes);
        assertEquals(52, map.size(), "every Conv of the ONNX graph");
        System.out.printf("folded TorchScript vs ONNX Conv initializers: max relative difference %.2e%n",
                map.maxRelativeDifference);
        assertTrue(map.maxRelativeDifference < 1e-5, "float rounding only: " + map.maxRelativeDifference);

        // Unchanged parameters reproduce the ONNX initializers to rounding; nothing else in the graph changes.
        ModelProto same = map.apply(onnx, params, shapes);
        assertEquals(onnx.getGraph().getNodeCount(), same.getGraph().getNodeCount());
        assertEquals(onnx.getGraph().getInitializerCount(), same.getGraph().getInitializerCount());

        // A trained BatchNorm scale lands, folded, in its Conv's weight and bias.
        Map<String, float[]> trained = new LinkedHashMap<String, float[]>(params);
        float[] gamma = params.get("p.Conv_1_bn__gamma").clone();
        gamma[0] *= 2;
        trained.put("p.Conv_1_bn__gamma", gamma);
        ModelProto changed = map.apply(onnx, trained, shapes);
        NodeProto last = null;
        for (NodeProto n : onnx.getGraph().getNodeList()) {
            last = "Conv".equals(n.getOpType()) ? n : last;
        }
        float[] before = initializer(same, last.getInput(1));
        float[] after = initializer(changed, last.getInput(1));
        assertEquals(2 * before[0], after[0], 1e-6 * Math.abs(before[0]) + 1e-9, "channel 0 scaled");
        assertEquals(before[320], after[320], 0, "channel 1 (320 inputs per output channel) unchanged");

        // A module parameter with no place in the ONNX graph must not have changed.
        Map<String, float[]> dense = new LinkedHashMap<String, float[]>(params);
        float[] k = params.get("p.dense_1__kernel").clone();
        k[0] += 1;
        dense.put("p.dense_1__kernel", k);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> map.apply(onnx, dense, shapes));
        assertTrue(e.getMessage().contains("p.dense_1__kernel") && e.getMessage().contains("djl"), e.getMessage());

        // The check on the untrained pair refuses a graph that is not this module's.
        Map<String, float[]> other = new LinkedHashMap<String, float[]>(params);
        float[] var = params.get("p.block_5_project_BN__moving_variance").clone();
        var[3] *= 4;
        other.put("p.block_5_project_BN__moving_variance", var);
        e = assertThrows(InvalidInputException.class, () -> FoldedBatchNormMap.build(onnx, other, shapes));
        assertTrue(e.getMessage().contains("p.block_5_project__kernel") && e.getMessage().contains("djl"), e.getMessage());
    }

    /** The zoo model's TorchScript artifact; fails under CI=true when the shared assets are missing, else skips. */
    static Artifact requireTorchScript(ModelDescriptor d, String what) {
        Artifact pt = d.artifacts().get(ModelFormat.TORCHSCRIPT);
        if (pt == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI: the " + what + " TorchScript (shared assets) is missing; set SDK_ASSETS_DIR");
            }
            Assumptions.abort("no TorchScript " + what + " (SDK_ASSETS_DIR not set)");
        }
        return pt;
    }

    static ModelProto onnx(ModelDescriptor d) throws IOException {
        try (InputStream in = Files.newInputStream(d.artifacts().get(ModelFormat.ONNX).path())) {
            return ModelProto.parseFrom(in);
        }
    }

    static void read(TorchScriptClassifier m, Map<String, float[]> params, Map<String, long[]> shapes) {
        for (String n : m.parameterNames()) {
            params.put(n, m.parameter(n));
            shapes.put(n, m.shape(n));
        }
    }

    private static float[] initializer(ModelProto m, String name) {
        for (dev.nnsdk.onnx.graph.proto.OnnxProto.TensorProto t : m.getGraph().getInitializerList()) {
            if (t.getName().equals(name)) {
                return BackboneWeightMap.floats(t);
            }
        }
        throw new AssertionError("no initializer " + name);
    }
}
