package dev.nnsdk.onnx.graph.quant;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nnsdk.onnx.graph.ir.OnnxGraph;
import dev.nnsdk.onnx.graph.proto.OnnxProto.ModelProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.NodeProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.TensorProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.TypeProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.ValueInfoProto;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Static int8 quantisation in QDQ form (S8S8): every {@code MatMul} with a constant 2-D weight gets
 * {@code DequantizeLinear} on a per-output-channel symmetric int8 copy of its weight, and its activation input goes
 * through {@code QuantizeLinear -> DequantizeLinear} with one asymmetric int8 scale calibrated on sample inputs.
 * ONNX Runtime turns each such group into an integer GEMM ({@code MatMulIntegerToFloat}) at load time. The scales are
 * constants of the file, so a text's result does not depend on what else is in its batch.
 *
 * <pre>{@code
 * ModelProto int8 = StaticQuantizer.quantize(fp32Optimised, calibrationFeeds, Calibration.defaults());
 * }</pre>
 */
public final class StaticQuantizer {
    private StaticQuantizer() {
    }

    /** Returns the quantised model; {@code model} should already be optimised with separate Q/K/V MatMuls. */
    public static ModelProto quantize(ModelProto model, List<Map<String, long[][]>> calibration, Calibration method) {
        if (calibration.isEmpty()) {
            throw new IllegalArgumentException("Static quantisation needs at least one calibration input");
        }
        OnnxGraph g = OnnxGraph.of(model);
        Map<String, List<NodeProto>> targets = new LinkedHashMap<String, List<NodeProto>>();
        for (NodeProto n : g.nodes()) {
            if (!n.getOpType().equals("MatMul") || !n.getDomain().isEmpty()) {
                continue;
            }
            TensorProto w = g.initializer(n.getInput(1));
            if (w == null || w.getDimsCount() != 2 || w.getDataType() != TensorProto.DataType.FLOAT_VALUE
                    || g.constant(n.getInput(0)) != null) {
                continue;
            }
            List<NodeProto> l = targets.get(n.getInput(0));
            if (l == null) {
                l = new ArrayList<NodeProto>();
                targets.put(n.getInput(0), l);
            }
            l.add(n);
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("The model has no MatMul with a constant weight: nothing to quantise");
        }
        Map<String, RangeObserver> ranges = observe(model, new ArrayList<String>(targets.keySet()), calibration);

        String ms = OnnxGraph.MS_DOMAIN;
        for (Map.Entry<String, List<NodeProto>> e : targets.entrySet()) {
            String a = e.getKey();
            float[] r = ranges.get(a).range(method);
            float scale = (r[1] - r[0]) / 255f;
            if (!(scale > 0)) {
                scale = 1f;
            }
            int zp = (int) Math.round(-128 - r[0] / scale);
            zp = Math.max(-128, Math.min(127, zp));
            String sName = g.fresh(a + "_scale");
            String zName = g.fresh(a + "_zero_point");
            g.addInitializer(OnnxGraph.floatTensor(sName, new float[] {scale}));
            g.addInitializer(OnnxGraph.int8Tensor(zName, new byte[] {(byte) zp}));
            for (NodeProto mm : e.getValue()) {
                // One QuantizeLinear per MatMul: ONNX Runtime 1.23 leaves a MatMul in float when its Q is shared.
                String q = g.fresh(a + "_quantized");
                g.add(OnnxGraph.node("QuantizeLinear", g.fresh("QuantizeLinear"), Arrays.asList(a, sName, zName),
                        Arrays.asList(q)).setDomain(ms).build());
                String dq = g.fresh(a + "_dequantized");
                g.add(OnnxGraph.node("DequantizeLinear", g.fresh("DequantizeLinear"), Arrays.asList(q, sName, zName),
                        Arrays.asList(dq)).setDomain(ms).build());
                String wdq = quantizeWeight(g, g.initializer(mm.getInput(1)));
                g.replace(mm, mm.toBuilder().setInput(0, dq).setInput(1, wdq).build());
            }
        }
        g.requireOpset(ms, 1);
        g.removeDeadNodes();
        return g.toModel();
    }

