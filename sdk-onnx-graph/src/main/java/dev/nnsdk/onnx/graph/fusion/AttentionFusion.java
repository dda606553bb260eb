package dev.nnsdk.onnx.graph.fusion;

import dev.nnsdk.onnx.graph.ir.OnnxGraph;
import dev.nnsdk.onnx.graph.proto.OnnxProto.NodeProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.TensorProto;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Self-attention of a BERT-style encoder into one ONNX Runtime contrib op. Matches
 * <pre>
 *   Q = Transpose(0,2,1,3)(Reshape(Add(bq, MatMul(X, Wq))))      (likewise K with perm 0,2,3,1, and V)
 *   P = Softmax(Add(Div(MatMul(Q, K), c) | Mul(MatMul(Q, K), c), M))
 *   Y = Reshape(Transpose(0,2,1,3)(MatMul(P, V)))
 *   M = Mul(Sub(1, Cast(Unsqueeze(Unsqueeze(mask)))), filter)   (mask: a graph input, 1 = keep)
 * </pre>
 * and writes either {@code Attention(X, [Wq|Wk|Wv], [bq|bk|bv], int32(mask))} (one packed QKV GEMM inside the op) or,
 * with {@link Mode#SEPARATE}, {@code MultiHeadAttention(Split(MatMul(X, [Wq|Wk|Wv])), bias, int32(mask))}, which
 * keeps the packed projection as an ordinary MatMul so a quantiser can make it int8.
 * The mask filter value and the scale are copied from the graph, so results stay those of the original.
 */
public final class AttentionFusion implements Fusion {
    public enum Mode { PACKED, SEPARATE }

    private final Mode mode;

    public AttentionFusion(Mode mode) {
        this.mode = mode;
    }

    @Override
    public String name() {
        return mode == Mode.PACKED ? "Attention" : "MultiHeadAttention";
    }

    @Override
    public int apply(OnnxGraph g) {
        int n = 0;
        String maskInt32 = null;
        for (NodeProto softmax : g.nodes()) {
            if (!softmax.getOpType().equals("Softmax")) {
                continue;
            }
            Match m = match(g, softmax);
            if (m == null) {
                continue;
            }
            if (maskInt32 == null) {
                maskInt32 = g.fresh(m.maskInput + "_int32");
                g.add(OnnxGraph.node("Cast", g.fresh("CastMask"), Collections.singletonList(m.maskInput),
                        Collections.singletonList(maskInt32)).addAttribute(OnnxGraph.intAttr("to", TensorProto.DataType.INT32_VALUE)).build());
            }
            emit(g, m, maskInt32);
            n++;
        }
        if (n > 0) {
            g.requireOpset(OnnxGraph.MS_DOMAIN, 1);
            g.removeDeadNodes();
        }
        return n;
    }

    private void emit(OnnxGraph g, Match m, String mask) {
        int hidden = (int) m.q.weight.getDims(0);
        float[] bias = concat(OnnxGraph.floats(m.q.bias), OnnxGraph.floats(m.k.bias), OnnxGraph.floats(m.v.bias));
        String biasName = g.fresh(m.q.bias.getName() + "_qkv");
        g.addInitializer(OnnxGraph.floatTensor(biasName, bias, bias.length));
        float[] wq = OnnxGraph.floats(m.q.weight);
        float[] wk = OnnxGraph.floats(m.k.weight);
        float[] wv = OnnxGraph.floats(m.v.weight);
        int out = (int) m.q.weight.getDims(1);
        float[] w = new float[hidden * out * 3];
        for (int r = 0; r < hidden; r++) {
            System.arraycopy(wq, r * out, w, r * 3 * out, out);
            System.arraycopy(wk, r * out, w, r * 3 * out + out, out);
            System.arraycopy(wv, r * out, w, r * 3 * out + 2 * out, out);
        }
        String wName = g.fresh(m.q.weight.getName() + "_qkv");
        g.addInitializer(OnnxGraph.floatTensor(wName, w, hidden, 3L * out));
        NodeProto.Builder b;
        if (mode == Mode.PACKED) {
            b = OnnxGraph.node("Attention", g.fresh("Attention"), Arrays.asList(m.q.input, wName, biasName, mask),
                    Collections.singletonList(m.output));
        } else {
            // One [H, 3H] MatMul (one GEMM, and one node for a quantiser), split into Q, K, V for the op.
            String qkv = g.fresh("qkv");
            g.add(OnnxGraph.node("MatMul", g.fresh("MatMul_qkv"), Arrays.asList(m.q.input, wName),
                    Collections.singletonList(qkv)).build());
            List<String> parts = Arrays.asList(g.fresh("q"), g.fresh("k"), g.fresh("v"));
            NodeProto.Builder split = OnnxGraph.node("Split", g.fresh("Split_qkv"), Collections.singletonList(qkv), parts)
                    .addAttribute(OnnxGraph.intAttr("axis", -1));
            if (g.opset("") >= 13) {
                String sizes = g.fresh("qkv_sizes");
                g.addInitializer(OnnxGraph.longTensor(sizes, new long[] {out, out, out}, 3));
                split.addInput(sizes);
            } else {
                split.addAttribute(OnnxGraph.intsAttr("split", out, out, out));
            }
            g.add(split.build());
            b = OnnxGraph.node("MultiHeadAttention", g.fresh("MultiHeadAttention"),
                    Arrays.asList(parts.get(0), parts.get(1), parts.get(2), biasName, mask),
                    Collections.singletonList(m.output));
        }
        b.setDomain(OnnxGraph.MS_DOMAIN)
                .addAttribute(OnnxGraph.intAttr("num_heads", m.heads))
                .addAttribute(OnnxGraph.floatAttr("scale", m.scale))
                .addAttribute(OnnxGraph.floatAttr("mask_filter_value", m.filter));
        g.remove(m.outReshape);
        g.add(b.build());
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static final class Match {
        Linear q, k, v;
        NodeProto outReshape;
        String output, maskInput;
        long heads;
        float scale, filter;
    }

    private static Match match(OnnxGraph g, NodeProto softmax) {
        long axis = OnnxGraph.attrInt(softmax, "axis", -1);
        if (axis != -1 && axis != 3) {
            return null;
        }
        NodeProto add = g.producer(softmax.getInput(0), "Add");
        if (add == null) {
            return null;
        }
        for (int i = 0; i < 2; i++) {
            NodeProto scaled = g.producer(add.getInput(i));
            if (scaled == null || !(scaled.getOpType().equals("Div") || scaled.getOpType().equals("Mul"))) {
                continue;
            }
            Match m = matchScores(g, scaled);
            if (m == null || !matchMask(g, add.getInput(1 - i), m)) {
                continue;
            }
            if (!matchOutput(g, softmax, m)) {
                return null;
            }
            return m;
        }
        return null;
    }

    private static Match matchScores(OnnxGraph g, NodeProto scaled) {
        double c = g.scalar(scaled.getInput(1));
        NodeProto qk = g.producer(scaled.getInput(0), "MatMul");
        if (Double.isNaN(c) || c == 0 || qk == null) {
            return null;
        }
        Match m = new Match();
        m.scale = (float) (scaled.getOpType().equals("Div") ? 1.0 / c : c);
        Object[] q = head(g, qk.getInput(0), Arrays.asList(0L, 2L, 1L, 3L));
        Object[] k = head(g, qk.getInput(1), Arrays.asList(0L, 2L, 3L, 1L));
        if (q == null || k == null || !((Long) q[1]).equals(k[1])) {
            return null;
        }
        m.q = (Linear) q[0];
        m.k = (Linear) k[0];
        m.heads = (Long) q[1];
        return m.q.input.equals(m.k.input) ? m : null;
    }

    /** {Linear, heads} for Transpose(perm)(Reshape(linear, [?, ?, heads, size])), or null. */
    private static Object[] head(OnnxGraph g, String value, List<Long> perm) {
        NodeProto t = g.producer(value, "Transpose");
        if (t == null || !perm.equals(OnnxGraph.attrInts(t, "perm"))) {
            return null;
        }
        NodeProto r = g.producer(t.getInput(0), "Reshape");
        if (r == null) {
            return null;
        }
        Linear lin = Linear.producing(g, r.getInput(0));
        if (lin == null) {
            return null;
        }
        long hidden = lin.weight.getDims(1);
        long[] shape = shapeDims(g, r.getInput(1));
        if (shape == null || shape.length != 4 || shape[2] <= 0 || shape[3] <= 0 || shape[2] * shape[3] != hidden) {
            return null;
        }
        return new Object[] {lin, shape[2]};
    }

    /** The last two dims of a Reshape target: from a constant, or a Concat whose last two inputs are constants. */
    private static long[] shapeDims(OnnxGraph g, String value) {
        TensorProto t = g.constant(value);
        if (t != null) {
            return OnnxGraph.longs(t);
        }
        NodeProto concat = g.producer(value, "Concat");
        if (concat == null || concat.getInputCount() != 4) {
            return null;
        }
        double a = g.scalar(concat.getInput(2));
        double b = g.scalar(concat.getInput(3));
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return null;
        }
        return new long[] {-1, -1, (long) a, (long) b};
    }

    private static boolean matchMask(OnnxGraph g, String value, Match m) {
        NodeProto mul = g.producer(value, "Mul");
        if (mul == null) {
            return false;
        }
        for (int i = 0; i < 2; i++) {
            double filter = g.scalar(mul.getInput(i));
            NodeProto sub = g.producer(mul.getInput(1 - i), "Sub");
            if (Double.isNaN(filter) || sub == null || g.scalar(sub.getInput(0)) != 1.0) {
                continue;
            }
            String v = sub.getInput(1);
            NodeProto p;
            while ((p = g.producer(v)) != null
                    && (p.getOpType().equals("Cast") || p.getOpType().equals("Unsqueeze"))) {
                v = p.getInput(0);
            }
            if (p == null && g.isGraphInput(v)) {
                m.filter = (float) filter;
                m.maskInput = v;
                return true;
            }
        }
        return false;
    }

    private static boolean matchOutput(OnnxGraph g, NodeProto softmax, Match m) {
        NodeProto pv = g.soleConsumer(softmax.getOutput(0), "MatMul");
        if (pv == null || !pv.getInput(0).equals(softmax.getOutput(0))) {
            return false;
        }
        Object[] v = head(g, pv.getInput(1), Arrays.asList(0L, 2L, 1L, 3L));
        if (v == null || !((Long) v[1]).equals(m.heads)) {
            return false;
        }
        m.v = (Linear) v[0];
        if (!m.v.input.equals(m.q.input)) {
            return false;
        }
        NodeProto t = g.soleConsumer(pv.getOutput(0), "Transpose");
        if (t == null || !Arrays.asList(0L, 2L, 1L, 3L).equals(OnnxGraph.attrInts(t, "perm"))) {
            return false;
        }
        // Besides the Reshape, the export reads the Transpose's shape (Shape nodes) to compute the Reshape target.
        NodeProto r = null;
        for (NodeProto c : g.consumers(t.getOutput(0))) {
            if (c.getOpType().equals("Reshape") && r == null) {
                r = c;
            } else if (!c.getOpType().equals("Shape")) {
                return false;
            }
        }
        if (r == null || g.isGraphOutput(t.getOutput(0))) {
            return false;
        }
        m.outReshape = r;
        m.output = r.getOutput(0);
        return true;
    }
}
