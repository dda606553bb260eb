package dev.nnsdk.onnx.graph;

import dev.nnsdk.onnx.graph.ir.OnnxGraph;
import dev.nnsdk.onnx.graph.fusion.AttentionFusion;
import dev.nnsdk.onnx.graph.fusion.Fusion;
import dev.nnsdk.onnx.graph.fusion.GeluFusion;
import dev.nnsdk.onnx.graph.fusion.SkipLayerNormFusion;
import dev.nnsdk.onnx.graph.proto.OnnxProto.ModelProto;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuses a BERT-style encoder graph into ONNX Runtime's contrib ops, like ONNX Runtime's Python transformer optimizer:
 * attention into {@code Attention} (or {@code MultiHeadAttention}), residual + layer norm into
 * {@code SkipLayerNormalization}, bias + erf-GELU into {@code BiasGelu}. Nothing is changed in a graph none of whose
 * patterns match; every rewrite is checked numerically by {@link GraphVerifier} before the SDK uses it.
 *
 * <pre>{@code
 * GraphOptimizer.Result r = GraphOptimizer.optimize(model, AttentionFusion.Mode.PACKED);
 * if (r.recognised()) { r.graph().write(out); }
 * }</pre>
 */
public final class GraphOptimizer {
    private GraphOptimizer() {
    }

    /** The fused graph and how many times each fusion matched. */
    public static final class Result {
        private final OnnxGraph graph;
        private final Map<String, Integer> fusions;

        Result(OnnxGraph graph, Map<String, Integer> fusions) {
            this.graph = graph;
            this.fusions = Collections.unmodifiableMap(fusions);
        }

        public OnnxGraph graph() {
            return graph;
        }

        /** Fusion name to number of matches, e.g. {@code {Attention=6, SkipLayerNormalization=13, BiasGelu=6}}. */
        public Map<String, Integer> fusions() {
            return fusions;
        }

        /** Whether this looked like a transformer encoder: at least one attention block was fused. */
        public boolean recognised() {
            Integer a = fusions.get("Attention");
            Integer m = fusions.get("MultiHeadAttention");
            return (a != null && a > 0) || (m != null && m > 0);
        }
    }

    public static Result optimize(ModelProto model, AttentionFusion.Mode mode) {
        OnnxGraph g = OnnxGraph.of(model);
        List<Fusion> fusions = Arrays.<Fusion>asList(new AttentionFusion(mode), new SkipLayerNormFusion(), new GeluFusion());
        Map<String, Integer> counts = new LinkedHashMap<String, Integer>();
        for (Fusion f : fusions) {
            counts.put(f.name(), f.apply(g));
        }
        return new Result(g, counts);
    }
}
