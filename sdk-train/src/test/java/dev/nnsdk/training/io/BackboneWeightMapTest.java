package dev.nnsdk.training.io;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.djl.training.TorchScriptClassifier;
import dev.nnsdk.djl.training.TrainingSession;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import dev.nnsdk.onnx.graph.proto.OnnxProto.ModelProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.TensorProto;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The zoo MiniLM: every TorchScript parameter maps exactly onto an ONNX initializer (untrained pair). */
class BackboneWeightMapTest {

    @Test
    void everyMiniLmParameterMapsExactlyAndRoundTrips() throws IOException {
        ModelDescriptor d = ModelRepository.resolve("all-minilm-l6-v2");
        Artifact pt = FoldedBatchNormMapTest.requireTorchScript(d, "MiniLM");
        ModelProto onnx = FoldedBatchNormMapTest.onnx(d);
        Map<String, float[]> params = new LinkedHashMap<String, float[]>();
        Map<String, long[]> shapes = new HashMap<String, long[]>();
        try (TrainingSession s = TrainingSession.open(1);
             TorchScriptClassifier m = TorchScriptClassifier.load(s, pt.path(), 2, new float[768], new float[2], "none",
                     new TorchScriptClassifier.Settings(0, 1, 1))) {
            for (String n : m.parameterNames()) {
                params.put(n, m.parameter(n));
                shapes.put(n, m.shape(n));
            }
        }
        BackboneWeightMap map = BackboneWeightMap.build(onnx, params, shapes);
        assertEquals(params.size(), map.size(), "every parameter is mapped");
        int transposed = 0;
        for (String n : params.keySet()) {
            for (String init : map.initializers(n)) {
                transposed += init.endsWith("(transposed)") ? 1 : 0;
            }
        }
        assertTrue(transposed >= 6 * 6, "the MatMul weights (6 per layer) map transposed: " + transposed);

        // Writing values back: an untouched parameter keeps bit-identical initializer data; a changed one lands there.
        String someWeight = null;
        for (String n : params.keySet()) {
            if (shapes.get(n).length == 2 && map.initializers(n).get(0).endsWith("(transposed)")) {
                someWeight = n;
                break;
            }
        }
        float[] changed = params.get(someWeight).clone();
        changed[0] += 1f;
        Map<String, float[]> trained = new HashMap<String, float[]>();
        trained.put(someWeight, changed);
        ModelProto out = map.apply(onnx, trained);
        String init = map.initializers(someWeight).get(0).replace(" (transposed)", "");
        long[] sh = shapes.get(someWeight);
        for (TensorProto t : out.getGraph().getInitializerList()) {
            if (t.getName().equals(init)) {
                assertArrayEquals(BackboneWeightMap.transpose(changed, (int) sh[0], (int) sh[1]), BackboneWeightMap.floats(t));
            }
        }
        assertEquals(onnx.getGraph().getInitializerCount(), out.getGraph().getInitializerCount());

        // A TorchScript parameter that is not in the ONNX graph: export is refused, naming it.
        Map<String, float[]> other = new LinkedHashMap<String, float[]>(params);
        float[] off = params.get(someWeight).clone();
        off[1] += 1e-3f;
        other.put(someWeight, off);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> BackboneWeightMap.build(onnx, other, shapes));
        assertTrue(e.getMessage().contains(someWeight) && e.getMessage().contains("exactly"), e.getMessage());
    }
}
