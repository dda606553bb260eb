package dev.nnsdk.onnx.graph;

import dev.nnsdk.onnx.graph.ir.OnnxGraph;
import dev.nnsdk.onnx.graph.proto.OnnxProto.ModelProto;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fusing the zoo's MiniLM export: which ops it becomes, and that it computes what the original does. */
class GraphOptimizerTest {

    @Test
    void fusesMiniLmAndMatchesTheOriginalOnRealTexts() throws Exception {
        byte[] source = Files.readAllBytes(TestModels.miniLmOnnx());
        ModelOptimizer.Optimized o = ModelOptimizer.optimize(source, ModelOptimizer.DEFAULT_TOLERANCE);
        assertEquals(6, (int) o.fusions().get("Attention"), o.fusions().toString());
        assertEquals(13, (int) o.fusions().get("SkipLayerNormalization"), o.fusions().toString());
        assertEquals(6, (int) o.fusions().get("BiasGelu"), o.fusions().toString());
        Map<String, Integer> ops = OnnxGraph.of(ModelProto.parseFrom(o.model())).opCounts();
        assertFalse(ops.containsKey("Softmax") || ops.containsKey("Transpose") || ops.containsKey("Erf"), ops.toString());
        assertEquals(18, (int) ops.get("MatMul"), ops.toString());

        List<String> texts = Arrays.asList("A short one.", "The plot was thin and the dialogue felt forced, sadly.",
                "I loved every minute of it!", "Shipping took three weeks and the box arrived damaged.");
        List<Map<String, long[][]>> feeds = CalibrationTexts.feeds(TestModels.miniLmTokenizer(), texts, 4,
                ModelOptimizer.inputNames(source));
        GraphVerifier.Report r = GraphVerifier.compare(source, o.model(), feeds);
        assertTrue(r.maxAbsDiff < 1e-4, r.toString());
        assertTrue(r.minCosine > 0.99999, r.toString());
    }

    @Test
    void refusesAboveTheTolerance() throws Exception {
        byte[] source = Files.readAllBytes(TestModels.miniLmOnnx());
        ModelOptimizer.RefusedException e = assertThrows(ModelOptimizer.RefusedException.class,
                () -> ModelOptimizer.optimize(source, 0.0));
        assertTrue(e.getMessage().contains("above the tolerance 0.0"), e.getMessage());
    }

    @Test
    void leavesAGraphWithoutAttentionAlone() throws Exception {
        Path resnet = dev.nnsdk.repository.ModelRepository.resolve("resnet-tiny-fixture").artifacts()
                .get(dev.nnsdk.engine.ModelFormat.ONNX).path();
        ModelOptimizer.RefusedException e = assertThrows(ModelOptimizer.RefusedException.class,
                () -> ModelOptimizer.optimize(Files.readAllBytes(resnet), 1e-4));
        assertTrue(e.getMessage().contains("No transformer attention block"), e.getMessage());
    }
}
