package dev.nnsdk.onnx.graph;

import dev.nnsdk.onnx.graph.ir.OnnxGraph;
import dev.nnsdk.onnx.graph.fusion.AttentionFusion;
import dev.nnsdk.onnx.graph.proto.OnnxProto.ModelProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.ValueInfoProto;
import dev.nnsdk.onnx.graph.quant.Calibration;
import dev.nnsdk.onnx.graph.quant.StaticQuantizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Optimise and quantise BERT-style ONNX files in Java: the public entry point of sdk-onnx-graph.
 *
 * <pre>{@code
 * byte[] fp32 = Files.readAllBytes(Path.of("model.onnx"));
 * ModelOptimizer.Optimized o = ModelOptimizer.optimize(fp32, 1e-4);          // fused, verified
 * List<Map<String, long[][]>> calib = CalibrationTexts.feeds(tokenizer, myTexts, 16, ModelOptimizer.inputNames(fp32));
 * ModelOptimizer.Quantized q = ModelOptimizer.quantize(fp32, calib, Calibration.defaults(), 0.98);
 * Files.write(Path.of("model-int8.onnx"), q.model());
 * }</pre>
 */
public final class ModelOptimizer {
    /** Largest |difference| allowed between the fused and the original model on sample inputs (default). */
    public static final double DEFAULT_TOLERANCE = 1e-4;
    /** Smallest mean per-token cosine allowed between the int8 and the fp32 model on check inputs (default). */
    public static final double DEFAULT_MIN_COSINE = 0.98;

    private ModelOptimizer() {
    }

    /** A fused model with what was fused and how far it is from the original. */
    public static final class Optimized {
        private final byte[] model;
        private final Map<String, Integer> fusions;
        private final GraphVerifier.Report check;

        Optimized(byte[] model, Map<String, Integer> fusions, GraphVerifier.Report check) {
            this.model = model;
            this.fusions = fusions;
            this.check = check;
        }

        public byte[] model() {
            return model.clone();
        }

        byte[] bytes() {
            return model;
        }

        public Map<String, Integer> fusions() {
            return fusions;
        }

        public GraphVerifier.Report check() {
            return check;
        }
    }

    /** A quantised model with its agreement with the fp32 source. */
    public static final class Quantized {
        private final byte[] model;
        private final GraphVerifier.Report check;

        Quantized(byte[] model, GraphVerifier.Report check) {
            this.model = model;
            this.check = check;
        }

        public byte[] model() {
            return model.clone();
        }

        byte[] bytes() {
            return model;
        }

        public GraphVerifier.Report check() {
            return check;
        }
    }

    /** Thrown when a graph is not recognised or its rewrite does not agree with the original closely enough. */
    public static final class RefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RefusedException(String message) {
            super(message);
        }
    }

    public static List<String> inputNames(byte[] model) throws IOException {
        List<String> out = new ArrayList<String>();
        for (ValueInfoProto v : OnnxGraph.of(ModelProto.parseFrom(model)).inputs()) {
            out.add(v.getName());
        }
        return out;
    }

    /** Fuses with the packed {@code Attention} op and verifies on drawn inputs; refuses above {@code tolerance}. */
    public static Optimized optimize(byte[] source, double tolerance) throws IOException {
        return optimize(source, tolerance, AttentionFusion.Mode.PACKED);
    }

    static Optimized optimize(byte[] source, double tolerance, AttentionFusion.Mode mode) throws IOException {
        ModelProto m = ModelProto.parseFrom(source);
        GraphOptimizer.Result r = GraphOptimizer.optimize(m, mode);
        if (!r.recognised()) {
            throw new RefusedException("No transformer attention block found (fusions matched: " + r.fusions() + ")");
        }
        byte[] out = r.graph().toModel().toByteArray();
        List<Map<String, long[][]>> feeds;
        try {
            feeds = SampleInputs.draw(OnnxGraph.of(m), 20261201L, new int[][] {{2, 16}, {1, 7}, {3, 33}});
        } catch (IllegalArgumentException e) {
            throw new RefusedException("Cannot verify the fused graph: " + e.getMessage());
        }
        GraphVerifier.Report check = GraphVerifier.compare(source, out, feeds);
        if (!(check.maxAbsDiff <= tolerance)) {
            throw new RefusedException("Fused graph differs from the original by " + check + ", above the tolerance "
                    + tolerance);
        }
        return new Optimized(out, r.fusions(), check);
    }

    /**
     * Optimises (separate QKV MatMul + {@code MultiHeadAttention}, so every projection is quantisable), then
     * quantises statically with activation ranges from {@code calibration}; refuses when the int8 model's mean
     * per-token cosine to the fp32 source on the calibration feeds is below {@code minCosine}.
     */
    public static Quantized quantize(byte[] source, List<Map<String, long[][]>> calibration, Calibration method,
                                     double minCosine) throws IOException {
        byte[] fused = optimize(source, DEFAULT_TOLERANCE, AttentionFusion.Mode.SEPARATE).bytes();
        ModelProto q = StaticQuantizer.quantize(ModelProto.parseFrom(fused), calibration, method);
        byte[] out = q.toByteArray();
        GraphVerifier.Report check = GraphVerifier.compare(source, out, calibration);
        if (!(check.meanCosine >= minCosine)) {
            throw new RefusedException("Quantised model agrees with the fp32 one only at " + check
                    + " (required mean cosine >= " + minCosine + ")");
        }
        return new Quantized(out, check);
    }

    /** {@link #quantize} on files. */
    public static Quantized quantize(Path source, Path target, List<Map<String, long[][]>> calibration,
                                     Calibration method) throws IOException {
        Quantized q = quantize(Files.readAllBytes(source), calibration, method, DEFAULT_MIN_COSINE);
        AtomicFiles.write(target, q.bytes());
        return q;
    }
}