    /** Per-column symmetric int8 weight + its DequantizeLinear (axis 1); returns the dequantised value's name. */
    private static String quantizeWeight(OnnxGraph g, TensorProto w) {
        int rows = (int) w.getDims(0);
        int cols = (int) w.getDims(1);
        float[] f = OnnxGraph.floats(w);
        float[] scale = new float[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                scale[c] = Math.max(scale[c], Math.abs(f[r * cols + c]));
            }
        }
        for (int c = 0; c < cols; c++) {
            scale[c] = scale[c] > 0 ? scale[c] / 127f : 1f;
        }
        byte[] q = new byte[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                long v = Math.round(f[r * cols + c] / scale[c]);
                q[r * cols + c] = (byte) Math.max(-127, Math.min(127, v));
            }
        }
        String base = w.getName();
        String qName = g.fresh(base + "_int8");
        String sName = g.fresh(base + "_scale");
        String zName = g.fresh(base + "_zero_point");
        g.addInitializer(OnnxGraph.int8Tensor(qName, q, rows, cols));
        g.addInitializer(OnnxGraph.floatTensor(sName, scale, cols));
        g.addInitializer(OnnxGraph.int8Tensor(zName, new byte[cols], cols));
        String out = g.fresh(base + "_dequantized");
        g.add(OnnxGraph.node("DequantizeLinear", g.fresh("DequantizeLinear"), Arrays.asList(qName, sName, zName),
                Arrays.asList(out)).setDomain(OnnxGraph.MS_DOMAIN).addAttribute(OnnxGraph.intAttr("axis", 1)).build());
        return out;
    }

    /** Runs the model with the activations as extra outputs: once for ranges, once for histograms. */
    private static Map<String, RangeObserver> observe(ModelProto model, List<String> names,
                                                      List<Map<String, long[][]>> feeds) {
        ModelProto.Builder b = model.toBuilder();
        for (String n : names) {
            b.getGraphBuilder().addOutput(ValueInfoProto.newBuilder().setName(n).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
        }
        Map<String, RangeObserver> out = new LinkedHashMap<String, RangeObserver>();
        for (String n : names) {
            out.put(n, new RangeObserver());
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setIntraOpNumThreads(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
            try (OrtSession s = env.createSession(b.build().toByteArray(), so)) {
                for (int pass = 0; pass < 2; pass++) {
                    for (Map<String, long[][]> feed : feeds) {
                        Map<String, OnnxTensor> in = new LinkedHashMap<String, OnnxTensor>();
                        try {
                            for (Map.Entry<String, long[][]> e : feed.entrySet()) {
                                in.put(e.getKey(), OnnxTensor.createTensor(env, e.getValue()));
                            }
                            try (OrtSession.Result r = s.run(in, new java.util.HashSet<String>(names))) {
                                for (Map.Entry<String, OnnxValue> e : r) {
                                    FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
                                    float[] v = new float[fb.remaining()];
                                    fb.get(v);
                                    v = keepRealTokens(v, feed);
                                    if (pass == 0) {
                                        out.get(e.getKey()).observeRange(v);
                                    } else {
                                        out.get(e.getKey()).observeHistogram(v);
                                    }
                                }
                            }
                        } finally {
                            for (OnnxTensor t : in.values()) {
                                t.close();
                            }
                        }
                    }
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("Calibration run failed in ONNX Runtime: " + e.getMessage(), e);
        }
        return out;
    }

    /** Activations of padding positions say nothing about real inputs: drop them when the feed has a 0/1 mask. */
    private static float[] keepRealTokens(float[] v, Map<String, long[][]> feed) {
        long[][] mask = null;
        for (Map.Entry<String, long[][]> e : feed.entrySet()) {
            if (e.getKey().contains("mask")) {
                mask = e.getValue();
            }
        }
        if (mask == null) {
            return v;
        }
        int tokens = mask.length * mask[0].length;
        if (v.length % tokens != 0) {
            return v;
        }
        int width = v.length / tokens;
        float[] out = new float[v.length];
        int n = 0;
        for (int b = 0; b < mask.length; b++) {
            for (int s = 0; s < mask[b].length; s++) {
                if (mask[b][s] != 0) {
                    System.arraycopy(v, (b * mask[b].length + s) * width, out, n, width);
                    n += width;
                }
            }
        }
        return Arrays.copyOf(out, n);
    }
}
